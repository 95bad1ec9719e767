import { createEvent, DEMO_USERS, EVENT_TYPES, ownerOf, signToken, type EventType } from '@techan/common';
import { STANDIN_WEBHOOK_SECRET } from '@techan/local-stack';
import { startStripeStandin, type RunningStripeStandin } from '@techan/stripe-standin';
import { openBrowser, PHONE, signInAs, snap, startSite, type RunningSite } from './edge';
import { E2E_JWT_SECRET } from './system';

/**
 * A shopper in a browser, through the edge and the web front end: cart → checkout → the Stripe
 * stand-in's hosted page → back to the shop → a paid order; and a red warning landing between the
 * card's authorisation and its capture, which ends the order cancelled with nothing captured.
 * Catalog (stock) and certification (status) are played on the bus by the test.
 */
describe('checkout in a browser', () => {
  let site: RunningSite;
  let stripe: RunningStripeStandin;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  const GOOSE = { productId: 'p-e2e-goose', skuId: 'sku-e2e-goose' };
  const TEA = { productId: 'p-e2e-tea', skuId: 'sku-e2e-tea' };

  const emit = async (type: EventType, subject: string, data: unknown) => {
    const event = createEvent(type, subject, data, { source: ownerOf(type) ?? 'e2e' });
    await site.system.publish(event);
  };
  const status = (productId: string, version: number, red: boolean) =>
    emit(EVENT_TYPES.ProductStatusChanged, productId, {
      productId,
      merchantId: 'm-magang-goose',
      version,
      certificates: [{ certificateId: `c-${productId}`, mark: 'magang', status: red ? 'red_warning' : 'active', colour: red ? 'red' : 'green', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2030-01-01T00:00:00.000Z' }],
      purchasable: !red,
      changedAt: new Date().toISOString(),
    });
  const orders = (path: string, body?: unknown) =>
    fetch(site.system.services['orders'].url + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${signToken(E2E_JWT_SECRET, DEMO_USERS['shopper'])}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    stripe = await startStripeStandin();
    site = await startSite(['orders'], { STRIPE_API_URL: stripe.url, STRIPE_WEBHOOK_SECRET: STANDIN_WEBHOOK_SECRET });
    stripe.addWebhook(`${site.system.services['orders'].url}/payments/webhooks/stripe`, STANDIN_WEBHOOK_SECRET);
    for (const [p, name, price] of [
      [GOOSE, '马冈鹅（整只，冰鲜）', 34800],
      [TEA, '大沙茶 250克', 12800],
    ] as const) {
      await emit(EVENT_TYPES.ProductUpserted, p.productId, {
        productId: p.productId,
        merchantId: 'm-magang-goose',
        name,
        temperatureClass: 'chilled',
        listed: true,
        skus: [{ skuId: p.skuId, specZh: '标准装', unit: '件', priceFen: price }],
        updatedAt: new Date().toISOString(),
      });
      await status(p.productId, 1, false);
    }
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await stripe?.stop();
  });

  /** The shopper's cart gets a line (the hall's product pages are not built yet); the rest happens in the browser. */
  const addToCart = async (p: { productId: string; skuId: string }) => {
    for (let i = 0; i < 200; i++) {
      if ((await orders('/cart/lines', { ...p, quantity: 1 })).status === 201) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('orders never learnt of the product');
  };

  /** Catalog's part: reserve the order the browser just placed (its id is in the URL). */
  const reserveFromUrl = async (url: string, p: { skuId: string }) => {
    const orderId = /\/orders\/([^/]+)\/pay/.exec(url)?.[1] as string;
    await emit(EVENT_TYPES.StockReserved, orderId, { orderId, lines: [{ skuId: p.skuId, quantity: 1 }], reservedUntil: new Date(Date.now() + 30 * 60_000).toISOString() });
    return orderId;
  };

  it('cart → checkout → hosted page with 4242 → back in the shop, paid', async () => {
    await addToCart(GOOSE);
    const page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    await signInAs(page, site.url, 'shopper');
    await page.getByRole('link', { name: '购物车' }).click();
    await page.getByRole('heading', { name: '购物车' }).waitFor();
    expect(await page.getByTestId('cart-total').textContent()).toBe('¥348.00');
    await page.getByLabel('收货人').fill('李女士');
    await page.getByLabel('手机号').fill('13800000000');
    await page.getByLabel('银行卡（先授权，复核认证后扣款）').check();
    await snap(page, 'checkout', '1-cart');
    await page.getByRole('button', { name: '提交订单并付款' }).click();
    await page.waitForURL(/\/orders\/[^/]+\/pay$/);
    const orderId = await reserveFromUrl(page.url(), GOOSE);
    await page.waitForURL(`${stripe.url}/pay/**`);
    await page.getByLabel('卡号').fill('4242 4242 4242 4242');
    await snap(page, 'checkout', '2-hosted-page');
    await page.getByTestId('pay-card').click();
    await page.waitForURL(`${site.url}/orders/${orderId}/return**`);
    await page.getByTestId('return-status').waitFor();
    expect(await page.getByTestId('return-status').textContent()).toBe('付款成功');
    await page.getByRole('link', { name: '查看订单详情' }).click();
    expect(await page.getByTestId('order-status').textContent()).toBe('已付款');
    await snap(page, 'checkout', '3-paid');
    await page.close();
  });

  it('a red warning between authorisation and capture: the order ends cancelled, nothing captured', async () => {
    await addToCart(TEA);
    await browser.context.clearCookies(); // a fresh sign-in, whether or not the first test ran
    const page = await browser.context.newPage();
    await signInAs(page, site.url, 'shopper');
    await page.goto(`${site.url}/orders/cart`);
    await page.getByLabel('收货人').fill('李女士');
    await page.getByLabel('手机号').fill('13800000000');
    await page.getByLabel('银行卡（先授权，复核认证后扣款）').check();
    await page.getByRole('button', { name: '提交订单并付款' }).click();
    await page.waitForURL(/\/orders\/[^/]+\/pay$/);
    const orderId = await reserveFromUrl(page.url(), TEA);
    await page.waitForURL(`${stripe.url}/pay/**`);
    stripe.webhooks.hold(); // Stripe is slow to tell us about the authorisation…
    // The browser's return to the shop waits until the red warning has been applied.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await page.route(`${site.url}/orders/*/return**`, async (route) => {
      await gate;
      await route.continue();
    });
    await page.getByLabel('卡号').fill('4242 4242 4242 4242');
    await page.getByTestId('pay-card').click();
    for (let i = 0; ![...stripe.engine.intents.values()].some((x) => x.metadata['orderId'] === orderId && x.status === 'requires_capture'); i++) {
      if (i > 300) throw new Error('the card was not authorised');
      await new Promise((r) => setTimeout(r, 100));
    }
    await status(TEA.productId, 2, true); // …and the certifier's red warning lands first.
    for (let i = 0; ((await (await orders(`/orders/${orderId}`)).json()) as { status: string }).status !== 'cancelled'; i++) {
      if (i > 300) throw new Error('the order was not cancelled');
      await new Promise((r) => setTimeout(r, 100));
    }
    release();
    await page.waitForURL(`${site.url}/orders/${orderId}/return**`);
    await page.getByTestId('return-status').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('return-status').textContent()).toBe('已取消');
    expect(await page.getByRole('alert').first().textContent()).toContain('未扣款');
    stripe.webhooks.release({ twice: true });
    await stripe.webhooks.idle();
    const pi = [...stripe.engine.intents.values()].find((x) => x.metadata['orderId'] === orderId);
    expect(pi).toMatchObject({ status: 'canceled', amount_received: 0 });
    await snap(page, 'checkout', '4-cancelled-red-warning');
    await page.close();
  });
});
