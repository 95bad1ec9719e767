import type { Page } from 'playwright-core';
import { createEvent, EVENT_TYPES, type AuthUser } from '@techan/common';
import { openBrowser, PHONE, snap, startSite, type RunningSite } from './edge';
import { api, until, user } from './fixtures';

/**
 * The brand hall's regressions from issue 9 (items 16 and 17), on the web front end that replaced
 * catalog's server-rendered `/hall` page: a search says which halls it covers and offers all halls,
 * all-halls search shows every product the API finds, hall names stay on one line on a phone, and
 * merchants' text is shown as text (never as markup). Certification is played on the bus.
 */
describe('the brand hall on a phone', () => {
  let site: RunningSite;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;
  let catalog: string;
  const products: Record<string, string> = {};

  const ok = (method: string, path: string, who: AuthUser | null, body?: unknown) => api(catalog, method, path, who, body);

  beforeAll(async () => {
    site = await startSite(['catalog']);
    catalog = site.system.services['catalog'].url;
    const account = user('acct-e2e-hall', ['merchant']);
    const merchant = await ok('POST', '/catalog/merchants', account, {
      name: '开平市马冈鹅养殖专业合作社',
      creditCode: '91440783MA4UK7R28A',
      licenceDocument: 'doc:licences/2026/magang-goose.pdf',
      town: 'magang',
      contact: { name: '关伟强', phone: '13702201188' },
    });
    await ok('POST', `/catalog/review/merchants/${merchant.id}`, user('op-1', ['operator']), { decision: 'approve' });
    const owner = user('acct-e2e-hall', ['merchant'], [merchant.id]);
    const goose = (nameZh: string, descriptionZh: string, code: string) => ({
      nameZh, descriptionZh, categoryId: 'agri.goose', town: 'magang', tier: 'premium', originDegree: 'fully_local', temperatureClass: 'chilled', shelfLifeDays: 4, images: [],
      skus: [{ code, specZh: '整只约3千克', unit: '只', netContent: { value: 3000, unit: 'g' }, priceFen: 26800, stock: 20 }],
    });
    const listed: [string, ReturnType<typeof goose>][] = [
      ['whole', goose('马冈鹅（整只，冰鲜）', '黑鬃乌喙乌脚，放养一百天以上。', 'W30')],
      ['roast', goose('马冈烧鹅', '开平传统烧鹅，当日出炉。', 'R10')],
      ['markup', goose('<script>alert(1)</script>鹅', '"><img src=x onerror=alert(1)>', 'X1')],
    ];
    let version = 0;
    for (const [key, body] of listed) {
      const product = await ok('POST', `/catalog/merchants/${merchant.id}/products`, owner, body);
      products[key] = product.id;
      await site.system.publish(
        createEvent(EVENT_TYPES.ProductStatusChanged, product.id, {
          productId: product.id,
          merchantId: merchant.id,
          version: ++version,
          certificates: [{ certificateId: `c-${product.id}`, mark: 'kaiping', status: 'active', colour: 'green', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2030-01-01T00:00:00.000Z' }],
          purchasable: true,
          changedAt: new Date().toISOString(),
        }, { source: 'certification' }),
      );
    }
    for (const id of Object.values(products)) {
      await until(`${id} buyable`, async () => (await ok('GET', `/catalog/products/${id}`, null)).availability?.buyable === true);
    }
    browser = await openBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  const scope = () => page.locator('p.scope', { hasText: '件在售认证产品' });

  it('says which hall a search covers, offers all halls, and shows there what the API finds (issue 9, item 16)', async () => {
    const q = '鹅';
    await page.goto(`${site.url}/hall?hall=dasha&q=${encodeURIComponent(q)}`);
    await scope().waitFor();
    expect(await scope().textContent()).toContain('在「大沙优品馆」中搜索“鹅”');
    await snap(page, 'hall', '1-town-hall-scope');
    await page.getByRole('link', { name: '在全部品牌馆中搜索' }).click();
    await page.locator('p.scope', { hasText: '在全部品牌馆中搜索“鹅”' }).waitFor();
    const api = await ok('GET', `/catalog/search?q=${encodeURIComponent(q)}&limit=50`, null);
    expect(api.items.length).toBeGreaterThanOrEqual(3);
    await page.locator('a[data-product]').nth(api.items.length - 1).waitFor();
    const shown = await page.locator('a[data-product]').evaluateAll((links) => links.map((a) => a.getAttribute('data-product')));
    expect(new Set(shown)).toEqual(new Set(api.items.map((i: { id: string }) => i.id)));
    await snap(page, 'hall', '2-all-halls');
  });

  it('keeps every hall name on one line on a phone-width screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${site.url}/hall?hall=magang`);
    await scope().waitFor();
    const tabs = await page.locator('nav.hall-tabs a').evaluateAll((links) => links.map((a) => [a.textContent, a.getClientRects().length] as const));
    expect(tabs.length).toBe(8); // the county hall, six town halls and 全部品牌馆
    for (const [name, rects] of tabs) expect({ name, rects }).toEqual({ name, rects: 1 });
    await page.setViewportSize(PHONE);
  });

  it('keeps what a person typed in the search box while the hall list was still loading', async () => {
    // A slow network: the hall list (and the category list) arrive after the person has typed.
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    await page.route('**/api/catalog/{halls,categories}*', async (route) => {
      await slow;
      await route.continue();
    });
    await page.goto(`${site.url}/hall?hall=all`);
    await page.getByLabel('搜索词').fill('烧鹅');
    release();
    // The lists have arrived:
    await page.locator('nav.hall-tabs a', { hasText: '马冈优品馆' }).waitFor();
    await page.locator('select[name="category"] optgroup').first().waitFor({ state: 'attached' });
    expect(await page.getByLabel('搜索词').inputValue()).toBe('烧鹅');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator('p.scope', { hasText: '搜索“烧鹅”' }).waitFor();
    await page.locator(`a[data-product="${products['roast']}"]`).waitFor();
    await page.unroute('**/api/catalog/{halls,categories}*');
  });

  it("shows a merchant's markup as text, never as markup (the old page's escaping test)", async () => {
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(`${site.url}/hall/products/${products['markup']}`);
    await page.locator('#product-title').waitFor();
    expect(await page.locator('#product-title').textContent()).toBe('<script>alert(1)</script>鹅');
    await page.getByText('"><img src=x onerror=alert(1)>').waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('#product-title script').count()).toBe(0);
    await snap(page, 'hall', '3-markup-as-text');
    expect(dialogs).toBe(0);
  });
});
