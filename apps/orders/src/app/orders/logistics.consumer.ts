import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, ItemsRejectedV1, ShipmentDeliveredV1, ShipmentDispatchedV1, ShipmentHeldV1, type EventEnvelope } from '@techan/common';
import { OrderStore } from '../persistence/order.store';
import { RefundService } from './refund.service';

/**
 * Delivery status as logistics reports it. Status moves are compare-and-set (a late dispatch after
 * delivery changes nothing) and refunds carry a reference per shipment, so redelivery is harmless.
 */
@Controller()
export class LogisticsConsumer {
  private readonly logger = new Logger(LogisticsConsumer.name);

  constructor(
    @Inject(OrderStore) private readonly store: OrderStore,
    @Inject(RefundService) private readonly refunds: RefundService,
  ) {}

  @EventPattern(EVENT_TYPES.ShipmentDispatched)
  async onDispatched(@Payload() event: EventEnvelope) {
    const e = ShipmentDispatchedV1.parse(event.data);
    await this.store.move(e.orderId, 'shipping', { set: { 'delivery.status': 'dispatched', 'delivery.updatedAt': new Date(e.dispatchedAt) }, noteZh: '已发车，配送中' });
  }

  @EventPattern(EVENT_TYPES.ShipmentHeld)
  async onHeld(@Payload() event: EventEnvelope) {
    const e = ShipmentHeldV1.parse(event.data);
    const noteZh = e.cause === 'recall' ? '商品被召回，配送已暂扣' : '冷链温度异常，货物暂扣待质检';
    await this.store.move(e.orderId, 'held', { set: { 'delivery.status': 'held', 'delivery.noteZh': noteZh, 'delivery.updatedAt': new Date(e.heldAt) }, noteZh });
  }

  @EventPattern(EVENT_TYPES.ShipmentDelivered)
  async onDelivered(@Payload() event: EventEnvelope) {
    const e = ShipmentDeliveredV1.parse(event.data);
    const order = await this.store.move(e.orderId, 'delivered', {
      set: { 'delivery.status': 'delivered', 'delivery.deliveredAt': new Date(e.deliveredAt), 'delivery.updatedAt': new Date(e.deliveredAt) },
      noteZh: `已送达，签收人 ${e.receiverName}`,
    });
    const current = order ?? (await this.store.get(e.orderId));
    if (!current || current.channel !== 'retail') return; // contract shortfalls are settled on the invoice
    const missing = e.lines.filter((l) => l.rejected + l.short > 0).map((l) => ({ skuId: l.skuId, quantity: l.rejected + l.short }));
    if (!missing.length) return;
    const amountFen = missing.reduce((s, m) => s + (current.lines.find((l) => l.skuId === m.skuId)?.unitPriceFen ?? 0) * m.quantity, 0);
    if (amountFen > 0) {
      await this.refunds.refund(e.orderId, { refundRef: `shortage:${e.shipmentId}`, amountFen, reason: 'shortage', lines: missing, noteZh: '部分商品拒收或缺货，已退还相应金额', capAtRemaining: true });
    }
  }

  @EventPattern(EVENT_TYPES.ItemsRejected)
  async onItemsRejected(@Payload() event: EventEnvelope) {
    const e = ItemsRejectedV1.parse(event.data);
    if (e.remedy !== 'refund') return;
    const order = await this.store.get(e.orderId);
    if (!order || order.status === 'refunded') return;
    const lines = e.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity }));
    const amountFen = lines.reduce((s, m) => s + (order.lines.find((l) => l.skuId === m.skuId)?.unitPriceFen ?? 0) * m.quantity, 0);
    if (amountFen <= 0) return;
    const noteZh = e.cause === 'recall' ? '商品召回，已退款' : `冷链异常，货物不予配送，已退款（${e.reason}）`;
    const refundRef = `rejected:${e.shipmentId}:${e.causeRef}`;
    const after = await this.refunds.refund(e.orderId, { refundRef, amountFen, reason: e.cause === 'recall' ? 'recall' : 'other', lines, noteZh, capAtRemaining: true });
    const refunded = after.refunds.find((r) => r.refundId === refundRef)?.amountFen ?? 0;
    this.logger.log(`refunded ${refunded} fen of ${e.orderId} for rejected items (${e.cause})${refunded ? '' : ': nothing left to refund'}`);
  }
}
