import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, UseFilters } from '@nestjs/common';
import { ApiZodBody, ApiZodQuery, MARK_NAMES_ZH, Public, Roles } from '@techan/common';
import { z } from 'zod';
import { categoryTree, HALLS, InvalidInputError, MerchantRegistration, MerchantReview, ProductInput, RawSearchQuery, SkuUpdate } from '../domain';
import { CurrentPrincipal } from './auth';
import { CatalogErrorFilter } from './errors';
import { MerchantsService } from './merchants.service';
import { IndexQuery, PriceIndexService } from './price-index.service';
import { ProductsService } from './products.service';
import { SearchService } from './search.service';
import type { Principal } from './principal';

/** Shopper-facing reads: halls, categories, search/browse, product page, price index. */
@UseFilters(CatalogErrorFilter)
@Controller('catalog')
export class PublicCatalogController {
  constructor(
    @Inject(SearchService) private readonly search: SearchService,
    @Inject(PriceIndexService) private readonly priceIndex: PriceIndexService,
  ) {}

  /** A trivial endpoint, the baseline next to which the benchmark reports search latency. */
  @Public()
  @Get('ping')
  ping() {
    return { ok: true };
  }

  @Public()
  @Get('halls')
  halls() {
    return HALLS.map((h) => ({
      id: h.id,
      name: h.nameZh,
      level: h.level,
      town: h.town ?? null,
      slogan: h.sloganZh,
      acceptedMarks: h.acceptedMarks.map((m) => ({ mark: m, name: MARK_NAMES_ZH[m] })),
      ...(h.minOtopLevel ? { minOtopLevel: h.minOtopLevel } : {}),
    }));
  }

  @Public()
  @Get('categories')
  categories() {
    return categoryTree();
  }

  @Public()
  @Get('search')
  @ApiZodQuery(RawSearchQuery)
  find(@Query() query: unknown) {
    return this.search.search(query);
  }

  @Public()
  @Get('halls/:hallId/products')
  @ApiZodQuery(RawSearchQuery.omit({ hall: true }))
  hallProducts(@Param('hallId') hallId: string, @Query() query: unknown) {
    if (query && typeof query === 'object' && 'hall' in query) throw new InvalidInputError('hall', '品牌馆已由路径指定');
    return this.search.search({ ...(query as object), hall: hallId });
  }

  @Public()
  @Get('products/:id')
  product(@Param('id') id: string, @Query('hall') hall?: string) {
    if (hall !== undefined && typeof hall !== 'string') throw new InvalidInputError('hall', '参数值必须是单个值');
    return this.search.productPage(id, hall || undefined);
  }

  @Public()
  @Get('price-index')
  @ApiZodQuery(IndexQuery)
  index(@Query() query: unknown) {
    return this.priceIndex.series(query);
  }
}

/** Merchant console: register enterprises, manage own products, prices and stock. */
@UseFilters(CatalogErrorFilter)
@Controller('catalog')
export class MerchantController {
  constructor(
    @Inject(MerchantsService) private readonly merchants: MerchantsService,
    @Inject(ProductsService) private readonly products: ProductsService,
  ) {}

  @Roles('merchant')
  @Post('merchants')
  @ApiZodBody(MerchantRegistration)
  register(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.merchants.register(p, body);
  }

  @Roles('merchant')
  @Get('merchants/mine')
  mine(@CurrentPrincipal() p: Principal) {
    return this.merchants.mine(p);
  }

  @Roles('merchant', 'operator')
  @Get('merchants/:id')
  merchant(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.merchants.get(p, id);
  }

  @Roles('merchant')
  @Post('merchants/:id/products')
  @ApiZodBody(ProductInput)
  async createProduct(@CurrentPrincipal() p: Principal, @Param('id') merchantId: string, @Body() body: unknown) {
    const doc = await this.products.create(p, merchantId, body);
    return { id: doc._id, skus: doc.skus.map((s) => ({ skuId: s.skuId, code: s.code })) };
  }

  @Roles('merchant')
  @Get('merchants/:id/products')
  async ownProducts(@CurrentPrincipal() p: Principal, @Param('id') merchantId: string) {
    const docs = await this.products.listOwn(p, merchantId);
    const stock = await this.products.stockOfSkus(docs.flatMap((d) => d.skus.map((s) => s.skuId)));
    return docs.map((d) => ({
      id: d._id,
      name: d.nameZh,
      listed: d.listed,
      minPriceFen: d.minPriceFen,
      // The console shows each SKU's sellable quantity and the product's pictures beside its prices.
      skus: d.skus.map((s) => ({ ...s, available: stock.get(s.skuId) ?? 0 })),
      images: d.images,
      categoryId: d.categoryId,
      starLevel: d.starLevel,
    }));
  }

  @Roles('merchant')
  @Patch('products/:id/skus/:skuId')
  @ApiZodBody(SkuUpdate)
  updateSku(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('skuId') skuId: string, @Body() body: unknown) {
    return this.products.updateSku(p, id, skuId, body);
  }

  @Roles('merchant')
  @Put('products/:id/listed')
  @HttpCode(204)
  @ApiZodBody(z.strictObject({ listed: z.boolean() }))
  async setListed(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    const listed = body && typeof body === 'object' ? (body as { listed?: unknown }).listed : undefined;
    await this.products.setListed(p, id, listed);
  }
}

/** Operator console: the enterprise review queue. */
@UseFilters(CatalogErrorFilter)
@Controller('catalog/review')
export class OperatorController {
  constructor(@Inject(MerchantsService) private readonly merchants: MerchantsService) {}

  @Roles('operator')
  @Get('merchants')
  pending() {
    return this.merchants.pending();
  }

  @Roles('operator')
  @Post('merchants/:id')
  @HttpCode(200)
  @ApiZodBody(MerchantReview)
  review(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.merchants.review(p, id, body);
  }
}
