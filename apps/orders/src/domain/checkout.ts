import type { OrderStatus } from './order-status';

/**
 * The checkout rule (DESIGN §3), as pure decisions the saga executes. Certified-only to the last cent:
 * a card payment is only authorised at first, and captured after a fresh certification check; Alipay
 * and WeChat Pay capture at once, so they are checked just before the session and again on success,
 * and refunded in full at once when a block is found then.
 */
export const PAYMENT_METHODS = ['card', 'alipay', 'wechat_pay', 'invoice'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** What a shopper can pay with on the Checkout page (invoice is for institutional contracts). */
export const SHOPPER_PAYMENT_METHODS = ['card', 'alipay', 'wechat_pay'] as const;

export const PAYMENT_METHOD_ZH: Record<PaymentMethod, string> = { card: '银行卡', alipay: '支付宝', wechat_pay: '微信支付', invoice: '月结发票' };

/** Only cards can be authorised and captured later on Stripe. */
export function capturesLater(method: PaymentMethod): boolean {
  return method === 'card';
}

/** Stripe only lets a Checkout Session expire 30 min – 24 h after creation; our own deadline may be sooner. */
export const STRIPE_MIN_SESSION_MS = 30 * 60_000;
export const STRIPE_MAX_SESSION_MS = 24 * 3600_000;

export function sessionExpiresAt(now: Date, deadline: Date): Date {
  const wanted = Math.min(Math.max(deadline.getTime(), now.getTime() + STRIPE_MIN_SESSION_MS + 60_000), now.getTime() + STRIPE_MAX_SESSION_MS - 60_000);
  return new Date(wanted);
}

/** Idempotency keys derived from the order, so a retried step is the same request to Stripe. */
export const stripeKeys = {
  session: (orderId: string) => `order:${orderId}:checkout-session`,
  capture: (orderId: string) => `order:${orderId}:capture`,
  cancel: (orderId: string) => `order:${orderId}:cancel-authorisation`,
  refund: (orderId: string, refundRef: string) => `order:${orderId}:refund:${refundRef}`,
};

/**
 * Stripe could not be reached or failed on its side (connection, 5xx, rate limit): worth trying the
 * same request again later. Anything else (a 4xx about the request) would fail the same way again.
 */
export function isProviderUnavailable(error: unknown): boolean {
  const e = error as { type?: string; statusCode?: number } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.type === 'StripeConnectionError' || e.type === 'StripeAPIError' || e.type === 'StripeRateLimitError') return true;
  return typeof e.statusCode === 'number' && (e.statusCode >= 500 || e.statusCode === 429);
}

/**
 * Stripe refused the session's `expires_at` (it must lie 30 min – 24 h after creation, by Stripe's clock).
 * A refused request is not saved under its idempotency key, so it may be asked again with another value.
 */
export function isExpiryRejected(error: unknown): boolean {
  const e = error as { type?: string; param?: string } | null;
  return !!e && typeof e === 'object' && e.type === 'StripeInvalidRequestError' && e.param === 'expires_at';
}

/** What the payment provider says now (the PaymentIntent, read back — never trusted from a webhook body). */
export type ProviderState = 'none' | 'open' | 'authorised' | 'captured' | 'cancelled' | 'expired';

export type PaymentAction =
  | { kind: 'nothing' }
  | { kind: 'capture' } // authorised card, still orderable, still reserved
  | { kind: 'cancel_authorisation'; reason: 'blocked' | 'timeout' | 'shopper' }
  | { kind: 'mark_paid' } // captured and orderable
  | { kind: 'refund_all'; reason: 'blocked' | 'cancelled' | 'timeout' } // captured but must not keep the money
  | { kind: 'cancel_order'; reason: 'payment_cancelled' | 'payment_expired' };

export interface PaymentFacts {
  status: OrderStatus;
  provider: ProviderState;
  /** Every line orderable now (certified-only, listed). */
  orderable: boolean;
  /** The stock reservation still holds (now < reservedUntil). */
  reserved: boolean;
}

/**
 * Decides the saga's next payment step from the order and the provider's current state. Because it
 * reads the current state (not the event that woke it), webhooks may come twice or in any order.
 */
export function decidePayment(f: PaymentFacts): PaymentAction {
  const open = f.status === 'awaiting_payment' || f.status === 'authorised';
  switch (f.provider) {
    case 'authorised':
      if (f.status === 'cancelled' || f.status === 'refunded') return { kind: 'cancel_authorisation', reason: 'shopper' };
      if (!open) return { kind: 'nothing' };
      if (!f.orderable) return { kind: 'cancel_authorisation', reason: 'blocked' };
      if (!f.reserved) return { kind: 'cancel_authorisation', reason: 'timeout' };
      return { kind: 'capture' };
    case 'captured':
      if (f.status === 'cancelled') return { kind: 'refund_all', reason: 'cancelled' };
      if (!open) return { kind: 'nothing' };
      // Alipay / WeChat Pay (captured at once), or a capture whose reply we lost.
      if (f.status === 'awaiting_payment' && !f.orderable) return { kind: 'refund_all', reason: 'blocked' };
      // Paid after the reservation ended: the stock may be gone, so the money goes back.
      if (f.status === 'awaiting_payment' && !f.reserved) return { kind: 'refund_all', reason: 'timeout' };
      return { kind: 'mark_paid' };
    case 'cancelled':
      return open ? { kind: 'cancel_order', reason: 'payment_cancelled' } : { kind: 'nothing' };
    case 'expired':
      return f.status === 'awaiting_payment' ? { kind: 'cancel_order', reason: 'payment_expired' } : { kind: 'nothing' };
    default:
      return { kind: 'nothing' };
  }
}
