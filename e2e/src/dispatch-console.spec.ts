import { createEvent, DEMO_USERS, EVENT_TYPES, type DeliveryRequestedV1 } from '@techan/common';
import { DESK, openBrowser, signInAs, snap, startSite, type RunningSite } from './edge';
import { request, until } from './fixtures';

/**
 * The dispatcher console (issue 13): plan a morning with a hot-meal route, publish and dispatch it,
 * raise an excursion from injected readings, release one held item and reject another.
 */
// A plan, a dispatch and two QA decisions in one browser session, on a shared machine: give it room.
jest.setTimeout(600_000);

describe('dispatcher console', () => {
  let site: RunningSite;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  const logistics = (path: string, body?: unknown) => request(site.system.services['logistics'].url, body === undefined ? 'GET' : 'POST', path, DEMO_USERS['operator'], body);

  beforeAll(async () => {
    site = await startSite(['logistics']);
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('plans a hot-meal morning, shows an excursion and takes the QA decisions', async () => {
    // The central kitchen with two hot-box vans, its dispatcher being the demo dispatcher.
    const created = await logistics('/depots', { id: 'kaiping-kitchen', nameZh: '开平优餐中央厨房', kind: 'central_kitchen', address: '开平市三埠街道港口路 28 号', lat: 22.3702, lng: 112.6993, opensAt: '05:00', closesAt: '20:00', staffUserIds: [DEMO_USERS['dispatcher'].userId] });
    expect(created.status).toBe(201);
    for (const n of [1, 2]) {
      const v = await logistics('/depots/kaiping-kitchen/vehicles', { id: `kc-hot-0${n}`, plate: `粤J·Y010${n}`, compartments: [{ temperatureClass: 'hot', capacityKg: 350, deviceId: `tl-kc-hot-0${n}` }], fixedCostFen: 26000, perKmCostFen: 220 });
      expect(v.status).toBe(201);
    }
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const schools = [
      ['开平市第一中学', 22.3815, 112.6865],
      ['开平市长沙小学', 22.3741, 112.7032],
      ['开平市人民医院', 22.3668, 112.6931],
      ['开平市三埠中学', 22.3559, 112.7125],
    ] as const;
    for (const [i, [name, lat, lng]] of schools.entries()) {
      const r: DeliveryRequestedV1 = {
        requestId: `e2e-hot-${i}`,
        orderId: `e2e-order-${i}`,
        channel: 'hot_meal',
        buyerId: 'u-buyer-1',
        buyerOrgId: 'org-kaiping-no1-middle-school',
        address: { text: `${name}食堂`, lat, lng },
        window: { from: `${today}T03:30:00Z`, until: `${today}T04:30:00Z` },
        lines: [
          { lineId: `e2e-order-${i}:rice`, productId: 'p-youcan-goose-rice', skuId: 'sku-goose-rice', nameZh: '马冈鹅饭', quantity: 60, temperatureClass: 'hot', weightGrams: 27000 },
          { lineId: `e2e-order-${i}:soup`, productId: 'p-youcan-soup', skuId: 'sku-soup', nameZh: '老火汤', quantity: 60, temperatureClass: 'hot', weightGrams: 18000 },
        ],
        cookedAt: `${today}T03:00:00Z`,
        maxRideMinutes: 120,
        requestedAt: new Date().toISOString(),
      };
      await site.system.publish(createEvent(EVENT_TYPES.DeliveryRequested, r.requestId, r, { source: 'orders' }));
    }

    const page = await browser.context.newPage();
    await page.setViewportSize(DESK);
    await signInAs(page, site.url, 'dispatcher');
    await page.goto(`${site.url}/dispatch`);
    await page.getByRole('heading', { name: '今日调度' }).waitFor();
    await page.getByText('开平市第一中学食堂').first().waitFor({ timeout: 30_000 });
    await page.getByLabel('计算时间（秒）').fill('3');
    await page.getByRole('button', { name: '开始排线' }).click();
    await page.getByRole('progressbar').first().waitFor();
    await page.getByText('已完成', { exact: true }).waitFor({ timeout: 60_000 });
    await expect(page.locator('svg[aria-label="路线图"] polyline').count()).resolves.toBeGreaterThan(0);
    await snap(page, 'dispatch-console', '1-plan');
    await page.getByRole('button', { name: '发布方案' }).click();
    await page.getByText('已发布', { exact: true }).waitFor();
    const routes = await page.locator('[data-route]').count();
    for (let i = 0; i < routes; i++) {
      await page.getByRole('button', { name: /^发\s*车$/ }).nth(i).click();
      await page.getByText('车辆已发车').last().waitFor();
    }
    await snap(page, 'dispatch-console', '2-dispatched');

    // The hot box of the first van cools below 60 °C for longer than 5 minutes.
    const now = Date.now();
    const readings = [0, 1, 2, 3, 4, 5, 6, 7].map((m) => ({ deviceId: 'tl-kc-hot-01', at: new Date(now - (8 - m) * 60_000).toISOString(), c: m === 0 ? 66 : 57.5 - m * 0.3 }));
    const both = readings.concat(readings.map((r) => ({ ...r, deviceId: 'tl-kc-hot-02' })));
    const ingest = await logistics('/telemetry/readings', { readings: both });
    expect(ingest.status).toBe(200);
    const report = ingest.body as { excursionsRaised: string[] };
    expect(report.excursionsRaised.length).toBeGreaterThan(0);

    await page.getByRole('link', { name: '车厢温度' }).click();
    await page.getByText('温度异常').first().waitFor();
    await snap(page, 'dispatch-console', '3-temperatures');

    await page.getByRole('link', { name: '异常与召回' }).click();
    await page.getByRole('heading', { name: '待质检（温度异常扣留）' }).waitFor();
    // antd spaces out two-character button labels (发 车), hence the patterns.
    const held = page.getByRole('row').filter({ has: page.getByRole('button', { name: /^放\s*行$/ }) });
    await held.first().waitFor();
    const before = await held.count();
    expect(before).toBeGreaterThanOrEqual(2);
    await held.first().getByRole('button', { name: /^放\s*行$/ }).click();
    await page.getByLabel('理由').fill('复测芯温 63 °C，保温箱完好');
    await page.getByRole('button', { name: /^确\s*定$/ }).click();
    await page.getByText('已放行').waitFor();
    await until('the released item to leave the list', async () => (await held.count()) === before - 1);
    await held.first().getByRole('button', { name: /^拒\s*收$/ }).click();
    await page.getByLabel('理由').fill('芯温低于 60 °C 超过 5 分钟');
    await page.getByRole('button', { name: /^确\s*定$/ }).click();
    await page.getByText('已拒收，已通知订单退款或补发').waitFor();
    await until('the rejected item to leave the list', async () => (await held.count()) === before - 2);
    await snap(page, 'dispatch-console', '4-qa-decisions');

    const decided = (await logistics('/holds?cause=excursion&limit=100')).body as { items: { status: string; reason?: string }[] };
    expect(decided.items.filter((h) => h.status === 'released').map((h) => h.reason)).toEqual(['复测芯温 63 °C，保温箱完好']);
    expect(decided.items.filter((h) => h.status === 'rejected').map((h) => h.reason)).toEqual(['芯温低于 60 °C 超过 5 分钟']);
    await page.close();
  });
});
