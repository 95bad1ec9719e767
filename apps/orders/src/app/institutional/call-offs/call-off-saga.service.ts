import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ClientSession, Model } from 'mongoose';
import {
  EVENT_TYPES,
  ItemsRejectedV1,
  Outbox,
  ProductStatusChangedV1,
  ShipmentDeliveredV1,
  StockRejectedV1,
  StockReservedV1,
  type DeliveryRequestedV1,
  type OrderPaidV1,
} from '@techan/common';
import { CatalogueStore } from '../../catalogue/catalogue.store';
import { INST_CALL_OFF, INST_SITE, type CallOffDoc, type SiteDoc } from '../../persistence/institutional.schemas';
import { CallOffsService, orderLines } from './call-offs.service';
import { cachedLookup, deliverableLines, deliveredAs } from './line-review';

/** The proof-of-delivery line id of a call-off line (logistics echoes it back). */
export const deliveryLineId = (callOffId: string, skuId: string) => `${callOffId}:${skuId}`;

/**
 * The call-off side of the reservation saga and of receiving. Events for orders that are not
 * call-offs (retail checkout's orders share the topics) are ignored here.
 *
 * Payment: institutional buyers pay by monthly invoice, so a reserved call-off is at once recorded
 * as paid "on account" (order-paid with its channel): catalog turns the hold into a sale before the
 * goods leave, and the statement later bills what was accepted (shortages, rejections and recalls
 * deducted). The money itself moves with the monthly invoice.
 */
@Injectable()
export class CallOffSaga {
  private readonly logger = new Logger(CallOffSaga.name);

  constructor(
    @InjectModel(INST_CALL_OFF) private readonly callOffs: Model<CallOffDoc>,
    @InjectModel(INST_SITE) private readonly sites: Model<SiteDoc>,
    @Inject(CallOffsService) private readonly service: CallOffsService,
    @Inject(CatalogueStore) private readonly catalogue: CatalogueStore,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  private async callOff(orderId: string, session: ClientSession): Promise<CallOffDoc | null> {
    return this.callOffs.findById(orderId).session(session).lean<CallOffDoc>().exec();
  }

  async onStockReserved(raw: unknown, session: ClientSession, now: Date): Promise<void> {
    const e = StockReservedV1.parse(raw);
    const co = await this.callOff(e.orderId, session);
    if (!co) return; // not a call-off
    if (co.status !== 'reserving') return this.logger.debug(`stock-reserved for ${co._id} in ${co.status}: ignored`);
    const lines = orderLines(co.lines);
    const paid: OrderPaidV1 = {
      orderId: co._id,
      buyerId: co.orgId,
      channel: co.channel,
      lines,
      totalFen: lines.reduce((s, l) => s + l.quantity * l.unitPriceFen, 0),
      paidAt: now.toISOString(),
    };
    await this.outbox.record(session, EVENT_TYPES.OrderPaid, co._id, paid);
    if (co.channel === 'hot_meal') {
      // Hot meals wait for the kitchen's cooking-complete time before logistics hears of them.
      await this.service.casUpdate(co, { status: 'reserved' }, { action: 'reserved', by: 'catalog', at: now }, session);
      return;
    }
    const updated = await this.service.casUpdate(co, { status: 'delivery-requested', requestId: `dr-${co._id}` }, { action: 'reserved', by: 'catalog', at: now }, session);
    await this.recordDeliveryRequested(updated, now, session);
  }

  async onStockRejected(raw: unknown, session: ClientSession, now: Date): Promise<void> {
    const e = StockRejectedV1.parse(raw);
    const co = await this.callOff(e.orderId, session);
    if (!co || co.status !== 'reserving') return;
    const why = e.lines.map((l) => `${l.skuId}: ${l.reason ?? ''}${l.detail ? ` ${l.detail}` : ''}`).join('; ');
    await this.service.casUpdate(co, { status: 'rejected', rejection: e.lines }, { action: 'stock-rejected', by: 'catalog', at: now, note: why }, session);
    this.logger.warn(`call-off ${co._id} could not be reserved: ${why}`);
  }

  /** delivery-requested for a call-off or a cooked hot-meal batch. */
  async recordDeliveryRequested(co: CallOffDoc, now: Date, session: ClientSession, hot?: { cookedAt: Date; maxRideMinutes: number }): Promise<void> {
    const site = await this.sites.findById(co.siteId).session(session).lean<SiteDoc>().exec();
    if (!site) throw new Error(`site ${co.siteId} of call-off ${co._id} is missing`);
    const data: DeliveryRequestedV1 = {
      requestId: `dr-${co._id}`,
      orderId: co._id,
      channel: co.channel,
      buyerId: co.orgId,
      buyerOrgId: co.orgId,
      siteId: co.siteId,
      address: { ...site.address, contactName: site.contact.name, contactPhone: site.contact.phone },
      window: { from: new Date(co.window.from).toISOString(), until: new Date(co.window.until).toISOString() },
      lines: deliverableLines(co.lines).map((l) => {
        const d = deliveredAs(l);
        return {
          lineId: deliveryLineId(co._id, d.skuId),
          productId: d.productId,
          skuId: d.skuId,
          nameZh: d.nameZh,
          quantity: l.quantity,
          temperatureClass: l.temperatureClass,
          weightGrams: l.unitGrams * l.quantity,
        };
      }),
      ...(hot ? { cookedAt: hot.cookedAt.toISOString(), maxRideMinutes: hot.maxRideMinutes } : {}),
      requestedAt: now.toISOString(),
    };
    await this.outbox.record(session, EVENT_TYPES.DeliveryRequested, data.requestId, data);
  }

  /** Proof of delivery: what was accepted, rejected at the door and short, per line. */
  async onShipmentDelivered(raw: unknown, session: ClientSession, now: Date): Promise<void> {
    const e = ShipmentDeliveredV1.parse(raw);
    const co = await this.callOff(e.orderId, session);
    if (!co) return;
    if (co.status !== 'delivery-requested') return this.logger.debug(`proof of delivery for ${co._id} in ${co.status}: ignored`);
    const byLine = new Map(e.lines.map((l) => [l.lineId, l]));
    const lines = co.lines.map((l) => {
      const pod = deliverableLines([l]).length ? byLine.get(deliveryLineId(co._id, deliveredAs(l).skuId)) : undefined;
      if (!pod) return deliverableLines([l]).length ? { ...l, accepted: 0, rejected: 0, short: l.quantity } : l;
      const accepted = Math.min(pod.accepted, l.quantity);
      const rejected = Math.min(pod.rejected, l.quantity - accepted);
      return { ...l, accepted, rejected, short: l.quantity - accepted - rejected };
    });
    await this.service.casUpdate(co, { lines, status: 'delivered', deliveredAt: new Date(e.deliveredAt) }, { action: 'delivered', by: e.receiverName, at: now }, session);
  }

  /** Recall or QA rejection of held items: the line is credited on the statement. */
  async onItemsRejected(raw: unknown, session: ClientSession, now: Date): Promise<void> {
    const e = ItemsRejectedV1.parse(raw);
    const co = await this.callOff(e.orderId, session);
    if (!co) return;
    const qty = new Map(e.lines.map((l) => [l.lineId, l.quantity]));
    const lines = co.lines.map((l) => {
      const q = deliverableLines([l]).length ? qty.get(deliveryLineId(co._id, deliveredAs(l).skuId)) : undefined;
      return q ? { ...l, recalled: Math.min(l.quantity, (l.recalled ?? 0) + q) } : l;
    });
    await this.service.casUpdate(co, { lines }, { action: `items-rejected:${e.cause}`, by: e.decidedBy, at: now, note: e.reason }, session);
  }

  /** A certification change re-reviews open call-offs, using the event's own certificates for that product. */
  async onProductStatus(raw: unknown, now: Date): Promise<number> {
    const e = ProductStatusChangedV1.parse(raw);
    const base = cachedLookup(this.catalogue);
    const lookup = {
      item: async (id: string) => {
        const item = await base.item(id);
        return item && id === e.productId ? { ...item, certificates: e.certificates } : item;
      },
      category: async (c: string) => (await base.category(c)).map((i) => (i.productId === e.productId ? { ...i, certificates: e.certificates } : i)),
    };
    return this.service.reviewForProduct(e.productId, lookup, now);
  }
}
