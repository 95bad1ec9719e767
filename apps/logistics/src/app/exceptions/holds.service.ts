import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DomainError, EVENT_TYPES, Outbox, type AuthUser, type ItemsRejectedV1, type ShipmentHeldV1 } from '@techan/common';
import type { ClientSession } from 'mongoose';
import { decideHold, remedyFor, type HoldCause, type QaDecision } from '../../domain';
import { assertActsForDepot } from '../access';
import { domain } from '../http-errors';
import type { HoldDoc, ShipmentDoc } from '../persistence/schemas';
import { Stores } from '../persistence/stores';

export interface AutoReject {
  decidedBy: string;
  reason: string;
}

/**
 * Holds keep shipment lines from being handed over (excursion: until QA decides; recall: for good).
 * Every hold and decision is stored with the shipment's line, and announced through the outbox:
 * shipment-held when lines stop, items-rejected when they will not be delivered.
 */
@Injectable()
export class HoldsService {
  private readonly logger = new Logger(HoldsService.name);
  constructor(
    private readonly stores: Stores,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Holds `lineIds` of a shipment in the caller's transaction. Lines already held for the same cause
   * are skipped (redelivered events, a second excursion on the same trip). With `autoReject` the new
   * holds are rejected at once (recalls) and orders is told to refund or replace.
   */
  async holdLines(session: ClientSession, shipment: ShipmentDoc, lineIds: string[], cause: HoldCause, causeRef: string, now: Date, autoReject?: AutoReject): Promise<HoldDoc[]> {
    const existing = await this.stores.holds.find({ shipmentId: shipment._id, lineId: { $in: lineIds }, cause }, { lineId: 1 }, { session }).lean();
    const already = new Set(existing.map((h) => h.lineId));
    const lines = shipment.lines.filter((l) => lineIds.includes(l.lineId) && !already.has(l.lineId));
    if (lines.length === 0) return [];
    const holds: HoldDoc[] = lines.map((l) => ({
      _id: `hold-${shipment._id}-${l.lineId}-${cause}`.replace(/[^A-Za-z0-9:_-]/g, '_'),
      shipmentId: shipment._id,
      requestId: shipment.requestId,
      orderId: shipment.orderId,
      depotId: shipment.depotId,
      channel: shipment.channel,
      lineId: l.lineId,
      productId: l.productId,
      skuId: l.skuId,
      nameZh: l.nameZh,
      quantity: l.quantity,
      cause,
      causeRef,
      status: autoReject ? 'rejected' : 'held',
      heldAt: now,
      ...(autoReject ? { decidedBy: autoReject.decidedBy, reason: autoReject.reason, decidedAt: now, remedy: remedyFor(shipment.channel) } : {}),
    }));
    await this.stores.holds.insertMany(holds, { session });
    const byLine = new Map(holds.map((h) => [h.lineId, h]));
    const newLines = shipment.lines.map((l) => {
      const h = byLine.get(l.lineId);
      return h ? { ...l, holdId: h._id, holdStatus: h.status, holdCause: cause } : l;
    });
    await this.casLines(session, shipment, newLines);
    await this.outbox.record<ShipmentHeldV1>(session, EVENT_TYPES.ShipmentHeld, shipment.requestId, {
      shipmentId: shipment._id,
      requestId: shipment.requestId,
      orderId: shipment.orderId,
      cause,
      causeRef,
      lineIds: holds.map((h) => h.lineId),
      heldAt: now.toISOString(),
    });
    if (autoReject) await this.recordRejected(session, holds, autoReject.decidedBy, autoReject.reason, now);
    this.logger.log(`${cause} ${causeRef}: held ${holds.length} line(s) of shipment ${shipment._id}${autoReject ? ' (rejected)' : ''}`);
    return holds;
  }

  /** A QA decision on one held line: release (it goes on) or reject (refund or replacement). */
  async decide(user: AuthUser, holdId: string, decision: QaDecision, reason: string, remedy: 'refund' | 'replace' | undefined, now = new Date()) {
    const hold = await this.stores.holds.findById(holdId).lean();
    if (!hold) throw new NotFoundException('扣留记录不存在');
    assertActsForDepot(user, hold.depotId ? await this.stores.depots.findById(hold.depotId).lean() : null);
    const decided = domain(() => decideHold(hold, decision, user.userId, reason, now));
    const finalRemedy = decision === 'reject' ? (remedy ?? remedyFor(hold.channel)) : undefined;
    await this.outbox.transaction(async (session) => {
      const updated = await this.stores.holds.findOneAndUpdate(
        { _id: holdId, status: 'held' },
        { $set: { ...decided, ...(finalRemedy ? { remedy: finalRemedy } : {}) } },
        { session, returnDocument: 'after' },
      ).lean();
      if (!updated) throw new DomainError('HOLD_ALREADY_DECIDED', '该扣留已有质检结论，不能再次决定');
      const shipment = await this.stores.shipments.findById(hold.shipmentId).session(session).lean();
      if (!shipment) throw new NotFoundException('运单不存在');
      const lines = shipment.lines.map((l) => (l.holdId === holdId ? { ...l, holdStatus: decided.status } : l));
      await this.casLines(session, shipment, lines);
      if (decided.status === 'rejected') await this.recordRejected(session, [updated], user.userId, decided.reason, now);
    });
    this.logger.log(`hold ${holdId}: ${decided.status} by ${user.userId}`);
    return this.stores.holds.findById(holdId).lean();
  }

  async list(user: AuthUser, q: { status?: string; cause?: string; depotId?: string; limit: number; offset: number }) {
    const filter: Record<string, unknown> = {};
    if (q.status) filter['status'] = q.status;
    if (q.cause) filter['cause'] = q.cause;
    if (!user.roles.includes('operator')) {
      const mine = (await this.stores.depots.find({ staffUserIds: user.userId }, { _id: 1 }).lean()).map((d) => d._id);
      if (q.depotId && !mine.includes(q.depotId)) throw new DomainError('FORBIDDEN_DEPOT', `无权查看配送中心 ${q.depotId}`, 403);
      filter['depotId'] = q.depotId ?? { $in: mine };
    } else if (q.depotId) filter['depotId'] = q.depotId;
    const [items, total] = await Promise.all([
      this.stores.holds.find(filter).sort({ heldAt: -1, _id: 1 }).skip(q.offset).limit(q.limit).lean(),
      this.stores.holds.countDocuments(filter),
    ]);
    return { items, total, limit: q.limit, offset: q.offset };
  }

  private async recordRejected(session: ClientSession, holds: HoldDoc[], decidedBy: string, reason: string, now: Date) {
    const first = holds[0];
    const remedy = first.remedy ?? remedyFor(first.channel);
    await this.outbox.record<ItemsRejectedV1>(session, EVENT_TYPES.ItemsRejected, first.requestId, {
      shipmentId: first.shipmentId,
      requestId: first.requestId,
      orderId: first.orderId,
      cause: first.cause,
      causeRef: first.causeRef,
      lines: holds.map((h) => ({ lineId: h.lineId, productId: h.productId, skuId: h.skuId, quantity: h.quantity })),
      remedy,
      decidedBy,
      reason,
      decidedAt: now.toISOString(),
    });
  }

  /** Writes a shipment's lines if nobody changed it meanwhile (compare-and-set on version); throwing retries the transaction's caller. */
  private async casLines(session: ClientSession, shipment: ShipmentDoc, lines: ShipmentDoc['lines']) {
    const res = await this.stores.shipments.updateOne({ _id: shipment._id, version: shipment.version }, { $set: { lines }, $inc: { version: 1 } }, { session });
    if (res.modifiedCount !== 1) throw new DomainError('SHIPMENT_CHANGED', '运单刚被修改，请重试', 409);
    shipment.version += 1;
    shipment.lines = lines;
  }
}
