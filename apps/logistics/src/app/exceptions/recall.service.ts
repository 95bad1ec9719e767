import { Injectable, Logger } from '@nestjs/common';
import type { ProductStatusChangedV1 } from '@techan/common';
import type { ClientSession } from 'mongoose';
import { recallVerdict, RECALL_REASON_ZH } from '../../domain';
import { Stores } from '../persistence/stores';
import { HoldsService } from './holds.service';

/**
 * Recalls: keeps a projection of certification's product status (newest version wins, so replays and
 * reordering are harmless) and, when a product is red-warned, suspended or revoked, holds every
 * undelivered line of it — pending, planned, or already on a vehicle — and tells orders to refund or
 * replace (items-rejected). New requests for a recalled product are held on arrival (ShipmentsService).
 */
@Injectable()
export class RecallService {
  private readonly logger = new Logger(RecallService.name);
  constructor(
    private readonly stores: Stores,
    private readonly holds: HoldsService,
  ) {}

  async onStatusChanged(session: ClientSession, e: ProductStatusChangedV1, now = new Date()): Promise<number> {
    const current = await this.stores.products.findById(e.productId, { version: 1 }, { session }).lean();
    if (current && current.version >= e.version) return 0;
    await this.stores.products.updateOne(
      { _id: e.productId },
      { $set: { version: e.version, certificates: e.certificates, productName: e.productName } },
      { upsert: true, session },
    );
    const verdict = recallVerdict(e.certificates, now);
    if (!verdict.recall) return 0;
    const reason = `${RECALL_REASON_ZH[verdict.reason as string] ?? verdict.reason}${e.reason ? `：${e.reason}` : ''}`;
    const shipments = await this.stores.shipments
      .find({ 'lines.productId': e.productId, status: { $in: ['pending', 'planned', 'dispatched', 'arrived'] } }).session(session)
      .lean();
    let held = 0;
    for (const s of shipments) {
      const lineIds = s.lines.filter((l) => l.productId === e.productId).map((l) => l.lineId);
      held += (await this.holds.holdLines(session, s, lineIds, 'recall', e.productId, now, { decidedBy: 'system:recall', reason })).length;
    }
    this.logger.warn(`recall of product ${e.productId} (${verdict.reason}): ${held} line(s) on ${shipments.length} shipment(s) held`);
    return held;
  }
}
