import { z } from 'zod';
import { ORDER_CHANNELS, TEMPERATURE_CLASSES } from './vocabulary';

export const OrderLine = z.object({
  productId: z.string().min(1),
  skuId: z.string().min(1),
  quantity: z.number().int().positive(),
  /** Unit price in fen (分) at the time of ordering. */
  unitPriceFen: z.number().int().nonnegative(),
});
export type OrderLine = z.infer<typeof OrderLine>;

/** techan.orders.order-placed.v1 — keyed by orderId. Starts the checkout saga. */
export const OrderPlacedV1 = z.object({
  orderId: z.string().min(1),
  buyerId: z.string().min(1),
  /** Absent on events written before channels existed: read as retail. */
  channel: z.enum(ORDER_CHANNELS).optional(),
  lines: z.array(OrderLine).min(1),
  /** Reservations expire at this time unless the order is paid (saga timeout). */
  reserveUntil: z.iso.datetime(),
  placedAt: z.iso.datetime(),
});
export type OrderPlacedV1 = z.infer<typeof OrderPlacedV1>;

/** techan.orders.order-cancelled.v1 — keyed by orderId. Compensation: release stock. */
export const OrderCancelledV1 = z.object({
  orderId: z.string().min(1),
  reason: z.string().min(1),
  cancelledAt: z.iso.datetime(),
});
export type OrderCancelledV1 = z.infer<typeof OrderCancelledV1>;

/** techan.orders.order-paid.v1 — keyed by orderId. Money was captured: catalog turns the holds into sales. */
export const OrderPaidV1 = z.object({
  orderId: z.string().min(1),
  buyerId: z.string().min(1),
  channel: z.enum(ORDER_CHANNELS),
  lines: z.array(OrderLine).min(1),
  totalFen: z.number().int().nonnegative(),
  paidAt: z.iso.datetime(),
});
export type OrderPaidV1 = z.infer<typeof OrderPaidV1>;

/** techan.orders.order-refunded.v1 — keyed by orderId. Full or partial refund (after-sales, recall, block). */
export const OrderRefundedV1 = z.object({
  orderId: z.string().min(1),
  refundId: z.string().min(1),
  amountFen: z.number().int().positive(),
  reason: z.enum(['cancelled', 'blocked', 'recall', 'return', 'shortage', 'fake_compensation', 'other']),
  /** Lines refunded; absent for a refund of the whole order. */
  lines: z.array(z.object({ skuId: z.string().min(1), quantity: z.number().int().positive() })).optional(),
  refundedAt: z.iso.datetime(),
});
export type OrderRefundedV1 = z.infer<typeof OrderRefundedV1>;

export const DeliveryAddress = z.object({
  /** Full address as a person writes it (广东省江门市开平市…). */
  text: z.string().min(1),
  /** Coordinates (WGS-84) for the solver's distances. */
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  contactName: z.string().optional(),
  contactPhone: z.string().optional(),
});
export type DeliveryAddress = z.infer<typeof DeliveryAddress>;

export const DeliveryLine = z.object({
  /** Stable within the request, e.g. `<orderId>:<skuId>`; proof of delivery refers to it. */
  lineId: z.string().min(1),
  productId: z.string().min(1),
  skuId: z.string().min(1),
  nameZh: z.string().min(1),
  quantity: z.number().int().positive(),
  temperatureClass: z.enum(TEMPERATURE_CLASSES),
  /** Weight of the whole line in grams (capacity planning); 0 when unknown. */
  weightGrams: z.number().int().nonnegative(),
});
export type DeliveryLine = z.infer<typeof DeliveryLine>;

/**
 * techan.orders.delivery-requested.v1 — keyed by requestId. A paid retail order, a reserved contract
 * call-off or a hot-meal batch that logistics must deliver in the window. Logistics withdraws its stops
 * when techan.orders.order-cancelled.v1 arrives for the same orderId before dispatch.
 */
export const DeliveryRequestedV1 = z.object({
  requestId: z.string().min(1),
  orderId: z.string().min(1),
  channel: z.enum(ORDER_CHANNELS),
  buyerId: z.string().min(1),
  /** Institutional buyer organisation and its site, for contract and hot-meal deliveries. */
  buyerOrgId: z.string().optional(),
  siteId: z.string().optional(),
  address: DeliveryAddress,
  window: z.object({ from: z.iso.datetime(), until: z.iso.datetime() }),
  lines: z.array(DeliveryLine).min(1),
  /** Hot meals: when the batch finished cooking, and the longest ride allowed (eaten ≤ 4 h after cooking). */
  cookedAt: z.iso.datetime().optional(),
  maxRideMinutes: z.number().int().positive().optional(),
  requestedAt: z.iso.datetime(),
});
export type DeliveryRequestedV1 = z.infer<typeof DeliveryRequestedV1>;

/**
 * techan.orders.complaint-confirmed.v1 — keyed by productId. A consumer complaint (消费维权) or a
 * 假一赔廿 claim was confirmed: certification resets the complaint-free period and, for quality or
 * fake findings, opens a red-warning review.
 */
export const ComplaintConfirmedV1 = z.object({
  complaintId: z.string().min(1),
  productId: z.string().min(1),
  merchantId: z.string().min(1),
  orderId: z.string().optional(),
  kind: z.enum(['quality', 'safety', 'fake', 'service']),
  /** major: a 重大投诉 or safety incident in the star criteria' sense. */
  severity: z.enum(['major', 'minor']),
  summary: z.string().min(1).max(2000),
  confirmedAt: z.iso.datetime(),
});
export type ComplaintConfirmedV1 = z.infer<typeof ComplaintConfirmedV1>;
