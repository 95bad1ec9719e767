import { z } from 'zod';

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
