import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import type { ClientSession, Connection, Model } from 'mongoose';
import { ProductStatusChangedV1 } from '@techan/common';
import type { CertificateSnapshot } from '@techan/common';
import { listingCertFields } from '../domain';
import { CERT_STATUS, PRODUCT, type CertStatusDoc, type ProductDoc } from '../persistence/schemas';

/** Star level for sorting and badges: the best OTOP level among sellable certificates (time is checked by the filter). */
export function starLevelOf(certificates: readonly CertificateSnapshot[]): number {
  return listingCertFields(certificates)
    .saleWindows.filter((w) => w.mark === 'otop')
    .reduce((m, w) => Math.max(m, w.level ?? 0), 0);
}

export function certFieldsForProduct(status: Pick<CertStatusDoc, 'version' | 'certificates'> | null | undefined) {
  const certificates = status?.certificates ?? [];
  return {
    certVersion: status?.version ?? 0,
    certificates,
    ...listingCertFields(certificates),
    starLevel: starLevelOf(certificates),
  };
}

/**
 * Consumer of techan.certification.product-status-changed.v1 (DESIGN §3). Each step is one conditional
 * write keyed on the per-product version, so redelivery, reordering and concurrent consumers are
 * harmless and a replay from the start of the stream rebuilds the same state. The status and the
 * listing row's copy are written in one transaction: outside one, an older first event could copy
 * itself onto the row after a newer one had (the row's guard has to let a first status through).
 */
@Injectable()
export class CertificationProjection {
  private readonly logger = new Logger(CertificationProjection.name);

  constructor(
    @InjectModel(CERT_STATUS) private readonly statuses: Model<CertStatusDoc>,
    @InjectModel(PRODUCT) private readonly products: Model<ProductDoc>,
    @InjectConnection() private readonly connection: Connection,
  ) {}

  /**
   * Returns true when the event was newer than what the projection held. The bus consumer passes its
   * inbox transaction; other callers (tests, tools) get a transaction of their own.
   */
  async apply(raw: unknown, session?: ClientSession): Promise<boolean> {
    if (!session) return this.connection.transaction((own) => this.apply(raw, own));
    const event = ProductStatusChangedV1.parse(raw);
    const set = {
      merchantId: event.merchantId,
      version: event.version,
      certificates: event.certificates,
      changedAt: event.changedAt,
    };
    const stored = await this.storeIfNewer(event.productId, set, session);
    if (!stored) {
      this.logger.debug(`stale status event v${event.version} for ${event.productId}`);
      return false;
    }
    // Copy onto the listing row, again only forward in version (a concurrent older apply can't win).
    // The first status of a product (also the first after an operator dropped the projection to
    // rebuild it by replay) replaces whatever the row held, so a wedged row is rebuilt too.
    await this.products.updateOne(
      { _id: event.productId, certVersion: stored === 'inserted' ? { $ne: event.version } : { $lt: event.version } },
      { $set: certFieldsForProduct({ version: event.version, certificates: event.certificates }) },
      { session },
    );
    return true;
  }

  /** Version-guarded write: updates only an older state; inserts when there is none. */
  /**
   * A concurrent first event for the same product makes one of the two transactions fail on the
   * insert (duplicate key or write conflict); it aborts and the bus redelivers that event, which then
   * compares versions again.
   */
  private async storeIfNewer(productId: string, set: Omit<CertStatusDoc, '_id'>, session: ClientSession): Promise<'updated' | 'inserted' | false> {
    const res = await this.statuses.updateOne({ _id: productId, version: { $lt: set.version } }, { $set: set }, { session });
    if (res.matchedCount === 1) return 'updated';
    if (await this.statuses.exists({ _id: productId }).session(session)) return false; // newer or equal stored
    await this.statuses.create([{ _id: productId, ...set }], { session });
    return 'inserted';
  }

  async statusOf(productId: string): Promise<CertStatusDoc | null> {
    return this.statuses.findById(productId).lean<CertStatusDoc>().exec();
  }
}
