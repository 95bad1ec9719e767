import type { Page } from 'playwright-core';
import type { AuthUser } from '@techan/common';
import { openBrowser, PHONE, snap, startSite, type RunningSite } from './edge';
import { api, eventually, user } from './fixtures';

/**
 * The rule that defines the product, end to end, in a real browser: a merchant lists 马冈鹅 in the
 * catalog; certification learns of it over the bus, certifies it (OTOP 1★), and its status event
 * makes it appear, buyable, in the brand hall (the web front end behind the edge, on a phone-sized
 * screen). A certifier's red warning then removes the buy button and shows why, and the public
 * verification page — reached by the QR link on the same origin — turns red.
 */
describe('certified-only, end to end in a browser', () => {
  let site: RunningSite;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;
  let catalog: string;
  let certification: string;

  beforeAll(async () => {
    site = await startSite(['catalog', 'certification']);
    catalog = site.system.services['catalog'].url;
    certification = site.system.services['certification'].url;
    browser = await openBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  /** Opens the hall's search for 马冈 and says whether the product's card is in the results. */
  async function hallShows(productId: string): Promise<boolean> {
    await page.goto(`${site.url}/hall?q=${encodeURIComponent('马冈')}`);
    await page.locator('p.scope', { hasText: '件在售认证产品' }).waitFor();
    return (await page.locator(`a[data-product="${productId}"]`).count()) > 0;
  }

  it('shows a product only while it is certified, and tells why when it is not', async () => {
    // A merchant registers an enterprise and the operator approves it.
    const account = user('acct-e2e-goose', ['merchant']);
    const merchant = await api(catalog, 'POST', '/catalog/merchants', account, {
      name: '开平市马冈鹅养殖专业合作社',
      creditCode: '91440783MA4UK7R28A',
      licenceDocument: 'doc:licences/2026/magang-goose.pdf',
      town: 'magang',
      contact: { name: '关伟强', phone: '13702201188' },
    });
    await api(catalog, 'POST', `/catalog/review/merchants/${merchant.id}`, user('op-1', ['operator']), { decision: 'approve' });
    const owner = user('acct-e2e-goose', ['merchant'], [merchant.id]);

    // It lists 马冈鹅: not buyable yet, so the hall does not show it.
    const product = await api(catalog, 'POST', `/catalog/merchants/${merchant.id}/products`, owner, {
      nameZh: '马冈鹅（整只，冰鲜）',
      descriptionZh: '黑鬃乌喙乌脚，放养一百天以上。',
      categoryId: 'agri.goose',
      town: 'magang',
      tier: 'premium',
      originDegree: 'fully_local',
      temperatureClass: 'chilled',
      shelfLifeDays: 4,
      images: [],
      skus: [{ code: 'W30', specZh: '整只约3千克', unit: '只', netContent: { value: 3000, unit: 'g' }, priceFen: 26800, stock: 10 }],
    });
    const productId: string = product.id;
    expect(await hallShows(productId)).toBe(false);
    await snap(page, 'certified-only', '1-hall-before-certification');

    // Certification learned of the product from the catalog's event, and certifies it (OTOP 3★: expert on-site review; the county hall shows 3★ and up).
    await eventually('certification to know the product', () => api(certification, 'GET', `/products/${productId}`, owner));
    for (const kind of ['business_licence', 'national_standard_certificates', 'safe_production_photos', 'risk_control_documents', 'traceability_description', 'quality_test_report', 'compliance_certificate', 'origin_proof']) {
      await api(certification, 'POST', `/merchants/${merchant.id}/records/evidence`, owner, { kind, reference: `oss://evidence/${kind}.pdf` });
    }
    await api(certification, 'PUT', `/merchants/${merchant.id}/records/traceability`, owner, { traceability: 'product' });
    const certifier = user('u-certifier-1', ['certifier']);
    const inspector = user('u-inspector-1', ['inspector']);
    const application = await api(certification, 'POST', '/applications', owner, { productId, target: { scheme: 'otop', level: 3 } });
    const step = (path: string, as: AuthUser, body?: unknown) => api(certification, 'POST', `/applications/${application.id}/${path}`, as, body);
    await step('evidence-check', certifier);
    await step('sample/request', certifier, { instructions: '请寄样品 2 份至评定中心' });
    await step('sample/mailed', owner, { carrier: '顺丰速运', trackingNumber: 'SF1402030405' });
    await step('sample/received', certifier, { receivedAt: new Date().toISOString() });
    const inspectionAt = new Date(Date.now() + 1_500);
    await step('review', certifier, { method: 'expert_on_site', inspectorId: inspector.userId, scheduledFor: inspectionAt.toISOString() });
    await new Promise((r) => setTimeout(r, inspectionAt.getTime() - Date.now() + 200)); // the inspection day comes
    const approved = await step('review/result', inspector, {
      checks: ['documents_review', 'on_site_product_test', 'production_line_inspection', 'risk_control_on_site_look', 'traceability_check'].map((check) => ({ check, passed: true })),
    });
    expect(JSON.stringify(approved)).toMatch(/approved/);

    // The status event reaches the catalog: the hall now shows it, with a buy button.
    await eventually('the product to appear in the hall', async () => ((await hallShows(productId)) ? true : undefined),
      async () => JSON.stringify(await api(catalog, 'GET', `/catalog/products/${productId}`, null)));
    await snap(page, 'certified-only', '2-hall-certified');
    await page.click(`a[data-product="${productId}"]`);
    await page.locator('button.buy').waitFor();
    expect(await page.textContent('h1')).toContain('马冈鹅（整只，冰鲜）');
    await snap(page, 'certified-only', '3-product-buyable');

    // A quality risk: the certifier raises a red warning. The next status event blocks the product.
    const trace = await api(certification, 'POST', `/products/${productId}/trace-codes`, owner, {});
    await api(certification, 'POST', `/products/${productId}/warnings/red`, certifier, { reason: '抽检发现兽药残留超标' });
    await eventually('the buy button to disappear', async () => {
      await page.goto(`${site.url}/hall/products/${productId}`);
      await page.locator('h1').waitFor();
      return (await page.locator('button.buy').count()) === 0 ? true : undefined;
    });
    const blocked = await page.textContent('.blocked[role=alert]');
    expect(blocked).toContain('暂不可购买');
    expect(blocked).toContain('红色警示');
    await snap(page, 'certified-only', '4-product-red-warning');
    expect(await hallShows(productId)).toBe(false);

    // A shopper scanning the QR code sees the red warning on the public verification page.
    expect(trace.link.startsWith(site.url)).toBe(true);
    await page.goto(trace.link);
    await snap(page, 'certified-only', '5-verify-page');
    const verify = (await page.textContent('body')) ?? '';
    expect(verify).toContain('马冈鹅');
    expect(verify).toMatch(/红色|红/);
  });
});
