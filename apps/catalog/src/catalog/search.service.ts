import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { evaluatePurchasable, MARK_NAMES_ZH } from '@techan/common';
import {
  buildListingFilter,
  categoryPathZh,
  currentStarLevel,
  encodeCursor,
  evaluateAvailability,
  findHall,
  formatFen,
  hallsForProduct,
  parseSearchQuery,
  relevanceScore,
  sortSpec,
  sortValue,
  townNameZh,
  QUALITY_TIER_ZH,
  ORIGIN_DEGREE_ZH,
  TEMPERATURE_CLASS_ZH,
  type Availability,
  type QualityTier,
  type OriginDegree,
  type TemperatureClass,
  type SearchQuery,
} from '../domain';
import { MERCHANT, PRODUCT, STOCK, type MerchantDoc, type ProductDoc, type StockDoc } from '../persistence/schemas';
import { CLOCK, type Clock } from './clock';
import { NotFoundError } from './errors';
import { PRODUCT_ID } from './products.service';

/**
 * Text search ranks at most this many matches (the newest ones). Ranking happens in the service
 * because relevance depends on the query; the cap keeps a one-character query over 100 000 SKUs cheap.
 */
export const MAX_RELEVANCE_CANDIDATES = 200;

const LIST_FIELDS = {
  nameZh: 1,
  categoryId: 1,
  town: 1,
  tier: 1,
  temperatureClass: 1,
  minPriceFen: 1,
  listedAtMs: 1,
  starLevel: 1,
  images: 1,
  certificates: 1,
  merchantId: 1,
} as const;

type ListRow = Pick<ProductDoc, '_id' | keyof typeof LIST_FIELDS>;

export interface ProductCard {
  id: string;
  name: string;
  category: string[];
  town?: string;
  tier: string;
  temperature: string;
  priceFen: number;
  priceText: string;
  starLevel: number;
  halls: string[];
  marks: string[];
  image?: string;
}

export interface SearchPage {
  items: ProductCard[];
  nextCursor: string | null;
  query: Omit<SearchQuery, 'after' | 'qTokens'>;
}

@Injectable()
export class SearchService {
  constructor(
    @InjectModel(PRODUCT) private readonly products: Model<ProductDoc>,
    @InjectModel(STOCK) private readonly stock: Model<StockDoc>,
    @InjectModel(MERCHANT) private readonly merchants: Model<MerchantDoc>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async search(raw: unknown): Promise<SearchPage> {
    const query = parseSearchQuery(raw);
    const now = this.clock.now();
    const filter = buildListingFilter(query, now);
    let rows: ListRow[];
    let next: { value: number; id: string } | undefined;
    if (query.sort === 'relevance') {
      ({ rows, next } = await this.byRelevance(query, filter));
    } else {
      const { field, direction } = sortSpec(query.sort);
      rows = await this.products
        .find(filter, LIST_FIELDS)
        .sort({ [field]: direction, _id: direction })
        .limit(query.limit + 1)
        .lean<ListRow[]>()
        .exec();
      if (rows.length > query.limit) {
        const last = rows[query.limit - 1];
        next = { value: sortValue(last, query.sort), id: last._id };
      }
      rows = rows.slice(0, query.limit);
    }
    // Defence in depth: the database filter already applied the rule; re-check in code at `now`.
    const visible = rows.filter((r) => evaluatePurchasable(r.certificates, now).purchasable);
    const echo: SearchPage['query'] = { ...query };
    delete (echo as Partial<SearchQuery>).after;
    delete (echo as Partial<SearchQuery>).qTokens;
    return {
      items: visible.map((r) => this.card(r, now)),
      nextCursor: next ? encodeCursor(query, next) : null,
      query: echo,
    };
  }

  private async byRelevance(query: SearchQuery, filter: Record<string, unknown>) {
    // Score on a narrow projection, then load the page's rows only.
    const candidates = await this.products
      .find(filter, { nameZh: 1, nameTokens: 1, tagTokens: 1 })
      .sort({ listedAtMs: -1, _id: -1 })
      .limit(MAX_RELEVANCE_CANDIDATES)
      .lean<Pick<ProductDoc, '_id' | 'nameZh' | 'nameTokens' | 'tagTokens'>[]>()
      .exec();
    const q = query.q ?? '';
    const scored = candidates
      .map((c) => ({ row: c, score: relevanceScore(c, query.qTokens, c.nameZh, q) }))
      .sort((a, b) => b.score - a.score || (a.row._id < b.row._id ? 1 : -1));
    const after = query.after;
    const start = after ? scored.findIndex((s) => s.score < after.value || (s.score === after.value && s.row._id < after.id)) : 0;
    const page = start < 0 ? [] : scored.slice(start, start + query.limit + 1);
    const next = page.length > query.limit ? { value: page[query.limit - 1].score, id: page[query.limit - 1].row._id } : undefined;
    const ids = page.slice(0, query.limit).map((s) => s.row._id);
    const rows = await this.products.find({ _id: { $in: ids } }, LIST_FIELDS).lean<ListRow[]>().exec();
    const byId = new Map(rows.map((r) => [r._id, r]));
    return { rows: ids.map((id) => byId.get(id)).filter((r): r is ListRow => r !== undefined), next };
  }

  private card(r: ListRow, now: Date): ProductCard {
    const marks = [...new Set(r.certificates.filter((c) => evaluatePurchasable([c], now).purchasable).map((c) => MARK_NAMES_ZH[c.mark]))];
    return {
      id: r._id,
      name: r.nameZh,
      category: categoryPathZh(r.categoryId),
      town: townNameZh(r.town),
      tier: QUALITY_TIER_ZH[r.tier as QualityTier] ?? r.tier,
      temperature: TEMPERATURE_CLASS_ZH[r.temperatureClass as TemperatureClass] ?? r.temperatureClass,
      priceFen: r.minPriceFen,
      priceText: formatFen(r.minPriceFen),
      starLevel: currentStarLevel(r.certificates, now),
      halls: hallsForProduct(r.certificates, now).map((h) => h.nameZh),
      marks,
      ...(r.images[0] ? { image: r.images[0] } : {}),
    };
  }

  /** The product page: shown for any product by direct link, with why it cannot be bought if so. */
  async productPage(productId: string, hallId?: string) {
    if (typeof productId !== 'string' || !PRODUCT_ID.test(productId)) throw new NotFoundError('产品');
    const p = await this.products.findById(productId).lean<ProductDoc>().exec();
    if (!p) throw new NotFoundError('产品');
    const now = this.clock.now();
    const [merchant, stockRows] = await Promise.all([
      this.merchants.findById(p.merchantId).lean<MerchantDoc>().exec(),
      this.stock.find({ productId }).lean<StockDoc[]>().exec(),
    ]);
    const hall = hallId ? findHall(hallId) : undefined;
    const availability: Availability = evaluateAvailability({
      certification: p.certVersion
        ? { productId: p._id, merchantId: p.merchantId, version: p.certVersion, certificates: p.certificates, changedAt: '' }
        : undefined,
      merchantStatus: merchant?.status ?? 'pending',
      listed: p.listed,
      now,
      hall,
    });
    const available = new Map(stockRows.map((s) => [s._id, s.available]));
    return {
      id: p._id,
      name: p.nameZh,
      description: p.descriptionZh,
      category: categoryPathZh(p.categoryId),
      categoryId: p.categoryId,
      town: townNameZh(p.town),
      tier: QUALITY_TIER_ZH[p.tier as QualityTier],
      originDegree: ORIGIN_DEGREE_ZH[p.originDegree as OriginDegree],
      temperature: TEMPERATURE_CLASS_ZH[p.temperatureClass as TemperatureClass],
      shelfLifeDays: p.shelfLifeDays,
      images: p.images,
      merchant: merchant ? { id: merchant._id, name: merchant.name } : undefined,
      starLevel: currentStarLevel(p.certificates, now),
      halls: hallsForProduct(p.certificates, now).map((h) => ({ id: h.id, name: h.nameZh })),
      certificates: p.certificates.map((c) => ({
        mark: MARK_NAMES_ZH[c.mark],
        ...(c.level ? { level: c.level } : {}),
        ...(c.number ? { number: c.number } : {}),
        status: c.status,
        validFrom: c.validFrom,
        validUntil: c.validUntil,
      })),
      skus: p.skus.map((s) => ({
        skuId: s.skuId,
        spec: s.specZh,
        unit: s.unit,
        priceFen: s.priceFen,
        priceText: formatFen(s.priceFen),
        available: available.get(s.skuId) ?? 0,
        ...(s.gtin ? { gtin: s.gtin } : {}),
      })),
      availability,
      /** The buy action is offered only when buyable (and in stock per SKU). */
      canBuy: availability.buyable,
    };
  }
}
