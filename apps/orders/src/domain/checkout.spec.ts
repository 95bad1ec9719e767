import { decidePayment, isExpiryRejected, isProviderUnavailable, sessionExpiresAt, STRIPE_MIN_SESSION_MS, type PaymentFacts } from './checkout';

const facts = (f: Partial<PaymentFacts>): PaymentFacts => ({ status: 'awaiting_payment', provider: 'authorised', orderable: true, reserved: true, ...f });

describe('checkout decisions', () => {
  it('captures an authorised card only when still orderable and reserved', () => {
    expect(decidePayment(facts({}))).toEqual({ kind: 'capture' });
    expect(decidePayment(facts({ status: 'authorised' }))).toEqual({ kind: 'capture' });
    expect(decidePayment(facts({ orderable: false }))).toEqual({ kind: 'cancel_authorisation', reason: 'blocked' });
    expect(decidePayment(facts({ reserved: false }))).toEqual({ kind: 'cancel_authorisation', reason: 'timeout' });
  });

  it('a block found when Alipay/WeChat Pay already captured is refunded in full', () => {
    expect(decidePayment(facts({ provider: 'captured', orderable: false }))).toEqual({ kind: 'refund_all', reason: 'blocked' });
    expect(decidePayment(facts({ provider: 'captured' }))).toEqual({ kind: 'mark_paid' });
    expect(decidePayment(facts({ provider: 'captured', reserved: false }))).toEqual({ kind: 'refund_all', reason: 'timeout' });
    // Our own capture of an authorised card: paid even if the reply came after the deadline.
    expect(decidePayment(facts({ status: 'authorised', provider: 'captured', reserved: false }))).toEqual({ kind: 'mark_paid' });
  });

  it('money arriving for a cancelled order goes back; an authorisation for it is cancelled', () => {
    expect(decidePayment(facts({ status: 'cancelled', provider: 'captured' }))).toEqual({ kind: 'refund_all', reason: 'cancelled' });
    expect(decidePayment(facts({ status: 'cancelled', provider: 'authorised' }))).toEqual({ kind: 'cancel_authorisation', reason: 'shopper' });
  });

  it('a late or repeated event never moves a settled order', () => {
    expect(decidePayment(facts({ status: 'paid', provider: 'captured' }))).toEqual({ kind: 'nothing' });
    expect(decidePayment(facts({ status: 'cancelled', provider: 'cancelled' }))).toEqual({ kind: 'nothing' });
    expect(decidePayment(facts({ status: 'cancelled', provider: 'expired' }))).toEqual({ kind: 'nothing' });
    expect(decidePayment(facts({ status: 'paid', provider: 'authorised' }))).toEqual({ kind: 'nothing' });
  });

  it('a cancelled intent or expired session cancels an open order', () => {
    expect(decidePayment(facts({ provider: 'cancelled' }))).toEqual({ kind: 'cancel_order', reason: 'payment_cancelled' });
    expect(decidePayment(facts({ provider: 'expired' }))).toEqual({ kind: 'cancel_order', reason: 'payment_expired' });
    expect(decidePayment(facts({ provider: 'open' }))).toEqual({ kind: 'nothing' });
  });

  it('keeps the Stripe session expiry inside Stripe limits', () => {
    const now = new Date('2026-11-29T10:00:00Z');
    expect(sessionExpiresAt(now, new Date(now.getTime() + 60_000)).getTime()).toBeGreaterThan(now.getTime() + STRIPE_MIN_SESSION_MS);
    const later = new Date(now.getTime() + 2 * 3600_000);
    expect(sessionExpiresAt(now, later)).toEqual(later);
  });
});

describe('isProviderUnavailable', () => {
  it('waits out Stripe being unreachable, failing on its side or limiting the rate', () => {
    expect(isProviderUnavailable({ type: 'StripeConnectionError', message: 'An error occurred with our connection to Stripe.' })).toBe(true);
    expect(isProviderUnavailable({ type: 'StripeAPIError', statusCode: 500 })).toBe(true);
    expect(isProviderUnavailable({ type: 'StripeRateLimitError', statusCode: 429 })).toBe(true);
    expect(isProviderUnavailable({ statusCode: 503 })).toBe(true);
  });

  it('does not retry what would fail the same way again', () => {
    expect(isProviderUnavailable({ type: 'StripeInvalidRequestError', statusCode: 400 })).toBe(false);
    expect(isProviderUnavailable({ type: 'StripeIdempotencyError', statusCode: 400 })).toBe(false);
    expect(isProviderUnavailable(new Error('bug'))).toBe(false);
    expect(isProviderUnavailable(undefined)).toBe(false);
  });
});

describe('isExpiryRejected', () => {
  it("is Stripe's refusal of the session's expires_at, and nothing else", () => {
    expect(isExpiryRejected({ type: 'StripeInvalidRequestError', param: 'expires_at' })).toBe(true);
    expect(isExpiryRejected({ type: 'StripeInvalidRequestError', param: 'line_items' })).toBe(false);
    expect(isExpiryRejected({ type: 'StripeIdempotencyError' })).toBe(false);
    expect(isExpiryRejected(null)).toBe(false);
  });
});
