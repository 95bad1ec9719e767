import type { Page } from 'playwright-core';
import { createEvent, DEMO_USERS, EVENT_TYPES, ownerOf, type AuthUser, type EventType } from '@techan/common';
import { startCertificationStatus, STANDIN_WEBHOOK_SECRET, type RunningCertificationStatus } from '@techan/local-stack';
import { startStripeStandin, type RunningStripeStandin } from '@techan/stripe-standin';
import { openBrowser, PHONE, signInAs, snap, startSite, type RunningSite } from './edge';
import { api, request, until } from './fixtures';

/**
 * A shopper in a browser, through the edge and the web front end, on a phone-sized screen: the brand
 * hall → a product → 加入购物车 → the cart → checkout → the Stripe stand-in's hosted page → back to the
 * shop → a paid order; a red warning landing between the card's authorisation and its capture, which
 * ends the order cancelled with nothing captured; and a guest's cart that joins the shopper's cart at
 * sign-in. The catalog runs for real (listing, stock reservation); certification is played by the test:
 * its status events on the bus and its status endpoint, which orders asks before capturing.
 */
describe('checkout in a browser, from the brand hall', () => {
  let site: RunningSite;
  let stripe: RunningStripeStandin;
  let certification: RunningCertificationStatus;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let catalog: string;
  let merchantId: string;
  const GOOSE = { productId: '', skuId: '', name: '马冈鹅（整只，冰鲜）' };
  const TEA = { productId: '', skuId: '', name: '大沙里黄茶（茶王）' };

  const orders = (path: string) => api(site.system.services['orders'].url, 'GET', path, DEMO_USERS['shopper']);

  const emit = async (type: EventType, subject: string, data: unknown) => {
    await site.system.publish(createEvent(type, subject, data, { source: ownerOf(type) ?? 'e2e' }));
  };
  /** Certification's part: the product's certificate (开平优品, county mark), green or under a red warning — recorded, then published. */
  const status = (productId: string, version: number, red: boolean) => {
    const data = {
      productId,
      merchantId,
      version,
      certificates: [{ certificateId: `c-${productId}`, mark: 'kaiping', status: red ? 'red_warning' : 'active', colour: red ? 'red' : 'green', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2030-01-01T00:00:00.000Z' }],
      purchasable: !red,
      ...(red ? { reason: '抽检发现质量风险' } : {}),
      changedAt: new Date().toISOString(),
    };
    certification.set(data);
    return emit(EVENT_TYPES.ProductStatusChanged, productId, data);
  };

  beforeAll(async () => {
    stripe = await startStripeStandin();
    certification = await startCertificationStatus();
    site = await startSite(['catalog', 'orders'], { STRIPE_API_URL: stripe.url, STRIPE_WEBHOOK_SECRET: STANDIN_WEBHOOK_SECRET, CERTIFICATION_URL: certification.url });
    stripe.addWebhook(`${site.system.services['orders'].url}/payments/webhooks/stripe`, STANDIN_WEBHOOK_SECRET);
    catalog = site.system.services['catalog'].url;

    // A merchant lists two products through the catalog (the operator approves the enterprise).
    const account: AuthUser = { userId: 'acct-e2e-checkout', roles: ['merchant'], merchantIds: [], buyerOrgIds: [] };
    const merchant = await api(catalog, 'POST', '/catalog/merchants', account, {
      name: '开平市马冈鹅养殖专业合作社',
      creditCode: '91440783MA4UK7R28A',
      licenceDocument: 'doc:licences/2026/magang-goose.pdf',
      town: 'magang',
      contact: { name: '关伟强', phone: '13702201188' },
    });
    merchantId = merchant.id;
    await api(catalog, 'POST', `/catalog/review/merchants/${merchantId}`, { userId: 'op-1', roles: ['operator'], merchantIds: [], buyerOrgIds: [] }, { decision: 'approve' });
    const owner: AuthUser = { ...account, merchantIds: [merchantId] };
    for (const [p, body] of [
      [GOOSE, { nameZh: GOOSE.name, descriptionZh: '黑鬃乌喙乌脚，放养一百天以上。', categoryId: 'agri.goose', town: 'magang', tier: 'premium', originDegree: 'fully_local', temperatureClass: 'chilled', shelfLifeDays: 4, images: [], skus: [{ code: 'W30', specZh: '整只约3千克', unit: '只', netContent: { value: 3000, unit: 'g' }, priceFen: 26800, stock: 20 }] }],
      [TEA, { nameZh: TEA.name, descriptionZh: '大沙镇天露山茶园手工制作，汤色杏黄。', categoryId: 'agri.tea', town: 'dasha', tier: 'premium', originDegree: 'fully_local', temperatureClass: 'ambient', shelfLifeDays: 730, images: [], skus: [{ code: '100', specZh: '100克 罐装', unit: '罐', netContent: { value: 100, unit: 'g' }, priceFen: 16800, stock: 20 }] }],
    ] as const) {
      const product = await api(catalog, 'POST', `/catalog/merchants/${merchantId}/products`, owner, body);
      p.productId = product.id;
      p.skuId = product.skus[0].skuId;
      await status(p.productId, 1, false);
    }
    // Both the catalog (the hall) and orders (the cart) have learnt that the products are certified.
    for (const p of [GOOSE, TEA]) {
      await until(`${p.name} in the hall`, async () => (await request(catalog, 'GET', `/catalog/products/${p.productId}`, null)).body?.availability?.buyable === true);
      await until(`${p.name} in orders' catalogue`, async () => {
        const token = (await api(site.system.services['orders'].url, 'POST', '/guest-carts', null, {})).guestToken;
        return (await request(site.system.services['orders'].url, 'POST', `/guest-carts/${token}/lines`, null, { productId: p.productId, skuId: p.skuId, quantity: 1 })).status === 201;
      });
    }
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await stripe?.stop();
    await certification?.stop();
  });

  /** In the hall: search, open the product's card, choose the SKU and quantity, 加入购物车. */
  async function addFromHall(page: Page, p: { productId: string; skuId: string; name: string }, quantity: number, search: string) {
    await page.goto(`${site.url}/hall`);
    await page.getByLabel('搜索词').fill(search);
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator(`a[data-product="${p.productId}"]`).click();
    await page.getByRole('heading', { name: p.name }).waitFor();
    await page.getByLabel('规格').selectOption(p.skuId);
    await page.getByLabel('数量').fill(String(quantity));
    await page.getByRole('button', { name: '加入购物车' }).click();
    await page.getByTestId('cart-feedback').waitFor();
    return (await page.getByTestId('cart-feedback').textContent()) ?? '';
  }

  async function checkoutWithCard(page: Page) {
    await page.getByLabel('镇/街道（开平市）').selectOption({ label: '赤坎镇' });
    await page.getByLabel('详细地址').fill('中华东路 28 号');
    await page.getByLabel('收货人').fill('李女士');
    await page.getByLabel('手机号').fill('13800000000');
    await page.getByLabel('银行卡（先授权，复核认证后扣款）').check();
    await page.getByRole('button', { name: '提交订单并付款' }).click();
    await page.waitForURL(/\/orders\/[^/]+\/pay$/);
    return /\/orders\/([^/]+)\/pay/.exec(page.url())?.[1] as string;
  }

  it('hall → product → 加入购物车 → cart → checkout → hosted page with 4242 → paid (phone)', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    await signInAs(page, site.url, 'shopper');
    expect(await addFromHall(page, GOOSE, 2, '马冈鹅')).toContain(`已加入购物车：${GOOSE.name} 整只约3千克 × 2`);
    expect(await page.getByTestId('cart-count').textContent()).toBe('2');
    await snap(page, 'checkout', '1-product-added');
    await page.getByTestId('cart-link').click();
    await page.getByRole('heading', { name: '购物车' }).waitFor();
    expect(await page.getByTestId('cart-total').textContent()).toBe('¥536.00'); // 2 × ¥268.00, priced by the catalogue
    await snap(page, 'checkout', '2-cart');
    const orderId = await checkoutWithCard(page);
    await page.waitForURL(`${stripe.url}/pay/**`, { timeout: 60_000 }); // after the catalog reserved the stock
    await page.getByLabel('卡号').fill('4242 4242 4242 4242');
    await snap(page, 'checkout', '3-hosted-page');
    await page.getByTestId('pay-card').click();
    await page.waitForURL(`${site.url}/orders/${orderId}/return**`);
    await page.getByTestId('return-status').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('return-status').textContent()).toBe('付款成功');
    await page.getByRole('link', { name: '查看订单详情' }).click();
    expect(await page.getByTestId('order-status').textContent()).toBe('已付款');
    await snap(page, 'checkout', '4-paid');
    const pi = [...stripe.engine.intents.values()].find((x) => x.metadata['orderId'] === orderId);
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: 53600 });
    // Delivered to 赤坎镇: the text the driver reads, the area's position for route planning.
    expect((await orders(`/orders/${orderId}`)).address).toMatchObject({ text: '广东省江门市开平市赤坎镇中华东路 28 号', lat: 22.313, lng: 112.59 });
    await page.close();
  });

  it('a red warning between authorisation and capture: the order ends cancelled, nothing captured', async () => {
    await browser.context.clearCookies(); // a fresh sign-in, whether or not the first test ran
    const page = await browser.context.newPage();
    await signInAs(page, site.url, 'shopper');
    expect(await addFromHall(page, TEA, 1, '黄茶')).toContain('已加入购物车');
    await page.getByRole('link', { name: '去购物车结算' }).click();
    await page.getByRole('heading', { name: '购物车' }).waitFor();
    const orderId = await checkoutWithCard(page);
    await page.waitForURL(`${stripe.url}/pay/**`, { timeout: 60_000 });
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
    await until('the card to be authorised', async () => [...stripe.engine.intents.values()].some((x) => x.metadata['orderId'] === orderId && x.status === 'requires_capture'));
    await status(TEA.productId, 2, true); // …and the certifier's red warning lands first.
    await until('the order to be cancelled', async () => (await orders(`/orders/${orderId}`)).status === 'cancelled');
    release();
    await page.waitForURL(`${site.url}/orders/${orderId}/return**`);
    await page.getByTestId('return-status').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('return-status').textContent()).toBe('已取消');
    expect(await page.getByRole('alert').first().textContent()).toContain('未扣款');
    stripe.webhooks.release({ twice: true });
    await stripe.webhooks.idle();
    const pi = [...stripe.engine.intents.values()].find((x) => x.metadata['orderId'] === orderId);
    expect(pi).toMatchObject({ status: 'canceled', amount_received: 0 });
    await snap(page, 'checkout', '5-cancelled-red-warning');

    // The hall now says why the tea cannot be bought, instead of offering it.
    await page.goto(`${site.url}/hall/products/${TEA.productId}`);
    await page.locator('.blocked[role=alert]').waitFor();
    expect(await page.getByRole('button', { name: '加入购物车' }).count()).toBe(0);
    expect(await page.textContent('.blocked[role=alert]')).toContain('暂不可购买');
    await page.close();
  });

  it('a guest fills a cart in the hall; signing in to check out keeps it (merged into the shopper’s cart)', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${site.url}/hall`);
    await page.evaluate(() => localStorage.clear());
    expect(await addFromHall(page, GOOSE, 3, '马冈鹅')).toContain(`已加入购物车：${GOOSE.name} 整只约3千克 × 3，购物车共 3 件`);
    expect(await page.getByTestId('cart-count').textContent()).toBe('3');
    await page.getByTestId('cart-link').click();
    await page.getByRole('heading', { name: '购物车' }).waitFor();
    expect(await page.getByTestId('cart-total').textContent()).toBe('¥804.00');
    await snap(page, 'checkout', '6-guest-cart');
    await page.getByRole('link', { name: '登录后结算' }).click();
    await page.locator('button[data-user="shopper"]').click();
    await page.waitForURL(`${site.url}/orders/cart`);
    await page.getByRole('button', { name: '提交订单并付款' }).waitFor();
    expect(await page.getByTestId(`cart-line-${GOOSE.skuId}`).locator('[aria-label="数量"]').textContent()).toBe('3');
    expect(await page.evaluate(() => localStorage.getItem('techan.guestCart'))).toBeNull();
    const cart = await orders('/cart');
    expect(cart.lines).toEqual(expect.arrayContaining([expect.objectContaining({ skuId: GOOSE.skuId, quantity: 3, unitPriceFen: 26800 })]));
    await snap(page, 'checkout', '7-guest-cart-merged');
    await page.close();
  });
});
