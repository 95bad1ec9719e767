import { PAYMENT_METHOD_ZH } from '../../domain/checkout';
import { ORDER_STATUS_ZH } from '../../domain/order-status';
import type { OrderDoc } from '../persistence/order.schema';

export const DELIVERY_STATUS_ZH: Record<OrderDoc['delivery']['status'], string> = {
  none: '未配送',
  requested: '待配送',
  planned: '已排线',
  dispatched: '配送中',
  delivered: '已送达',
  held: '已暂扣',
};

/** What a shopper (or merchant/operator) sees of an order: Chinese labels beside the codes, money in fen. */
export const OrderView = {
  of(o: OrderDoc) {
    return {
      orderId: o._id,
      channel: o.channel,
      status: o.status,
      statusZh: ORDER_STATUS_ZH[o.status],
      lines: o.lines.map((l) => ({ ...l, lineTotalFen: l.unitPriceFen * l.quantity })),
      totalFen: o.totalFen,
      paymentMethod: o.paymentMethod,
      paymentMethodZh: PAYMENT_METHOD_ZH[o.paymentMethod],
      payment: {
        // The payment page only while it can still be used.
        ...(o.status === 'awaiting_payment' && o.payment.url ? { url: o.payment.url } : {}),
        capturedFen: o.payment.capturedFen,
        refundedFen: o.payment.refundedFen,
        ...(o.payment.lastErrorZh && o.status === 'awaiting_payment' ? { lastErrorZh: o.payment.lastErrorZh } : {}),
      },
      refunds: o.refunds.map((r) => ({ amountFen: r.amountFen, reason: r.reason, lines: r.lines, at: r.at })),
      compensationFen: o.compensationFen,
      ...(o.cancelReasonZh ? { cancelReason: o.cancelReason, cancelReasonZh: o.cancelReasonZh } : {}),
      delivery: { status: o.delivery.status, statusZh: DELIVERY_STATUS_ZH[o.delivery.status], ...(o.delivery.noteZh ? { noteZh: o.delivery.noteZh } : {}), ...(o.delivery.deliveredAt ? { deliveredAt: o.delivery.deliveredAt } : {}) },
      address: o.address,
      window: o.window,
      history: o.history.map((h) => ({ status: h.status, statusZh: ORDER_STATUS_ZH[h.status], at: h.at, ...(h.noteZh ? { noteZh: h.noteZh } : {}) })),
      deadline: o.deadline,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
    };
  },
};
