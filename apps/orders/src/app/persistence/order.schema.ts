import { Schema } from 'mongoose';
import type { DeliveryAddress, OrderChannel, TemperatureClass } from '@techan/common';
import type { PaymentMethod } from '../../domain/checkout';
import type { OrderStatus } from '../../domain/order-status';

export const ORDER = 'Order';

export interface OrderLineDoc {
  productId: string;
  skuId: string;
  merchantId: string;
  nameZh: string;
  specZh: string;
  unit: string;
  quantity: number;
  /** Price from the catalogue projection when the order was placed (fen). */
  unitPriceFen: number;
  temperatureClass: TemperatureClass;
  weightGrams: number;
  imageUrl?: string;
}

export interface StatusChange {
  status: OrderStatus;
  at: Date;
  noteZh?: string;
}

export interface RefundRecord {
  refundId: string; // our id (idempotency), e.g. "cancel" or an after-sales case id
  stripeRefundId?: string;
  amountFen: number;
  reason: 'cancelled' | 'blocked' | 'recall' | 'return' | 'shortage' | 'fake_compensation' | 'other';
  lines?: { skuId: string; quantity: number }[];
  at: Date;
}

export interface OrderDoc {
  _id: string;
  buyerId: string;
  channel: OrderChannel;
  /** Where an order from another channel came from (contract id, call-off id…), for that channel's own records. */
  sourceRef?: string;
  buyerOrgId?: string;
  siteId?: string;
  status: OrderStatus;
  lines: OrderLineDoc[];
  totalFen: number;
  paymentMethod: PaymentMethod;
  address: DeliveryAddress;
  window: { from: Date; until: Date };
  /** The shopper's cart this order came from (unlocked when the order ends without payment). */
  cartId?: string;
  /** Checkout deadline: the order is cancelled and its stock released after it unless paid. */
  deadline: Date;
  reservedUntil?: Date;
  payment: {
    sessionId?: string;
    url?: string;
    /** The payment page's expiry, fixed before the first request so every retry sends the same parameters. */
    sessionExpiresAt?: Date;
    paymentIntentId?: string;
    capturedFen: number;
    refundedFen: number;
    lastErrorZh?: string;
  };
  refunds: RefundRecord[];
  /** Compensation credit granted (假一赔廿), fen. */
  compensationFen: number;
  cancelReason?: string;
  cancelReasonZh?: string;
  delivery: { status: 'none' | 'requested' | 'planned' | 'dispatched' | 'delivered' | 'held'; requestId?: string; updatedAt?: Date; noteZh?: string; deliveredAt?: Date };
  history: StatusChange[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const OrderSchema = new Schema<OrderDoc>(
  {
    _id: { type: String, required: true },
    buyerId: { type: String, required: true },
    channel: { type: String, required: true },
    sourceRef: String,
    buyerOrgId: String,
    siteId: String,
    status: { type: String, required: true },
    lines: { type: Schema.Types.Mixed, required: true },
    totalFen: { type: Number, required: true },
    paymentMethod: { type: String, required: true },
    address: { type: Schema.Types.Mixed, required: true },
    window: { type: Schema.Types.Mixed, required: true },
    cartId: String,
    deadline: { type: Date, required: true },
    reservedUntil: Date,
    payment: { type: Schema.Types.Mixed, default: () => ({ capturedFen: 0, refundedFen: 0 }) },
    refunds: { type: Schema.Types.Mixed, default: () => [] },
    compensationFen: { type: Number, default: 0 },
    cancelReason: String,
    cancelReasonZh: String,
    delivery: { type: Schema.Types.Mixed, default: () => ({ status: 'none' }) },
    history: { type: Schema.Types.Mixed, default: () => [] },
    version: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'orders', versionKey: false, minimize: false },
);
// "My orders", newest first.
OrderSchema.index({ buyerId: 1, createdAt: -1 });
// The checkout sweeper finds open orders past their deadline.
OrderSchema.index({ status: 1, deadline: 1 });
// A certification block finds the open or undelivered orders of a product.
OrderSchema.index({ 'lines.productId': 1, status: 1 });
// Merchants see orders of their products.
OrderSchema.index({ 'lines.merchantId': 1, createdAt: -1 });
