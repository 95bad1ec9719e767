import type { ZodType } from 'zod';
import { ProductStatusChangedV1 } from './certification.events';
import {
  ComplaintConfirmedV1,
  DeliveryRequestedV1,
  OrderCancelledV1,
  OrderPaidV1,
  OrderPlacedV1,
  OrderRefundedV1,
} from './orders.events';
import { MerchantUpsertedV1, ProductUpsertedV1, StockRejectedV1, StockReleasedV1, StockReservedV1 } from './catalog.events';
import { ItemsRejectedV1, ShipmentDeliveredV1, ShipmentDispatchedV1, ShipmentHeldV1, ShipmentPlannedV1 } from './logistics.events';

/**
 * Every event type on the bus: `techan.<service>.<event>.v<N>` → schema of its `data`.
 * Publishing or receiving a type not listed here is refused. The service named in the type owns it:
 * only that service may publish it.
 */
export const EVENT_TYPES = {
  ProductStatusChanged: 'techan.certification.product-status-changed.v1',
  OrderPlaced: 'techan.orders.order-placed.v1',
  OrderCancelled: 'techan.orders.order-cancelled.v1',
  OrderPaid: 'techan.orders.order-paid.v1',
  OrderRefunded: 'techan.orders.order-refunded.v1',
  DeliveryRequested: 'techan.orders.delivery-requested.v1',
  ComplaintConfirmed: 'techan.orders.complaint-confirmed.v1',
  StockReserved: 'techan.catalog.stock-reserved.v1',
  StockRejected: 'techan.catalog.stock-rejected.v1',
  StockReleased: 'techan.catalog.stock-released.v1',
  ProductUpserted: 'techan.catalog.product-upserted.v1',
  MerchantUpserted: 'techan.catalog.merchant-upserted.v1',
  ShipmentPlanned: 'techan.logistics.shipment-planned.v1',
  ShipmentDispatched: 'techan.logistics.shipment-dispatched.v1',
  ShipmentDelivered: 'techan.logistics.shipment-delivered.v1',
  ShipmentHeld: 'techan.logistics.shipment-held.v1',
  ItemsRejected: 'techan.logistics.items-rejected.v1',
} as const;
export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

export const EVENT_SCHEMAS: Record<EventType, ZodType> = {
  [EVENT_TYPES.ProductStatusChanged]: ProductStatusChangedV1,
  [EVENT_TYPES.OrderPlaced]: OrderPlacedV1,
  [EVENT_TYPES.OrderCancelled]: OrderCancelledV1,
  [EVENT_TYPES.OrderPaid]: OrderPaidV1,
  [EVENT_TYPES.OrderRefunded]: OrderRefundedV1,
  [EVENT_TYPES.DeliveryRequested]: DeliveryRequestedV1,
  [EVENT_TYPES.ComplaintConfirmed]: ComplaintConfirmedV1,
  [EVENT_TYPES.StockReserved]: StockReservedV1,
  [EVENT_TYPES.StockRejected]: StockRejectedV1,
  [EVENT_TYPES.StockReleased]: StockReleasedV1,
  [EVENT_TYPES.ProductUpserted]: ProductUpsertedV1,
  [EVENT_TYPES.MerchantUpserted]: MerchantUpsertedV1,
  [EVENT_TYPES.ShipmentPlanned]: ShipmentPlannedV1,
  [EVENT_TYPES.ShipmentDispatched]: ShipmentDispatchedV1,
  [EVENT_TYPES.ShipmentDelivered]: ShipmentDeliveredV1,
  [EVENT_TYPES.ShipmentHeld]: ShipmentHeldV1,
  [EVENT_TYPES.ItemsRejected]: ItemsRejectedV1,
};

/** The service that owns (alone may publish) an event type: `techan.<service>.…`. */
export function ownerOf(type: string): string | undefined {
  return /^techan\.([a-z]+)\./.exec(type)?.[1];
}
