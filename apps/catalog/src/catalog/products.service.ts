import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { EVENT_TYPES, type ProductUpsertedV1, type QualityTier, type TemperatureClass } from '@techan/common';
import {
  categoryIdsFor,
  categoryPathZh,
  documentTokens,
  imagePath,
  InvalidInputError,
  parseInput,
  ProductInput,
  SkuUpdate,
  townNameZh,
} from '../domain';
import {
  CERT_STATUS,
  newId,
  PRICE_CHANGE,
  PRODUCT,
  STOCK,
  type CertStatusDoc,
  type PriceChangeDoc,
  type ProductDoc,
  type SkuEmbedded,
  type StockDoc,
} from '../persistence/schemas';
import { certFieldsForProduct } from './certification-projection.service';
import { CLOCK, type Clock } from './clock';
import { ConflictError, ForbiddenError, NotFoundError } from './errors';
import { CATALOG_EVENTS, type CatalogEventPublisher } from './events';
import { MerchantsService } from './merchants.service';
import { actsFor, type Principal } from './principal';

export const PRODUCT_ID = /^p_[a-z0-9]{1,40}$/;
const SKU_ID = /^s_[a-z0-9]{1,40}$/;

/** Tags indexed for search besides name and description: category path and town name. */
export function searchFields(p: Pick<ProductDoc, 'nameZh' | 'descriptionZh' | 'categoryId' | 'town'>) {
  return documentTokens({
    name: p.nameZh,
    tags: [...categoryPathZh(p.categoryId), townNameZh(p.town) ?? ''].join(' '),
    description: p.descriptionZh,
  });
}

@Injectable()
export class ProductsService {
  constructor(
    @InjectModel(PRODUCT) private readonly products: Model<ProductDoc>,
    @InjectModel(STOCK) private readonly stock: Model<StockDoc>,
    @InjectModel(CERT_STATUS) private readonly statuses: Model<CertStatusDoc>,
    @InjectModel(PRICE_CHANGE) private readonly priceChanges: Model<PriceChangeDoc>,
    @Inject(MerchantsService) private readonly merchants: MerchantsService,
    @Inject(CATALOG_EVENTS) private readonly events: CatalogEventPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(principal: Principal, merchantId: string, body: unknown): Promise<ProductDoc> {
    const merchant = await this.merchants.requireOwnedApproved(principal, merchantId);
    const input = parseInput(ProductInput, body);
    return this.insert(merchant._id, input, this.clock.now(), { merchantName: merchant.name });
  }

  /** Inserts a product with its stock rows (also used by the seed command). */
  async insert(
    merchantId: string,
    input: ProductInput,
    now: Date,
    opts: { productId?: string; skuIds?: string[]; merchantName?: string } = {},
  ): Promise<ProductDoc> {
    const ids = opts;
    const productId = ids.productId ?? newId('p');
    const skus: SkuEmbedded[] = input.skus.map((s, i) => ({
      skuId: ids.skuIds?.[i] ?? newId('s'),
      code: s.code,
      specZh: s.specZh,
      unit: s.unit,
      netContent: s.netContent,
      priceFen: s.priceFen,
      ...(s.gtin ? { gtin: s.gtin } : {}),
    }));
    const status = await this.statuses.findById(productId).lean<CertStatusDoc>().exec();
    const doc: ProductDoc = {
      _id: productId,
      merchantId,
      nameZh: input.nameZh,
      descriptionZh: input.descriptionZh,
      categoryId: input.categoryId,
      categoryIds: categoryIdsFor(input.categoryId),
      town: input.town,
      tier: input.tier,
      originDegree: input.originDegree,
      temperatureClass: input.temperatureClass,
      shelfLifeDays: input.shelfLifeDays,
      images: input.images,
      skus,
      listed: true,
      merchantApproved: true,
      minPriceFen: Math.min(...skus.map((s) => s.priceFen)),
      listedAtMs: now.getTime(),
      createdAt: now,
      updatedAt: now,
      ...certFieldsForProduct(status),
      ...searchFields(input),
    };
    // Stock rows first: a product is never visible without them. The product and its event commit together.
    await this.stock.insertMany(
      input.skus.map((s, i) => ({ _id: skus[i].skuId, productId, merchantId, available: s.stock, reserved: 0, holds: [] })),
    );
    await this.priceChanges.insertMany(skus.map((s) => this.priceChange(doc, s, s.priceFen, now)));
    await this.events.transaction(async (session) => {
      await this.products.create([doc], { session });
      await this.events.publish(EVENT_TYPES.ProductUpserted, doc._id, this.upserted(doc, now, opts.merchantName), session);
    });
    // A status event may have landed between the read above and the insert: catch up, forward only.
    const latest = await this.statuses.findById(productId).lean<CertStatusDoc>().exec();
    if (latest && latest.version > doc.certVersion) {
      await this.products.updateOne({ _id: productId, certVersion: { $lt: latest.version } }, { $set: certFieldsForProduct(latest) });
    }
    return doc;
  }

  async listOwn(principal: Principal, merchantId: string): Promise<ProductDoc[]> {
    const m = await this.merchants.find(merchantId);
    if (!actsFor(principal, m)) throw new ForbiddenError('只能查看自己企业的产品');
    return this.products.find({ merchantId }).sort({ createdAt: -1 }).limit(500).lean<ProductDoc[]>().exec();
  }

  async updateSku(principal: Principal, productId: string, skuId: string, body: unknown): Promise<{ skuId: string; priceFen: number; available: number }> {
    const update = parseInput(SkuUpdate, body);
    const product = await this.ownedProduct(principal, productId);
    if (typeof skuId !== 'string' || !SKU_ID.test(skuId)) throw new NotFoundError('SKU');
    const sku = product.skus.find((s) => s.skuId === skuId);
    if (!sku) throw new NotFoundError('SKU');
    const now = this.clock.now();
    let priceFen = sku.priceFen;
    if (update.priceFen !== undefined && update.priceFen !== sku.priceFen) {
      priceFen = update.priceFen;
      const skus = product.skus.map((s) => (s.skuId === skuId ? { ...s, priceFen } : s));
      // Optimistic concurrency on updatedAt: a concurrent edit makes this miss and the caller retries.
      // The new price and its product-upserted event commit together (orders prices carts from it).
      await this.events.transaction(async (session) => {
        const res = await this.products.updateOne(
          { _id: productId, updatedAt: product.updatedAt },
          { $set: { skus, minPriceFen: Math.min(...skus.map((s) => s.priceFen)), updatedAt: now } },
          { session },
        );
        if (res.matchedCount !== 1) throw new ConflictError('产品刚被修改，请刷新后重试');
        await this.events.publish(EVENT_TYPES.ProductUpserted, productId, this.upserted({ ...product, skus }, now), session);
      });
      await this.priceChanges.create(this.priceChange(product, sku, priceFen, now));
    }
    let available = (await this.stock.findById(skuId).lean<StockDoc>().exec())?.available ?? 0;
    if (update.stock !== undefined) available = await this.setAvailable(skuId, update.stock);
    return { skuId, priceFen, available };
  }

  /**
   * Sets the sellable quantity by compare-and-set on the current value, so a reservation that lands
   * in between is never overwritten (which would sell its units twice).
   */
  private async setAvailable(skuId: string, target: number): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.stock.findById(skuId).lean<StockDoc>().exec();
      if (!current) throw new NotFoundError('SKU');
      const res = await this.stock.updateOne({ _id: skuId, available: current.available }, { $set: { available: target } });
      if (res.matchedCount === 1) return target;
    }
    throw new ConflictError('库存正在被频繁修改，请稍后重试');
  }

  async setListed(principal: Principal, productId: string, listed: unknown): Promise<void> {
    if (typeof listed !== 'boolean') throw new InvalidInputError('listed', '必须是 true 或 false');
    const product = await this.ownedProduct(principal, productId);
    const now = this.clock.now();
    await this.events.transaction(async (session) => {
      await this.products.updateOne(
        { _id: productId },
        { $set: { listed, updatedAt: now, ...(listed ? { listedAtMs: now.getTime() } : {}) } },
        { session },
      );
      await this.events.publish(EVENT_TYPES.ProductUpserted, productId, this.upserted({ ...product, listed }, now), session);
    });
    await this.priceChanges.insertMany(product.skus.map((s) => this.priceChange(product, s, listed ? s.priceFen : null, now)));
  }

  /**
   * Replaces a product's image list (uploads and removals) and publishes the listing change with it.
   * Optimistic on updatedAt, like price edits: a concurrent edit makes this a 409 the caller retries.
   */
  async setImages(product: ProductDoc, images: string[]): Promise<void> {
    const now = this.clock.now();
    await this.events.transaction(async (session) => {
      const res = await this.products.updateOne({ _id: product._id, updatedAt: product.updatedAt }, { $set: { images, updatedAt: now } }, { session });
      if (res.matchedCount !== 1) throw new ConflictError('产品刚被修改，请刷新后重试');
      await this.events.publish(EVENT_TYPES.ProductUpserted, product._id, this.upserted({ ...product, images }, now), session);
    });
  }

  async stockOfSkus(skuIds: string[]): Promise<Map<string, number>> {
    const rows = await this.stock.find({ _id: { $in: skuIds } }).lean<StockDoc[]>().exec();
    return new Map(rows.map((r) => [r._id, r.available]));
  }

  async stockOf(productId: string): Promise<Map<string, number>> {
    const rows = await this.stock.find({ productId }).lean<StockDoc[]>().exec();
    return new Map(rows.map((r) => [r._id, r.available]));
  }

  /** The product if the caller manages its (approved) enterprise: 404 unknown, 403 someone else's. */
  async ownedProduct(principal: Principal, productId: string): Promise<ProductDoc> {
    if (typeof productId !== 'string' || !PRODUCT_ID.test(productId)) throw new NotFoundError('产品');
    const product = await this.products.findById(productId).lean<ProductDoc>().exec();
    if (!product) throw new NotFoundError('产品');
    await this.merchants.requireOwnedApproved(principal, product.merchantId);
    return product;
  }

  private priceChange(p: Pick<ProductDoc, '_id' | 'categoryId'>, s: SkuEmbedded, priceFen: number | null, at: Date): PriceChangeDoc {
    return { skuId: s.skuId, productId: p._id, categoryId: p.categoryId, priceFen, netContent: s.netContent, at };
  }

  private upserted(p: ProductDoc, now: Date, merchantName?: string): ProductUpsertedV1 {
    const gtin = p.skus.find((s) => s.gtin)?.gtin;
    return {
      productId: p._id,
      merchantId: p.merchantId,
      ...(merchantName ? { merchantName } : {}),
      name: p.nameZh,
      town: p.town,
      ...(gtin ? { gtin } : {}),
      categoryId: p.categoryId,
      // The catalogue stored 中端 as `midrange` before the shared vocabulary; the wire value is `mid`.
      tier: p.tier === 'midrange' ? 'mid' : (p.tier as QualityTier),
      temperatureClass: p.temperatureClass as TemperatureClass,
      listed: p.listed,
      skus: p.skus.map((s) => ({ skuId: s.skuId, specZh: s.specZh, unit: s.unit, priceFen: s.priceFen, netContent: s.netContent })),
      ...(p.images[0] ? { imageUrl: imagePath(p.images[0]) } : {}),
      updatedAt: now.toISOString(),
    };
  }
}
