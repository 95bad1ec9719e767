import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import {
  evaluatePurchasable,
  EVENT_TYPES,
  OrderCancelledV1,
  OrderPaidV1,
  OrderPlacedV1,
  type StockRejectedV1,
  type StockReleasedV1,
  type StockReservedV1,
} from '@techan/common';
import { executeReservation, planReservation, type SkuForReservation, type StockPort } from '../domain';
import {
  PRODUCT,
  RESERVATION,
  STOCK,
  type ProductDoc,
  type ReservationDoc,
  type StockDoc,
} from '../persistence/schemas';
import { CLOCK, type Clock } from './clock';
import { isDuplicateKey } from './errors';
import { CATALOG_EVENTS, type CatalogEventPublisher } from './events';

export type ReservationResult =
  | { outcome: 'reserved'; data: StockReservedV1 }
  | { outcome: 'rejected'; data: StockRejectedV1 }
  | { outcome: 'duplicate'; status: ReservationDoc['status'] };

/**
 * The catalogue's part of the checkout saga (DESIGN §3). Every stock change is one conditional update
 * on the SKU's stock row — `available ≥ quantity` and "this order holds nothing here yet" — so there is
 * no read-then-write, no oversell, and a redelivered order cannot reserve twice. Failure of a later line
 * gives back the earlier ones (compensation); cancellation and timeout give back everything the order
 * holds, found through the holds themselves, so no unit is ever lost.
 */
@Injectable()
export class StockService {
  private readonly logger = new Logger(StockService.name);

  constructor(
    @InjectModel(STOCK) private readonly stock: Model<StockDoc>,
    @InjectModel(PRODUCT) private readonly products: Model<ProductDoc>,
    @InjectModel(RESERVATION) private readonly reservations: Model<ReservationDoc>,
    @Inject(CATALOG_EVENTS) private readonly events: CatalogEventPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Handler of techan.orders.order-placed.v1. */
  async onOrderPlaced(raw: unknown): Promise<ReservationResult> {
    const order = OrderPlacedV1.parse(raw);
    const existing = await this.reservations.findById(order.orderId).lean<ReservationDoc>().exec();
    if (existing) return { outcome: 'duplicate', status: existing.status };

    const now = this.clock.now();
    const skus = await this.loadSkus(order.lines.map((l) => l.skuId));
    const plan = planReservation(order, skus, now);
    if (!plan.ok) return this.reject(order.orderId, plan.lines, now);

    const outcome = await executeReservation(plan.lines, this.port(order.orderId, now));
    if (!outcome.ok) return this.reject(order.orderId, outcome.lines, now);

    const doc: ReservationDoc = { _id: order.orderId, status: 'reserved', lines: plan.lines, reservedUntil: plan.reservedUntil, createdAt: now };
    const data: StockReservedV1 = {
      orderId: order.orderId,
      lines: plan.lines,
      reservedUntil: plan.reservedUntil.toISOString(),
    };
    try {
      // The reservation record and its event commit together (outbox).
      await this.events.transaction(async (session) => {
        await this.reservations.create([doc], { session });
        await this.events.publish(EVENT_TYPES.StockReserved, order.orderId, data, session);
      });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      // Another delivery of this order, or its cancellation, got there first. Holds are per order, so
      // a concurrent reservation shares them; after a cancellation they must go back.
      const winner = await this.reservations.findById(order.orderId).lean<ReservationDoc>().exec();
      if (winner?.status !== 'reserved') await this.releaseHolds(order.orderId);
      return { outcome: 'duplicate', status: winner?.status ?? 'released' };
    }
    return { outcome: 'reserved', data };
  }

  /** Handler of techan.orders.order-cancelled.v1. */
  async onOrderCancelled(raw: unknown): Promise<boolean> {
    const event = OrderCancelledV1.parse(raw);
    return this.release(event.orderId, 'cancelled');
  }

  /** Handler of techan.orders.order-paid.v1. */
  async onOrderPaid(raw: unknown): Promise<boolean> {
    return this.commit(OrderPaidV1.parse(raw).orderId);
  }

  /**
   * The order was paid: its held units become sold and the timeout no longer applies. Idempotent
   * (status flip first, then each SKU's hold is pulled at most once). Certified-only to the end: a
   * product blocked since the reservation is not sold — the holds stay until orders' recall cancels
   * the order (or the reservation times out), and false is returned.
   */
  async commit(orderId: string): Promise<boolean> {
    const now = this.clock.now();
    const reservation = await this.reservations.findById(orderId, { status: 1, lines: 1 }).lean<Pick<ReservationDoc, 'status' | 'lines'>>().exec();
    if (reservation?.status === 'reserved') {
      const skus = await this.loadSkus(reservation.lines.map((l) => l.skuId));
      const blocked = [...skus.values()].find((s) => !evaluatePurchasable(s.certificates, now).purchasable);
      if (blocked) {
        this.logger.warn(`order ${orderId} was paid but ${blocked.productId} is no longer purchasable: not committed`);
        return false;
      }
    }
    const res = await this.reservations.updateOne({ _id: orderId, status: 'reserved' }, { $set: { status: 'committed', committedAt: now } });
    const holders = await this.stock.find({ 'holds.orderId': orderId }, { holds: 1 }).lean<StockDoc[]>().exec();
    for (const h of holders) {
      const hold = h.holds.find((x) => x.orderId === orderId);
      if (!hold) continue;
      await this.stock.updateOne(
        { _id: h._id, 'holds.orderId': orderId },
        { $inc: { reserved: -hold.quantity, sold: hold.quantity }, $pull: { holds: { orderId } } },
      );
    }
    return res.modifiedCount === 1;
  }

  /** Saga timeout: releases every reservation whose end has passed. Returns how many were released. */
  async releaseExpired(limit = 500): Promise<number> {
    const now = this.clock.now();
    const due = await this.reservations
      .find({ status: 'reserved', reservedUntil: { $lte: now } }, { _id: 1 })
      .limit(limit)
      .lean<Pick<ReservationDoc, '_id'>[]>()
      .exec();
    let released = 0;
    for (const r of due) if (await this.release(r._id, 'timeout')) released++;
    return released;
  }

  /**
   * Gives back everything the order holds. The status flip is the guard (only one caller releases);
   * the per-SKU `$pull` of this order's hold makes a retried release harmless.
   */
  async release(orderId: string, reason: 'cancelled' | 'timeout'): Promise<boolean> {
    const now = this.clock.now();
    const data: StockReleasedV1 = { orderId, reason };
    const flipped = await this.events.transaction(async (session) => {
      const res = await this.reservations.updateOne(
        { _id: orderId, status: 'reserved' },
        { $set: { status: 'released', releasedAt: now, releaseReason: reason } },
        { session },
      );
      if (res.modifiedCount !== 1) return false;
      await this.events.publish(EVENT_TYPES.StockReleased, orderId, data, session);
      return true;
    });
    if (!flipped) {
      // Cancelled before (or while) the order was reserved: leave a tombstone so a late or in-flight
      // order-placed cannot hold stock for a cancelled order.
      try {
        await this.reservations.create({ _id: orderId, status: 'released', lines: [], createdAt: now, releasedAt: now, releaseReason: reason });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    }
    // After the commit: give the units back (idempotent per order, so a crash here is finished by
    // the orphan sweep or a redelivered cancellation).
    await this.releaseHolds(orderId);
    return flipped;
  }

  private async releaseHolds(orderId: string): Promise<void> {
    const holders = await this.stock.find({ 'holds.orderId': orderId }, { holds: 1 }).lean<StockDoc[]>().exec();
    for (const h of holders) {
      const hold = h.holds.find((x) => x.orderId === orderId);
      if (hold) await this.port(orderId, this.clock.now()).release(h._id, hold.quantity);
    }
  }

  /**
   * Holds left behind by a crash between reserving lines and recording the reservation (or while
   * compensating): a hold older than `graceMs` whose order has no live reservation is given back.
   */
  async releaseOrphanHolds(graceMs = 5 * 60_000): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - graceMs);
    const rows = await this.stock
      .find({ holds: { $elemMatch: { at: { $lt: cutoff } } } }, { holds: 1 })
      .limit(500)
      .lean<StockDoc[]>()
      .exec();
    const orderIds = [...new Set(rows.flatMap((r) => r.holds.filter((h) => h.at < cutoff).map((h) => h.orderId)))];
    if (!orderIds.length) return 0;
    const live = await this.reservations.find({ _id: { $in: orderIds }, status: 'reserved' }, { _id: 1 }).lean<{ _id: string }[]>().exec();
    const liveIds = new Set(live.map((r) => r._id));
    let released = 0;
    for (const id of orderIds) {
      if (liveIds.has(id)) continue;
      await this.releaseHolds(id);
      released++;
    }
    return released;
  }

  private port(orderId: string, now: Date): StockPort {
    return {
      tryReserve: async (skuId, quantity) => {
        const res = await this.stock.updateOne(
          { _id: skuId, available: { $gte: quantity }, 'holds.orderId': { $ne: orderId } },
          { $inc: { available: -quantity, reserved: quantity }, $push: { holds: { orderId, quantity, at: now } } },
        );
        if (res.modifiedCount === 1) return true;
        // A delivery of this order that crashed after taking the units but before recording the
        // reservation left its hold: the units are already this order's, so the line is reserved.
        return (await this.stock.exists({ _id: skuId, holds: { $elemMatch: { orderId, quantity } } }).exec()) !== null;
      },
      release: async (skuId, quantity) => {
        await this.stock.updateOne(
          { _id: skuId, 'holds.orderId': orderId },
          { $inc: { available: quantity, reserved: -quantity }, $pull: { holds: { orderId } } },
        );
      },
    };
  }

  private async reject(orderId: string, lines: StockRejectedV1['lines'], now: Date): Promise<ReservationResult> {
    const data: StockRejectedV1 = { orderId, lines };
    try {
      await this.events.transaction(async (session) => {
        await this.reservations.create([{ _id: orderId, status: 'rejected', lines: [], rejectedLines: lines, createdAt: now }], { session });
        await this.events.publish(EVENT_TYPES.StockRejected, orderId, data, session);
      });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return { outcome: 'duplicate', status: 'rejected' };
    }
    return { outcome: 'rejected', data };
  }

  private async loadSkus(skuIds: string[]): Promise<Map<string, SkuForReservation>> {
    const ids = [...new Set(skuIds)];
    // merchantApproved is kept on the product row (set when the operator approves), so one query suffices.
    const products = await this.products
      .find({ 'skus.skuId': { $in: ids } }, { _id: 1, merchantApproved: 1, listed: 1, certificates: 1, skus: 1 })
      .lean<Pick<ProductDoc, '_id' | 'merchantApproved' | 'listed' | 'certificates' | 'skus'>[]>()
      .exec();
    const out = new Map<string, SkuForReservation>();
    for (const p of products) {
      for (const s of p.skus) {
        if (!ids.includes(s.skuId)) continue;
        out.set(s.skuId, {
          skuId: s.skuId,
          productId: p._id,
          listed: p.listed,
          merchantApproved: p.merchantApproved,
          certificates: p.certificates,
        });
      }
    }
    return out;
  }
}
