import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ClientSession, Model } from 'mongoose';
import { ProductStatusChangedV1, ProductUpsertedV1 } from '@techan/common';
import { evaluateOrderable, type CatalogueItem, type OrderableVerdict } from '../../domain/orderable';
import { CATALOGUE_ITEM, type CatalogueItemDoc } from '../persistence/catalogue.schema';

function toItem(doc: CatalogueItemDoc): CatalogueItem {
  return {
    productId: doc._id,
    merchantId: doc.merchantId,
    ...(doc.merchantName ? { merchantName: doc.merchantName } : {}),
    nameZh: doc.nameZh ?? doc._id,
    ...(doc.categoryId ? { categoryId: doc.categoryId } : {}),
    ...(doc.tier ? { tier: doc.tier } : {}),
    ...(doc.temperatureClass ? { temperatureClass: doc.temperatureClass } : {}),
    ...(doc.listed !== undefined ? { listed: doc.listed } : {}),
    skus: doc.skus ?? [],
    ...(doc.imageUrl ? { imageUrl: doc.imageUrl } : {}),
    certificates: doc.certificates ?? [],
  };
}

/**
 * Orders' read model of the catalogue (names, SKUs, prices, temperature classes, certificates), fed by
 * catalog and certification events. Carts, checkout and contract call-offs ask it whether a line can
 * be ordered at a given moment (`verdict`), so the certified-only rule is evaluated at request time.
 */
@Injectable()
export class CatalogueStore {
  private readonly logger = new Logger(CatalogueStore.name);

  constructor(@InjectModel(CATALOGUE_ITEM) private readonly items: Model<CatalogueItemDoc>) {}

  /** Applies a product-upserted event if it is not older than the listing held. Returns true when applied. */
  async applyListing(raw: unknown, session?: ClientSession): Promise<boolean> {
    const e = ProductUpsertedV1.parse(raw);
    const updatedAt = new Date(e.updatedAt);
    const set: Partial<CatalogueItemDoc> = {
      merchantId: e.merchantId,
      nameZh: e.name,
      listingUpdatedAt: updatedAt,
      ...(e.merchantName ? { merchantName: e.merchantName } : {}),
      ...(e.categoryId ? { categoryId: e.categoryId } : {}),
      ...(e.tier ? { tier: e.tier } : {}),
      ...(e.temperatureClass ? { temperatureClass: e.temperatureClass } : {}),
      ...(e.listed !== undefined ? { listed: e.listed } : {}),
      ...(e.skus ? { skus: e.skus } : {}),
      ...(e.imageUrl ? { imageUrl: e.imageUrl } : {}),
    };
    const newer = { $or: [{ listingUpdatedAt: { $exists: false } }, { listingUpdatedAt: { $lte: updatedAt } }] };
    return this.writeIfNewer(e.productId, newer, set, session, `listing ${e.updatedAt}`);
  }

  /** Applies a product-status-changed event if its version is newer than the one held. */
  async applyStatus(raw: unknown, session?: ClientSession): Promise<boolean> {
    const e = ProductStatusChangedV1.parse(raw);
    const set: Partial<CatalogueItemDoc> = {
      merchantId: e.merchantId,
      certVersion: e.version,
      certificates: e.certificates,
    };
    return this.writeIfNewer(e.productId, { certVersion: { $lt: e.version } }, set, session, `status v${e.version}`, e.productName);
  }

  async find(productId: string): Promise<CatalogueItem | null> {
    const doc = await this.items.findById(productId).lean<CatalogueItemDoc>().exec();
    return doc ? toItem(doc) : null;
  }

  async findMany(productIds: readonly string[]): Promise<Map<string, CatalogueItem>> {
    const docs = await this.items.find({ _id: { $in: [...new Set(productIds)] } }).lean<CatalogueItemDoc[]>().exec();
    return new Map(docs.map((d) => [d._id, toItem(d)]));
  }

  /** Products of a category (substitute candidates), at most `limit`. */
  async findByCategory(categoryId: string, limit = 200): Promise<CatalogueItem[]> {
    const docs = await this.items.find({ categoryId }).limit(limit).lean<CatalogueItemDoc[]>().exec();
    return docs.map(toItem);
  }

  /** Can this SKU of this product be ordered at `at`? (certified-only, listed, known SKU; price from the catalogue) */
  async verdict(productId: string, skuId: string, at: Date): Promise<OrderableVerdict & { item: CatalogueItem | null }> {
    const item = await this.find(productId);
    return { ...evaluateOrderable(item, skuId, at), item };
  }

  /** Update only an older state; insert when there is none (inside a transaction a race aborts it and the bus redelivers). */
  private async writeIfNewer(
    productId: string,
    newerFilter: object,
    set: Partial<CatalogueItemDoc>,
    session: ClientSession | undefined,
    what: string,
    nameIfNew?: string,
  ): Promise<boolean> {
    const res = await this.items.updateOne({ _id: productId, ...newerFilter }, { $set: set }, { session });
    if (res.matchedCount === 1) return true;
    if (await this.items.exists({ _id: productId }).session(session ?? null)) {
      this.logger.debug(`stale ${what} for ${productId}`);
      return false;
    }
    await this.items.create([{ _id: productId, skus: [], certVersion: 0, certificates: [], ...(nameIfNew ? { nameZh: nameIfNew } : {}), ...set }], { session });
    return true;
  }
}
