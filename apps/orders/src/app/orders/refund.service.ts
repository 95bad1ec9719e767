import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@techan/common';
import { stripeKeys } from '../../domain/checkout';
import { checkRefund, RefundError } from '../../domain/refunds';
import { CheckoutSaga } from '../checkout/checkout.saga';
import type { OrderDoc, RefundRecord } from '../persistence/order.schema';
import { OrderStore } from '../persistence/order.store';
import { StripeGateway } from '../payments/stripe.gateway';

export interface RefundCommand {
  /** Our reference for this refund (after-sales case id, shipment id…): the idempotency key. */
  refundRef: string;
  amountFen: number;
  reason: RefundRecord['reason'];
  lines?: { skuId: string; quantity: number }[];
  noteZh: string;
  /** 假一赔廿 compensation credit granted with this refund. */
  compensationFen?: number;
  /**
   * For refunds the system owes by an event (recall, shortage): refund at most what is left of the
   * capture, and nothing if another refund (e.g. the whole order's recall) already took it all.
   */
  capAtRemaining?: boolean;
}

/**
 * Full and partial refunds of a captured order through Stripe Refunds (an invoice order is credited
 * on its next invoice instead). Once per `refundRef`: the Stripe call carries it as idempotency key
 * and the order records it, so a retried request refunds nothing twice. Refunding the rest of the
 * capture moves the order to refunded.
 */
@Injectable()
export class RefundService {
  constructor(
    @Inject(OrderStore) private readonly store: OrderStore,
    @Inject(StripeGateway) private readonly gateway: StripeGateway,
    @Inject(CheckoutSaga) private readonly saga: CheckoutSaga,
  ) {}

  refund(orderId: string, cmd: RefundCommand): Promise<OrderDoc> {
    return this.saga.exclusive(orderId, () => this.refundNow(orderId, cmd));
  }

  private async refundNow(orderId: string, cmd: RefundCommand): Promise<OrderDoc> {
    const order = await this.store.get(orderId);
    if (!order) throw new DomainError('NOT_FOUND', '没有这个订单', 404);
    const done = order.refunds.find((r) => r.refundId === cmd.refundRef);
    if (done) return order;
    const remaining = order.payment.capturedFen - order.payment.refundedFen;
    if (cmd.capAtRemaining) {
      if (remaining <= 0) return order;
      cmd = { ...cmd, amountFen: Math.min(cmd.amountFen, remaining) };
    }
    try {
      checkRefund(cmd.amountFen, order.payment.capturedFen, order.payment.refundedFen);
    } catch (e) {
      if (e instanceof RefundError) throw new DomainError(e.code.toUpperCase(), e.message, 409);
      throw e;
    }
    let stripeRefundId: string | undefined;
    if (order.paymentMethod !== 'invoice') {
      const refund = await this.gateway.stripe.refunds.create(
        { payment_intent: order.payment.paymentIntentId as string, amount: cmd.amountFen, reason: 'requested_by_customer', metadata: { orderId, refundRef: cmd.refundRef } },
        // A capped amount depends on the other refunds: the key names it, so a retry with the same rest is the same request.
        { idempotencyKey: stripeKeys.refund(orderId, cmd.capAtRemaining ? `${cmd.refundRef}:${cmd.amountFen}` : cmd.refundRef) },
      );
      stripeRefundId = refund.id;
    }
    const record: RefundRecord = { refundId: cmd.refundRef, ...(stripeRefundId ? { stripeRefundId } : {}), amountFen: cmd.amountFen, reason: cmd.reason, ...(cmd.lines ? { lines: cmd.lines } : {}), at: new Date() };
    const updated = await this.store.patch(
      orderId,
      { 'refunds.refundId': { $ne: cmd.refundRef } },
      { $push: { refunds: record, history: { status: order.status, at: record.at, noteZh: cmd.noteZh } }, $inc: { 'payment.refundedFen': cmd.amountFen, compensationFen: cmd.compensationFen ?? 0 } },
      [this.saga.refundedEvent(orderId, record)],
    );
    const now = updated ?? ((await this.store.get(orderId)) as OrderDoc);
    if (now.payment.refundedFen >= now.payment.capturedFen && now.status !== 'refunded') {
      return (await this.store.move(orderId, 'refunded', { noteZh: '已全额退款' })) ?? now;
    }
    return now;
  }
}
