import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import {
  DomainError,
  EVENT_TYPES,
  Outbox,
  type AuthUser,
  type DeliveryRequestedV1,
  type OrderCancelledV1,
  type ShipmentDeliveredV1,
  type TemperatureClass,
} from '@techan/common';
import type { ClientSession } from 'mongoose';
import { chinaDate, chooseDepot, isUndelivered, recallVerdict, RECALL_REASON_ZH, shipmentTransition, summarise } from '../../domain';
import { assertActsForDepot } from '../access';
import type { DeliverBody } from '../dto';
import { HoldsService } from '../exceptions/holds.service';
import { domain } from '../http-errors';
import type { ShipmentDoc } from '../persistence/schemas';
import { Stores } from '../persistence/stores';

/** Minutes at the door: a shopper's parcel is quick, a canteen's delivery is checked in. */
const SERVICE_MINUTES = { retail: 5, contract: 12, hot_meal: 12 } as const;

export function shipmentIdOf(requestId: string): string {
  return `shp-${requestId}`;
}

@Injectable()
export class ShipmentsService {
  private readonly logger = new Logger(ShipmentsService.name);
  constructor(
    private readonly stores: Stores,
    private readonly outbox: Outbox,
    private readonly holds: HoldsService,
  ) {}

  /** A delivery request becomes a pending shipment of the nearest suitable depot (inside the inbox transaction). */
  async onDeliveryRequested(session: ClientSession, r: DeliveryRequestedV1, now = new Date()): Promise<void> {
    if (await this.stores.shipments.exists({ requestId: r.requestId }).session(session)) return;
    const depots = await this.stores.depots.find({}, { _id: 1, kind: 1, lat: 1, lng: 1 }, { session }).lean();
    const hot = r.lines.some((l) => l.temperatureClass === 'hot');
    const depot = chooseDepot(depots.map((d) => ({ id: d._id, kind: d.kind, lat: d.lat, lng: d.lng })), { lat: r.address.lat, lng: r.address.lng, hot });
    const cancelled = await this.stores.cancelledOrders.findById(r.orderId).session(session).lean();
    const doc: ShipmentDoc = {
      _id: shipmentIdOf(r.requestId),
      requestId: r.requestId,
      orderId: r.orderId,
      channel: r.channel,
      buyerId: r.buyerId,
      buyerOrgId: r.buyerOrgId,
      siteId: r.siteId,
      address: r.address,
      windowFrom: new Date(r.window.from),
      windowUntil: new Date(r.window.until),
      planDate: chinaDate(r.window.from),
      lines: r.lines.map((l) => ({ ...l })),
      cookedAt: r.cookedAt ? new Date(r.cookedAt) : undefined,
      maxRideMinutes: r.maxRideMinutes,
      serviceMinutes: SERVICE_MINUTES[r.channel],
      depotId: depot?.id,
      status: cancelled ? 'withdrawn' : 'pending',
      withdrawnReason: cancelled?.reason,
      version: 0,
      requestedAt: new Date(r.requestedAt),
      createdAt: now,
    };
    await this.stores.shipments.create([doc], { session });
    this.logger.log(`shipment ${doc._id} for order ${r.orderId}: ${doc.status}, depot ${depot?.id ?? '(none yet)'}, ${r.lines.length} line(s)`);
    if (cancelled) return;
    // A product already recalled never leaves the depot: hold its lines now.
    const products = [...new Set(r.lines.map((l) => l.productId))];
    const statuses = await this.stores.products.find({ _id: { $in: products } }).session(session).lean();
    for (const p of statuses) {
      const verdict = recallVerdict(p.certificates, now);
      if (!verdict.recall) continue;
      const lineIds = doc.lines.filter((l) => l.productId === p._id).map((l) => l.lineId);
      await this.holds.holdLines(session, doc, lineIds, 'recall', p._id, now, { decidedBy: 'system:recall', reason: RECALL_REASON_ZH[verdict.reason as string] ?? verdict.reason ?? 'recall' });
    }
  }

  /** A cancelled order withdraws its shipments that have not left; remembered in case its request comes later. */
  async onOrderCancelled(session: ClientSession, c: OrderCancelledV1): Promise<void> {
    await this.stores.cancelledOrders.updateOne({ _id: c.orderId }, { $setOnInsert: { reason: c.reason, cancelledAt: new Date(c.cancelledAt) } }, { upsert: true, session });
    const shipments = await this.stores.shipments.find({ orderId: c.orderId }).session(session).lean();
    for (const s of shipments) {
      if (s.status === 'pending' || s.status === 'planned') {
        await this.stores.shipments.updateOne({ _id: s._id, version: s.version }, { $set: { status: 'withdrawn', withdrawnReason: c.reason }, $inc: { version: 1 } }, { session });
        this.logger.log(`shipment ${s._id} withdrawn: order ${c.orderId} cancelled`);
      } else if (isUndelivered(s.status)) {
        this.logger.warn(`order ${c.orderId} cancelled but shipment ${s._id} is already ${s.status}: left to after-sales`);
      }
    }
  }

  async listDay(user: AuthUser, depotId: string, q: { date: string; status?: string; limit: number; offset: number }) {
    assertActsForDepot(user, await this.stores.depots.findById(depotId).lean());
    const filter: Record<string, unknown> = { depotId, planDate: q.date };
    if (q.status) filter['status'] = q.status;
    const [items, total] = await Promise.all([
      this.stores.shipments.find(filter).sort({ windowFrom: 1, _id: 1 }).skip(q.offset).limit(q.limit).lean(),
      this.stores.shipments.countDocuments(filter),
    ]);
    return { items: items.map(view), total, limit: q.limit, offset: q.offset };
  }

  async get(user: AuthUser, shipmentId: string) {
    const s = await this.forUser(user, shipmentId);
    const holds = await this.stores.holds.find({ shipmentId }).sort({ heldAt: 1 }).lean();
    return { ...view(s), holds };
  }

  async arrive(user: AuthUser, shipmentId: string, now = new Date()) {
    const s = await this.forUser(user, shipmentId);
    const next = domain(() => shipmentTransition(s.status, 'arrive'));
    const res = await this.stores.shipments.updateOne({ _id: s._id, version: s.version }, { $set: { status: next, arrivedAt: now }, $inc: { version: 1 } });
    if (res.modifiedCount !== 1) throw new DomainError('SHIPMENT_CHANGED', '运单刚被修改，请重试', 409);
    return view((await this.stores.shipments.findById(s._id).lean()) as ShipmentDoc);
  }

  /**
   * Proof of delivery: who received it, and per line what was accepted, rejected at the door or short.
   * Held lines cannot be handed over; lines rejected by QA or a recall must not be accepted. The
   * temperatures of each compartment class from dispatch to hand-over go with it.
   */
  async deliver(user: AuthUser, shipmentId: string, body: DeliverBody, now = new Date()) {
    const s = await this.forUser(user, shipmentId);
    const next = domain(() => shipmentTransition(s.status, 'deliver'));
    const deliveredAt = body.deliveredAt ? new Date(body.deliveredAt) : now;
    if (deliveredAt.getTime() > now.getTime() + 5 * 60_000) throw new DomainError('FUTURE_DELIVERY', '签收时间不能晚于当前时间', 400);
    const given = new Map(body.lines.map((l) => [l.lineId, l]));
    if (given.size !== body.lines.length) throw new DomainError('DUPLICATE_LINE', '同一明细只能出现一次', 400);
    const holds = await this.stores.holds.find({ shipmentId }).lean();
    const proofLines = s.lines.map((line) => {
      const g = given.get(line.lineId);
      if (!g) throw new DomainError('LINE_MISSING', `缺少明细 ${line.lineId}（${line.nameZh}）的签收数量`, 400);
      if (g.accepted + g.rejected + g.short !== line.quantity) {
        throw new DomainError('QUANTITY_MISMATCH', `明细 ${line.lineId}：签收 + 拒收 + 短少 应等于 ${line.quantity}`, 400);
      }
      const lineHolds = holds.filter((h) => h.lineId === line.lineId);
      if (lineHolds.some((h) => h.status === 'held')) throw new DomainError('LINE_HELD', `${line.nameZh} 已被扣留，待质检结论前不能交付`, 409);
      if (lineHolds.some((h) => h.status === 'rejected') && g.accepted > 0) {
        throw new DomainError('LINE_REJECTED', `${line.nameZh} 已被拒收或召回，不能交付给收货人`, 409);
      }
      return {
        lineId: line.lineId,
        productId: line.productId,
        skuId: line.skuId,
        accepted: g.accepted,
        rejected: g.rejected,
        short: g.short,
        ...(g.reason ? { reason: g.reason } : {}),
        temperatureClass: line.temperatureClass,
      };
    });
    for (const id of given.keys()) if (!s.lines.some((l) => l.lineId === id)) throw new DomainError('UNKNOWN_LINE', `运单中没有明细 ${id}`, 400);
    const temperatures = await this.tripTemperatures(s, deliveredAt);
    const proof = { receiverName: body.receiverName, deliveredAt: deliveredAt.toISOString(), confirmedBy: user.userId, lines: proofLines, temperatures };
    await this.outbox.transaction(async (session) => {
      const res = await this.stores.shipments.updateOne({ _id: s._id, version: s.version }, { $set: { status: next, delivery: proof }, $inc: { version: 1 } }, { session });
      if (res.modifiedCount !== 1) throw new DomainError('SHIPMENT_CHANGED', '运单刚被修改，请重试', 409);
      await this.outbox.record<ShipmentDeliveredV1>(session, EVENT_TYPES.ShipmentDelivered, s.requestId, {
        shipmentId: s._id,
        requestId: s.requestId,
        orderId: s.orderId,
        receiverName: proof.receiverName,
        deliveredAt: proof.deliveredAt,
        lines: proofLines,
        temperatures,
      });
    });
    this.logger.log(`shipment ${s._id} delivered to ${body.receiverName} (confirmed by ${user.userId})`);
    return view((await this.stores.shipments.findById(s._id).lean()) as ShipmentDoc);
  }

  /** Min/max per compartment class of the shipment's vehicle between dispatch and hand-over. */
  async tripTemperatures(s: ShipmentDoc, until: Date) {
    const classes = [...new Set(s.lines.map((l) => l.temperatureClass))] as TemperatureClass[];
    if (!s.vehicleId || !s.dispatchedAt) return classes.map((c) => summarise(c, [], false));
    return Promise.all(
      classes.map(async (temperatureClass) => {
        const range = { vehicleId: s.vehicleId, temperatureClass, at: { $gte: s.dispatchedAt, $lte: until } };
        const readings = await this.stores.readings.find(range, { c: 1, _id: 0 }).lean();
        const excursion = await this.stores.excursions.exists({
          vehicleId: s.vehicleId,
          temperatureClass,
          startedAt: { $lte: until },
          $or: [{ endedAt: { $exists: false } }, { endedAt: { $gte: s.dispatchedAt } }],
        });
        return summarise(temperatureClass, readings, Boolean(excursion));
      }),
    );
  }

  private async forUser(user: AuthUser, shipmentId: string): Promise<ShipmentDoc> {
    const s = await this.stores.shipments.findById(shipmentId).lean();
    if (!s) throw new NotFoundException('运单不存在');
    assertActsForDepot(user, s.depotId ? await this.stores.depots.findById(s.depotId).lean() : null);
    return s;
  }
}

export function view(s: ShipmentDoc) {
  const { _id, ...rest } = s;
  return { id: _id, ...rest, version: undefined };
}
