import { z } from 'zod';
import { TEMPERATURE_CLASSES } from './vocabulary';

/** A compartment's temperatures during a trip: what proof of delivery and the consumer's trace show. */
export const TemperatureSummary = z.object({
  temperatureClass: z.enum(TEMPERATURE_CLASSES),
  minC: z.number(),
  maxC: z.number(),
  readings: z.number().int().nonnegative(),
  /** True when an excursion (outside the class's range for longer than allowed) happened on this trip. */
  excursion: z.boolean(),
});
export type TemperatureSummary = z.infer<typeof TemperatureSummary>;

/** techan.logistics.shipment-planned.v1 — keyed by requestId: a published plan put the request on a route. */
export const ShipmentPlannedV1 = z.object({
  shipmentId: z.string().min(1),
  requestId: z.string().min(1),
  orderId: z.string().min(1),
  planId: z.string().min(1),
  depotId: z.string().min(1),
  vehicleId: z.string().min(1),
  plannedArrival: z.iso.datetime(),
  plannedAt: z.iso.datetime(),
});
export type ShipmentPlannedV1 = z.infer<typeof ShipmentPlannedV1>;

/** techan.logistics.shipment-dispatched.v1 — keyed by requestId: the vehicle left with the goods (配送中). */
export const ShipmentDispatchedV1 = z.object({
  shipmentId: z.string().min(1),
  requestId: z.string().min(1),
  orderId: z.string().min(1),
  vehicleId: z.string().min(1),
  dispatchedAt: z.iso.datetime(),
});
export type ShipmentDispatchedV1 = z.infer<typeof ShipmentDispatchedV1>;

/**
 * techan.logistics.shipment-delivered.v1 — keyed by requestId: proof of delivery. Per line what was
 * accepted, rejected at the door and short; orders uses it for order status and contract invoicing,
 * certification for the consumer's trace (temperatures).
 */
export const ShipmentDeliveredV1 = z.object({
  shipmentId: z.string().min(1),
  requestId: z.string().min(1),
  orderId: z.string().min(1),
  receiverName: z.string().min(1),
  deliveredAt: z.iso.datetime(),
  lines: z.array(
    z.object({
      lineId: z.string().min(1),
      productId: z.string().min(1),
      skuId: z.string().min(1),
      accepted: z.number().int().nonnegative(),
      rejected: z.number().int().nonnegative(),
      short: z.number().int().nonnegative(),
      reason: z.string().optional(),
      /** The compartment class the line travelled in: its entry in `temperatures` (added in wave 2, optional). */
      temperatureClass: z.enum(TEMPERATURE_CLASSES).optional(),
    }),
  ),
  temperatures: z.array(TemperatureSummary),
});
export type ShipmentDeliveredV1 = z.infer<typeof ShipmentDeliveredV1>;

/**
 * techan.logistics.shipment-held.v1 — keyed by requestId: items were stopped before hand-over, by a
 * temperature excursion (waiting for QA) or a recall (certification blocked the product).
 */
export const ShipmentHeldV1 = z.object({
  shipmentId: z.string().min(1),
  requestId: z.string().min(1),
  orderId: z.string().min(1),
  cause: z.enum(['excursion', 'recall']),
  /** The excursion id or the product whose certification blocked it. */
  causeRef: z.string().min(1),
  lineIds: z.array(z.string().min(1)).min(1),
  heldAt: z.iso.datetime(),
});
export type ShipmentHeldV1 = z.infer<typeof ShipmentHeldV1>;

/**
 * techan.logistics.items-rejected.v1 — keyed by requestId: held items will not be delivered (QA rejected
 * them after an excursion, or a recall). Orders refunds them or, for contracts, sends a replacement.
 * Released items need no event: they go on and end in shipment-delivered.
 */
export const ItemsRejectedV1 = z.object({
  shipmentId: z.string().min(1),
  requestId: z.string().min(1),
  orderId: z.string().min(1),
  cause: z.enum(['excursion', 'recall']),
  causeRef: z.string().min(1),
  lines: z.array(z.object({ lineId: z.string().min(1), productId: z.string().min(1), skuId: z.string().min(1), quantity: z.number().int().positive() })).min(1),
  remedy: z.enum(['refund', 'replace']),
  decidedBy: z.string().min(1),
  reason: z.string().min(1),
  decidedAt: z.iso.datetime(),
});
export type ItemsRejectedV1 = z.infer<typeof ItemsRejectedV1>;
