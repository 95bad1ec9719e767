import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_USERS, EVENT_TYPES, type AuthUser } from '@techan/common';
import { startOrders, until, type OrdersHarness } from './harness';

jest.setTimeout(180_000);

/**
 * A shopper in a real browser (Debian's chromium) on the Stripe stand-in's hosted payment page, for
 * an order placed through the orders API (the shop's own pages are not built yet). The shop's return
 * URL is answered by the test, since no web front end serves it here.
 */
describe('hosted payment page in a browser', () => {
  let h: OrdersHarness;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const GOOSE = { productId: 'p-browser-goose', skuId: 'sku-browser-goose' };
  const RICE = { productId: 'p-browser-rice', skuId: 'sku-browser-rice' };
  let n = 0;
  const shopper = (): AuthUser => ({ ...DEMO_USERS['shopper'], userId: `u-browser-${++n}` });

  beforeAll(async () => {
    h = await startOrders();
    await h.product(GOOSE.productId, GOOSE.skuId, 34800);
    await h.product(RICE.productId, RICE.skuId, 5900, { name: '开平丝苗米', temperatureClass: 'ambient' });
    profile = mkdtempSync(join(tmpdir(), 'techan-orders-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      locale: 'zh-CN',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await context.route('http://shop.test/**', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>返回商店</title><h1>正在确认付款…</h1>' }));
    page = await context.newPage();
  }, 240_000);
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await h?.stop();
  });

  const placeAndReserve = async (user: AuthUser, product: { productId: string; skuId: string }) => {
    expect((await h.svc.request('/cart/lines', { user, body: { ...product, quantity: 1 } })).status).toBe(201);
    const { orderId } = (await (await h.checkout(user)).json()) as { orderId: string };
    await h.reserve(orderId);
    return until(async () => {
      const o = await h.order(user, orderId);
      return o['payment']?.url ? o : null;
    });
  };

  it('pays with the test card 4242 and comes back to the shop; the order is paid', async () => {
    const user = shopper();
    const order = await placeAndReserve(user, GOOSE);
    await page.goto(order['payment'].url);
    await expect(page.title()).resolves.toBe('确认付款');
    expect(await page.getByTestId('amount').textContent()).toBe('¥348.00');
    // A declined card first: the page says so and stays.
    await page.getByLabel('卡号').fill('4000 0000 0000 0002');
    await page.getByTestId('pay-card').click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('您的银行卡被拒绝');
    await page.getByLabel('卡号').fill('4242 4242 4242 4242');
    await page.getByTestId('pay-card').click();
    await page.waitForURL(`http://shop.test/orders/${order['orderId']}/return?session_id=*`);
    const paid = await h.waitStatus(user, order['orderId'], 'paid');
    expect(paid['payment']).toMatchObject({ capturedFen: 34800 });
    expect(await h.published(EVENT_TYPES.OrderPaid, order['orderId'])).toHaveLength(1);
  });

  it('a red warning between authorisation and capture: the order ends cancelled and nothing is captured', async () => {
    const user = shopper();
    const order = await placeAndReserve(user, RICE);
    h.standin.webhooks.hold(); // the authorisation's webhooks wait, as if Stripe were slow
    await page.goto(order['payment'].url);
    await page.getByLabel('卡号').fill('4000 0027 6000 3184'); // needs 3-D Secure
    await page.getByTestId('pay-card').click();
    await page.getByRole('button', { name: '完成验证' }).click();
    await page.waitForURL('http://shop.test/**');
    await h.block(RICE.productId, 2);
    const cancelled = await h.waitStatus(user, order['orderId'], 'cancelled');
    expect(cancelled['cancelReasonZh']).toContain('未扣款');
    h.standin.webhooks.release({ twice: true });
    await h.standin.webhooks.idle();
    expect((await h.order(user, order['orderId']))['status']).toBe('cancelled');
    const pi = [...h.standin.engine.intents.values()].find((x) => x.metadata['orderId'] === order['orderId']);
    expect(pi).toMatchObject({ status: 'canceled', amount_received: 0 });
    // Back on the expired page, nothing can be paid any more.
    await page.goto(order['payment'].url);
    expect(await page.textContent('h1')).toContain('这笔付款已完成');
  });
});
