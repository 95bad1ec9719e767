/**
 * The order's life as a state machine (data, not code paths): every change goes through `transition`,
 * and a change the table does not allow throws. Stored changes are compare-and-set on the status, so
 * two handlers racing on one order cannot both move it.
 */
export const ORDER_STATUSES = [
  'pending_stock', // placed; catalog is reserving and re-checking certification
  'awaiting_payment', // reserved; the shopper pays on the Checkout page
  'authorised', // a card payment is authorised, not yet captured
  'paid', // captured (or put on account for contract orders): stock committed, delivery requested
  'shipping', // the vehicle left with the goods
  'delivered',
  'held', // a recall or excursion stopped the goods before hand-over
  'cancelled', // nothing was charged, or every charge was returned
  'refunded', // captured money returned in full
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_STATUS_ZH: Record<OrderStatus, string> = {
  pending_stock: '确认库存中',
  awaiting_payment: '待付款',
  authorised: '已授权，待扣款',
  paid: '已付款',
  shipping: '配送中',
  delivered: '已送达',
  held: '已暂扣',
  cancelled: '已取消',
  refunded: '已退款',
};

const ALLOWED: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_stock: ['awaiting_payment', 'paid', 'cancelled'],
  awaiting_payment: ['authorised', 'paid', 'cancelled', 'refunded'],
  authorised: ['paid', 'cancelled'],
  paid: ['shipping', 'delivered', 'held', 'refunded'],
  shipping: ['delivered', 'held', 'refunded'],
  held: ['shipping', 'delivered', 'refunded'],
  delivered: ['refunded'],
  cancelled: ['refunded'],
  refunded: [],
};

export class IllegalTransition extends Error {
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`订单状态不能从「${ORDER_STATUS_ZH[from]}」变为「${ORDER_STATUS_ZH[to]}」`);
  }
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** The statuses from which `to` may be reached (the compare-and-set filter). */
export function sourcesOf(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => ALLOWED[from].includes(to));
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransition(from, to);
}

/** A shopper may cancel until the goods leave (after payment the money is refunded). */
export function shopperMayCancel(status: OrderStatus): boolean {
  return ['pending_stock', 'awaiting_payment', 'authorised', 'paid'].includes(status);
}

/** Orders whose goods have not been handed over: a red warning now means a recall. */
export function isUndeliveredAfterPayment(status: OrderStatus): boolean {
  return status === 'paid' || status === 'shipping' || status === 'held';
}

export const CANCEL_REASONS_ZH = {
  stock_rejected: '库存不足或商品已不可售，订单未成立',
  blocked: '商品认证状态变化（警示、暂停、撤销或过期），已停止销售',
  timeout: '超时未付款，订单已自动取消',
  payment_expired: '付款页面已过期',
  payment_cancelled: '付款已取消',
  shopper: '您已取消订单',
} as const;
export type CancelReason = keyof typeof CANCEL_REASONS_ZH;
