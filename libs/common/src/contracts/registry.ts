import type { ZodType } from 'zod';
import { ProductStatusChangedV1 } from './certification.events';
import { OrderCancelledV1, OrderPlacedV1 } from './orders.events';
import { ProductUpsertedV1, StockRejectedV1, StockReleasedV1, StockReservedV1 } from './catalog.events';

/**
 * Every event type on the bus: `techan.<service>.<event>.v<N>` → schema of its `data`.
 * Publishing or receiving a type not listed here is refused.
 */
export const EVENT_TYPES = {
  ProductStatusChanged: 'techan.certification.product-status-changed.v1',
  OrderPlaced: 'techan.orders.order-placed.v1',
  OrderCancelled: 'techan.orders.order-cancelled.v1',
  StockReserved: 'techan.catalog.stock-reserved.v1',
  StockRejected: 'techan.catalog.stock-rejected.v1',
  StockReleased: 'techan.catalog.stock-released.v1',
  ProductUpserted: 'techan.catalog.product-upserted.v1',
} as const;
export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

export const EVENT_SCHEMAS: Record<EventType, ZodType> = {
  [EVENT_TYPES.ProductStatusChanged]: ProductStatusChangedV1,
  [EVENT_TYPES.OrderPlaced]: OrderPlacedV1,
  [EVENT_TYPES.OrderCancelled]: OrderCancelledV1,
  [EVENT_TYPES.StockReserved]: StockReservedV1,
  [EVENT_TYPES.StockRejected]: StockRejectedV1,
  [EVENT_TYPES.StockReleased]: StockReleasedV1,
  [EVENT_TYPES.ProductUpserted]: ProductUpsertedV1,
};
