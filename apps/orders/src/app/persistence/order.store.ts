import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ClientSession, Model, UpdateQuery } from 'mongoose';
import { Outbox, type EventType } from '@techan/common';
import { ORDER_STATUS_ZH, sourcesOf, type OrderStatus } from '../../domain/order-status';
import { CART, type CartDoc } from './cart.schema';
import { ORDER, type OrderDoc } from './order.schema';

export interface PendingEvent {
  type: EventType;
  subject: string;
  data: unknown;
}

export interface MoveOptions {
  set?: Partial<OrderDoc> & Record<string, unknown>;
  push?: Record<string, unknown>;
  inc?: Record<string, number>;
  noteZh?: string;
  /** Events recorded in the same transaction as the change (outbox), built from the order as it is now. */
  events?: (order: OrderDoc) => PendingEvent[];
  /** The order's cart: cleared when paid, unlocked when the order ends unpaid. */
  cart?: 'clear' | 'unlock';
}

/**
 * The only writer of order status. A move is a compare-and-set on the status (STYLE §3.6): the filter
 * lists the statuses the table allows to reach the target, so a late or duplicate step finds no match
 * and changes nothing (returns null), and its events are recorded only when the move happened.
 */
@Injectable()
export class OrderStore {
  constructor(
    @InjectModel(ORDER) readonly orders: Model<OrderDoc>,
    @InjectModel(CART) private readonly carts: Model<CartDoc>,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async get(orderId: string): Promise<OrderDoc | null> {
    return this.orders.findById(orderId).lean<OrderDoc>().exec();
  }

  async create(order: OrderDoc, events: PendingEvent[], session: ClientSession): Promise<void> {
    await this.orders.create([order], { session });
    for (const e of events) await this.outbox.record(session, e.type, e.subject, e.data);
  }

  async move(orderId: string, to: OrderStatus, opts: MoveOptions = {}, outer?: ClientSession): Promise<OrderDoc | null> {
    const work = async (session: ClientSession) => {
      const now = new Date();
      const update: UpdateQuery<OrderDoc> = {
        $set: { ...opts.set, status: to, updatedAt: now },
        $push: { history: { status: to, at: now, ...(opts.noteZh ? { noteZh: opts.noteZh } : { noteZh: ORDER_STATUS_ZH[to] }) }, ...opts.push },
        $inc: { version: 1, ...opts.inc },
      };
      const order = await this.orders
        .findOneAndUpdate({ _id: orderId, status: { $in: sourcesOf(to) } }, update, { session, returnDocument: 'after' })
        .lean<OrderDoc>()
        .exec();
      if (!order) return null;
      for (const e of opts.events?.(order) ?? []) await this.outbox.record(session, e.type, e.subject, e.data);
      if (order.cartId && opts.cart) {
        const cartUpdate = opts.cart === 'clear' ? { $set: { lines: [], checkoutOrderId: null, updatedAt: now }, $inc: { version: 1 } } : { $set: { checkoutOrderId: null, updatedAt: now } };
        await this.carts.updateOne({ _id: order.cartId, checkoutOrderId: orderId }, cartUpdate, { session });
      }
      return order;
    };
    return outer ? work(outer) : this.outbox.transaction(work);
  }

  /** A change that keeps the status (payment ids, delivery progress), guarded by `guard`. */
  async patch(orderId: string, guard: Record<string, unknown>, update: UpdateQuery<OrderDoc>, events: PendingEvent[] = []): Promise<OrderDoc | null> {
    return this.outbox.transaction(async (session) => {
      const order = await this.orders
        .findOneAndUpdate({ _id: orderId, ...guard }, { ...update, $set: { ...(update.$set ?? {}), updatedAt: new Date() }, $inc: { ...(update.$inc ?? {}), version: 1 } }, { session, returnDocument: 'after' })
        .lean<OrderDoc>()
        .exec();
      if (!order) return null;
      for (const e of events) await this.outbox.record(session, e.type, e.subject, e.data);
      return order;
    });
  }

  transaction<R>(work: (session: ClientSession) => Promise<R>): Promise<R> {
    return this.outbox.transaction(work);
  }
}
