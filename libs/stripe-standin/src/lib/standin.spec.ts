import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startStripeStandin, type RunningStripeStandin } from './server';

const SECRET = 'whsec_test_standin_secret';

/** A webhook receiver that verifies signatures with the real SDK and answers with the status asked for. */
async function receiver(statuses: number[] = []) {
  const got: Stripe.Event[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        got.push(Stripe.webhooks.constructEvent(Buffer.concat(chunks).toString('utf8'), req.headers['stripe-signature'] as string, SECRET));
        res.statusCode = statuses.shift() ?? 200;
      } catch {
        res.statusCode = 400;
      }
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => new Promise((r) => server.close(r)) };
}

async function submit(url: string, form: Record<string, string>) {
  return fetch(url, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
}

describe('stripe stand-in', () => {
  let standin: RunningStripeStandin;
  let stripe: Stripe;
  beforeEach(async () => {
    standin = await startStripeStandin({ retryBaseMs: 20 });
    stripe = new Stripe('sk_test_standin', { ...standin.sdkOptions, maxNetworkRetries: 0 });
  });
  afterEach(() => standin.stop());

  const cardSession = () =>
    stripe.checkout.sessions.create({
      mode: 'payment',
      allowed_payment_method_types: ['card'],
      payment_intent_data: { capture_method: 'manual' },
      line_items: [{ quantity: 1, price_data: { currency: 'cny', unit_amount: 6800, product_data: { name: '大沙茶' } } }],
      success_url: 'http://shop.test/return?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://shop.test/cart',
    });

  it('refuses a call without a test secret key (401)', async () => {
    const res = await fetch(`${standin.url}/v1/payment_intents/pi_x`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('serves a zh-CN hosted page; 4242 authorises (manual capture) and redirects to success_url', async () => {
    const s = await cardSession();
    const page = await fetch(s.url as string);
    const text = await page.text();
    expect(text).toContain('lang="zh-CN"');
    expect(text).toContain('¥68.00');
    expect(text).toContain('4242 4242 4242 4242');
    const res = await submit(s.url as string, { method: 'card', card: '4242 4242 4242 4242' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://shop.test/return?session_id=${s.id}`);
    const done = await stripe.checkout.sessions.retrieve(s.id);
    expect(done.status).toBe('complete');
    const pi = await stripe.paymentIntents.retrieve(done.payment_intent as string);
    expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 6800, amount_received: 0 });
  });

  it('4000 0000 0000 0002 is declined on the page and the session stays open', async () => {
    const s = await cardSession();
    const res = await submit(s.url as string, { method: 'card', card: '4000000000000002' });
    expect(res.status).toBe(402);
    expect(await res.text()).toContain('您的银行卡被拒绝');
    expect((await stripe.checkout.sessions.retrieve(s.id)).status).toBe('open');
  });

  it('4000 0027 6000 3184 asks for 3D Secure; completing it authorises, failing it declines', async () => {
    const s = await cardSession();
    const first = await submit(s.url as string, { method: 'card', card: '4000002760003184' });
    expect(await first.text()).toContain('3D Secure');
    const ok = await submit(s.url as string, { action: 'authenticate', result: 'ok' });
    expect(ok.status).toBe(303);
    const pi = await stripe.paymentIntents.retrieve((await stripe.checkout.sessions.retrieve(s.id)).payment_intent as string);
    expect(pi.status).toBe('requires_capture');

    const s2 = await cardSession();
    await submit(s2.url as string, { method: 'card', card: '4000002760003184' });
    const fail = await submit(s2.url as string, { action: 'authenticate', result: 'fail' });
    expect(fail.status).toBe(402);
    const pi2 = await stripe.paymentIntents.retrieve((await stripe.checkout.sessions.retrieve(s2.id)).payment_intent as string);
    expect(pi2.last_payment_error?.code).toBe('payment_intent_authentication_failure');
  });

  it('Alipay captures at once (payment_status paid)', async () => {
    const s = await stripe.checkout.sessions.create({
      mode: 'payment',
      allowed_payment_method_types: ['alipay'],
      line_items: [{ quantity: 3, price_data: { currency: 'cny', unit_amount: 1000, product_data: { name: '丝苗米' } } }],
      success_url: 'http://shop.test/ok',
    });
    expect((await submit(s.url as string, { method: 'alipay', approve: 'yes' })).status).toBe(303);
    const done = await stripe.checkout.sessions.retrieve(s.id);
    expect(done.payment_status).toBe('paid');
    expect((await stripe.paymentIntents.retrieve(done.payment_intent as string)).amount_received).toBe(3000);
  });

  it('signs webhooks so that stripe.webhooks.constructEvent accepts them, and retries a non-2xx with backoff', async () => {
    const hook = await receiver([500, 503]);
    standin.addWebhook(hook.url, SECRET, ['checkout.session.completed']);
    const s = await cardSession();
    standin.pay(s.id, { method: 'card', cardNumber: '4242424242424242' });
    await standin.webhooks.idle();
    const attempts = standin.webhooks.attempts.filter((a) => a.type === 'checkout.session.completed');
    expect(attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    // Backoff doubles, and no retry starts before its backoff ran out (the schedule, not wall-clock gaps
    // that include each reply's time on a loaded machine).
    expect(attempts[1].retryInMs).toBe(2 * (attempts[0].retryInMs ?? 0));
    expect(attempts[2].retryInMs).toBeUndefined();
    for (const i of [1, 2]) expect(attempts[i].startedAt - attempts[i - 1].at).toBeGreaterThanOrEqual((attempts[i - 1].retryInMs ?? 0) - 1);
    expect(hook.got.map((e) => e.type)).toEqual(['checkout.session.completed', 'checkout.session.completed', 'checkout.session.completed']);
    expect((hook.got[0].data.object as Stripe.Checkout.Session).id).toBe(s.id);
    await hook.close();
  });

  it('a receiver with the wrong secret sees a signature it must reject', async () => {
    standin.addWebhook('http://127.0.0.1:9/unused', 'whsec_other', ['checkout.session.completed']);
    const hook = await receiver();
    standin.addWebhook(hook.url, 'whsec_not_the_receivers', ['checkout.session.completed']);
    standin.webhooks.hold();
    const s = await cardSession();
    standin.pay(s.id, { method: 'card', cardNumber: '4242424242424242' });
    standin.webhooks.release();
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.got).toHaveLength(0);
    expect(standin.webhooks.attempts.some((a) => a.status === 400)).toBe(true);
    standin.webhooks.close();
    await hook.close();
  });

  it('delivers held events reversed and twice on demand', async () => {
    const hook = await receiver();
    standin.addWebhook(hook.url, SECRET, ['checkout.session.completed', 'payment_intent.amount_capturable_updated', 'payment_intent.canceled']);
    standin.webhooks.hold();
    const s = await cardSession();
    standin.pay(s.id, { method: 'card', cardNumber: '4242424242424242' });
    const session = await stripe.checkout.sessions.retrieve(s.id);
    await stripe.paymentIntents.cancel(session.payment_intent as string);
    expect(standin.webhooks.release({ reverse: true, twice: true })).toBe(6);
    await standin.webhooks.idle();
    expect(hook.got.map((e) => e.type)).toEqual([
      'payment_intent.canceled',
      'payment_intent.canceled',
      'checkout.session.completed',
      'checkout.session.completed',
      'payment_intent.amount_capturable_updated',
      'payment_intent.amount_capturable_updated',
    ]);
    await hook.close();
  });

  it('registers an endpoint through the API (webhook_endpoints) and returns its secret', async () => {
    const ep = await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/x', enabled_events: ['payment_intent.succeeded'] });
    expect(ep.secret).toMatch(/^whsec_/);
    await expect(stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('expires a session whose expires_at has passed and emits checkout.session.expired', async () => {
    let now = Date.now();
    const clocked = await startStripeStandin({ now: () => now });
    const sdk = new Stripe('sk_test_clock', { ...clocked.sdkOptions, maxNetworkRetries: 0 });
    const s = await sdk.checkout.sessions.create({
      mode: 'payment',
      allowed_payment_method_types: ['card'],
      line_items: [{ quantity: 1, price_data: { currency: 'cny', unit_amount: 100, product_data: { name: '鸡蛋' } } }],
      expires_at: Math.floor(now / 1000) + 1800,
    });
    now += 1801_000;
    expect((await sdk.checkout.sessions.retrieve(s.id)).status).toBe('expired');
    expect(clocked.webhooks.events.map((e) => e.type)).toContain('checkout.session.expired');
    await clocked.stop();
  });
});
