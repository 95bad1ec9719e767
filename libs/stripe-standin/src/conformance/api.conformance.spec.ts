import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { CNY_SESSION, openTarget, type Target } from './harness';

describe('Stripe API conformance (stand-in, or Stripe test mode with STRIPE_SECRET_KEY)', () => {
  let t: Target;
  beforeAll(async () => {
    t = await openTarget();
  });
  afterAll(() => t.stop());

  describe('Checkout Sessions', () => {
    it('creates an open session in CNY with the total in fen and a hosted page URL', async () => {
      const s = await t.stripe.checkout.sessions.create(CNY_SESSION);
      expect(s.id).toMatch(/^cs_test_/);
      expect(s).toMatchObject({ object: 'checkout.session', status: 'open', payment_status: 'unpaid', currency: 'cny', amount_total: 25600, client_reference_id: 'o-conformance', mode: 'payment' });
      expect(s.url).toMatch(/^https?:\/\//);
      const again = await t.stripe.checkout.sessions.retrieve(s.id);
      expect(again.amount_total).toBe(25600);
    });

    it('expires an open session once; expiring again is an invalid request', async () => {
      const s = await t.stripe.checkout.sessions.create(CNY_SESSION);
      const expired = await t.stripe.checkout.sessions.expire(s.id);
      expect(expired.status).toBe('expired');
      await expect(t.stripe.checkout.sessions.expire(s.id)).rejects.toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400 });
    });

    it('refuses manual capture for WeChat Pay (it captures at once)', async () => {
      await expect(
        t.stripe.checkout.sessions.create({ ...CNY_SESSION, allowed_payment_method_types: ['wechat_pay'], payment_method_options: { wechat_pay: { client: 'web' } } }),
      ).rejects.toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400 });
    });

    it('answers an unknown session with 404 resource_missing', async () => {
      await expect(t.stripe.checkout.sessions.retrieve('cs_test_doesnotexist0000000000')).rejects.toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 404, code: 'resource_missing' });
    });

    it('refuses an unknown parameter with parameter_unknown', async () => {
      await expect(t.stripe.checkout.sessions.create({ ...CNY_SESSION, bogus_field: 'x' } as never)).rejects.toMatchObject({ statusCode: 400, code: 'parameter_unknown' });
    });
  });

  describe('idempotency keys', () => {
    it('same key and body → the same object; same key, other body → idempotency_error', async () => {
      const key = `conf-${randomUUID()}`;
      const a = await t.stripe.checkout.sessions.create(CNY_SESSION, { idempotencyKey: key });
      const b = await t.stripe.checkout.sessions.create(CNY_SESSION, { idempotencyKey: key });
      expect(b.id).toBe(a.id);
      await expect(t.stripe.checkout.sessions.create({ ...CNY_SESSION, client_reference_id: 'other' }, { idempotencyKey: key })).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    });

    it('a request whose parameters failed validation saves nothing: the key may be used again with corrected ones', async () => {
      const key = `conf-${randomUUID()}`;
      const tooSoon = Math.floor(Date.now() / 1000) + 5 * 60; // Stripe wants 30 min – 24 h
      await expect(t.stripe.checkout.sessions.create({ ...CNY_SESSION, expires_at: tooSoon }, { idempotencyKey: key })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'expires_at' });
      const fixed = await t.stripe.checkout.sessions.create({ ...CNY_SESSION, expires_at: tooSoon + 3600 }, { idempotencyKey: key });
      expect(fixed.expires_at).toBe(tooSoon + 3600);
    });
  });

  describe('PaymentIntents with manual capture', () => {
    const authorise = (amount = 9900) =>
      t.stripe.paymentIntents.create({ amount, currency: 'cny', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });

    it('authorises, then captures: requires_capture → succeeded with the amount received', async () => {
      const pi = await authorise();
      expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 9900 });
      const captured = await t.stripe.paymentIntents.capture(pi.id);
      expect(captured).toMatchObject({ status: 'succeeded', amount_received: 9900 });
      expect((await t.stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    });

    it('cancelling an authorisation moves no money and cannot be captured afterwards', async () => {
      const pi = await authorise();
      const cancelled = await t.stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'abandoned' });
      expect(cancelled).toMatchObject({ status: 'canceled', amount_received: 0, cancellation_reason: 'abandoned' });
      await expect(t.stripe.paymentIntents.capture(pi.id)).rejects.toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    });

    it('a captured payment cannot be cancelled', async () => {
      const pi = await authorise();
      await t.stripe.paymentIntents.capture(pi.id);
      await expect(t.stripe.paymentIntents.cancel(pi.id)).rejects.toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    });

    it('a declined card is a card error (402) carrying the decline code', async () => {
      await expect(
        t.stripe.paymentIntents.create({ amount: 100, currency: 'cny', allowed_payment_method_types: ['card'], payment_method: 'pm_card_chargeDeclined', confirm: true }),
      ).rejects.toMatchObject({ type: 'StripeCardError', statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    });
  });

  describe('Refunds', () => {
    it('partial then the rest; more than is left is refused', async () => {
      const pi = await t.stripe.paymentIntents.create({ amount: 10000, currency: 'cny', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true });
      expect(pi.status).toBe('succeeded');
      const part = await t.stripe.refunds.create({ payment_intent: pi.id, amount: 3000, reason: 'requested_by_customer' });
      expect(part).toMatchObject({ object: 'refund', amount: 3000, status: 'succeeded', payment_intent: pi.id });
      await expect(t.stripe.refunds.create({ payment_intent: pi.id, amount: 7001 })).rejects.toMatchObject({ statusCode: 400 });
      const rest = await t.stripe.refunds.create({ payment_intent: pi.id });
      expect(rest.amount).toBe(7000);
      expect((await t.stripe.refunds.retrieve(rest.id)).amount).toBe(7000);
    });

    it('an uncaptured payment cannot be refunded', async () => {
      const pi = await t.stripe.paymentIntents.create({ amount: 500, currency: 'cny', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
      await expect(t.stripe.refunds.create({ payment_intent: pi.id })).rejects.toMatchObject({ statusCode: 400 });
    });
  });

  describe('Events', () => {
    it('lists the payment_intent.succeeded event of a capture and retrieves it by id', async () => {
      const pi = await t.stripe.paymentIntents.create({ amount: 700, currency: 'cny', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true });
      let found: Stripe.Event | undefined;
      for (let i = 0; i < 20 && !found; i++) {
        const page = await t.stripe.events.list({ type: 'payment_intent.succeeded', limit: 20 });
        found = page.data.find((e) => (e.data.object as Stripe.PaymentIntent).id === pi.id);
        if (!found) await new Promise((r) => setTimeout(r, 500));
      }
      expect(found?.type).toBe('payment_intent.succeeded');
      const byId = await t.stripe.events.retrieve((found as Stripe.Event).id);
      expect((byId.data.object as Stripe.PaymentIntent).amount_received).toBe(700);
    });
  });
});
