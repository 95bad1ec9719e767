import type { Page } from 'playwright-core';
import type { AuthUser } from '@techan/common';
import { DESK, openBrowser, PHONE, pageAs, snap, startSite, type RunningSite } from './edge';
import { api, eventually, user } from './fixtures';

/**
 * The certifier's console in a real browser: a merchant's application for 一乡一品 1★ (made through
 * the API here; the merchant console is tested elsewhere) is reviewed in the console — evidence,
 * sample received, online review with the checklist from the star criteria — and approved; the
 * product becomes buyable. Then the certifier raises a red warning from the console and the
 * shopper's product page, on a phone, says it cannot be bought and why.
 */
jest.setTimeout(300_000); // a shared machine: start-up and page loads can be slow

describe('certifier console, end to end in a browser', () => {
  let site: RunningSite;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let catalog: string;
  let certification: string;
  let productId: string;
  let applicationId: string;
  let owner: AuthUser;

  beforeAll(async () => {
    site = await startSite(['catalog', 'certification']);
    catalog = site.system.services['catalog'].url;
    certification = site.system.services['certification'].url;
    browser = await openBrowser();

    // The merchant side, through the APIs: an approved enterprise lists 大沙茶 and applies for 1★.
    const account = user('acct-e2e-tea', ['merchant']);
    const merchant = await api(catalog, 'POST', '/catalog/merchants', account, {
      name: '开平市大沙镇茶叶专业合作社',
      creditCode: '91440783MA4UK7R28A',
      licenceDocument: 'doc:licences/2026/dasha-tea.pdf',
      town: 'dasha',
      contact: { name: '梁秀英', phone: '13702205566' },
    });
    await api(catalog, 'POST', `/catalog/review/merchants/${merchant.id}`, user('op-1', ['operator']), { decision: 'approve' });
    owner = user('acct-e2e-tea', ['merchant'], [merchant.id]);
    const product = await api(catalog, 'POST', `/catalog/merchants/${merchant.id}/products`, owner, {
      nameZh: '大沙茶（明前绿茶）',
      descriptionZh: '大沙镇高山云雾茶园，明前手工采摘。',
      categoryId: 'agri.tea',
      town: 'dasha',
      tier: 'mid',
      originDegree: 'fully_local',
      temperatureClass: 'ambient',
      shelfLifeDays: 540,
      images: [],
      skus: [{ code: 'T250', specZh: '罐装250克', unit: '罐', netContent: { value: 250, unit: 'g' }, priceFen: 6800, stock: 50 }],
    });
    productId = product.id;
    await eventually('certification to know the product', () => api(certification, 'GET', `/products/${productId}`, owner));
    for (const kind of ['business_licence', 'national_standard_certificates']) {
      await api(certification, 'POST', `/merchants/${merchant.id}/records/evidence`, owner, { kind, reference: `oss://evidence/${kind}.pdf` });
    }
    await api(certification, 'PUT', `/merchants/${merchant.id}/records/traceability`, owner, { traceability: 'enterprise' });
    const application = await api(certification, 'POST', '/applications', owner, { productId, target: { scheme: 'otop', level: 1 } });
    applicationId = application.id;
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  const asUser = (name: string, viewport = DESK) => pageAs(browser, site.url, name, viewport);

  const statusTag = (page: Page) => page.getByTestId('application-status');

  it('a certifier reviews the application against the 1★ checklist and approves it', async () => {
    const page = await asUser('certifier');
    await page.getByRole('heading', { name: '认证申请' }).waitFor();
    const row = page.locator('tr', { hasText: applicationId });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('一乡一品 ★');
    await snap(page, 'certifier-console', '1-queue');
    await row.getByRole('link', { name: `评审 ${applicationId}` }).click();

    // The checklist comes from the 1★ criteria: online review, the basic documents, three checks.
    const checklist = page.locator('.ant-card', { hasText: '评审清单' });
    await checklist.waitFor();
    await expect(checklist.textContent()).resolves.toMatch(/线上评价[\s\S]*营业执照[\s\S]*6 个月内无重要投诉/);
    await snap(page, 'certifier-console', '2-checklist');

    await page.getByRole('button', { name: '审核材料' }).click();
    await statusTag(page).filter({ hasText: '材料审核通过' }).waitFor();
    await page.getByRole('button', { name: '要求寄样' }).click();
    await statusTag(page).filter({ hasText: '待寄样' }).waitFor();

    // The merchant mails the sample (merchant console: another flow); the certifier sees it arrive.
    await api(certification, 'POST', `/applications/${applicationId}/sample/mailed`, owner, { carrier: '顺丰速运', trackingNumber: 'SF1402039876' });
    await page.reload();
    await page.getByText('顺丰速运 SF1402039876').waitFor();
    await page.getByRole('button', { name: '确认收到样品' }).click();
    await statusTag(page).filter({ hasText: '样品已签收' }).waitFor();
    await page.getByRole('button', { name: '由我进行线上评价' }).click();
    await statusTag(page).filter({ hasText: '评审已安排' }).waitFor();

    // Until every check passes, the button says the review fails.
    await page.getByRole('button', { name: '提交评审结果（未通过）' }).waitFor();
    for (const check of ['资料审核', '产品溯源机制核查', '寄样产品抽检']) await page.getByRole('checkbox', { name: `${check} 通过` }).check();
    await snap(page, 'certifier-console', '3-review-checks');
    await page.getByRole('button', { name: '评定通过，授予 一乡一品 ★' }).click();
    await statusTag(page).filter({ hasText: '评定通过' }).waitFor();
    await page.locator('.ant-alert-success', { hasText: '评定通过：一乡一品 ★' }).waitFor();
    await snap(page, 'certifier-console', '4-approved');

    const stored = await api(certification, 'GET', `/applications/${applicationId}`, owner);
    expect(stored).toMatchObject({ status: 'approved', decision: { approved: true } });
    expect(stored.review.checks).toHaveLength(3);
    await page.close();
  });

  it('a certifier red-warns the product; the shopper sees it cannot be bought, and why', async () => {
    const shopper = await asUser('shopper', PHONE);
    await eventually('the product to be buyable', async () => {
      await shopper.goto(`${site.url}/hall/products/${productId}`);
      await shopper.locator('h1').waitFor();
      return (await shopper.locator('button.buy').count()) > 0 ? true : undefined;
    });
    await snap(shopper, 'certifier-console', '5-shopper-buyable');
    await shopper.close();

    const page = await asUser('certifier');
    await page.goto(`${site.url}/certifier/certificates`);
    await page.getByRole('heading', { name: '证书与警示' }).waitFor();
    await page.getByText('全部证书').click();
    const row = page.locator('tr', { hasText: productId });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('有效');
    await row.getByRole('button', { name: `红色警示 ${productId}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('质量风险说明（消费者会看到）').fill('市场抽检：茶多酚含量不达标');
    await snap(page, 'certifier-console', '6-red-warning');
    await dialog.getByRole('button', { name: '红色警示' }).click();
    await page.locator('.ant-message', { hasText: '红色警示：已完成' }).waitFor();
    await row.locator('.ant-tag', { hasText: '红色警示' }).waitFor();
    await snap(page, 'certifier-console', '7-red-listed');
    await page.close();

    const back = await asUser('shopper', PHONE);
    await eventually('the buy button to disappear', async () => {
      await back.goto(`${site.url}/hall/products/${productId}`);
      await back.locator('h1').waitFor();
      return (await back.locator('button.buy').count()) === 0 ? true : undefined;
    });
    const blocked = await back.textContent('.blocked[role=alert]');
    expect(blocked).toContain('暂不可购买');
    expect(blocked).toContain('认证因质量风险被亮红色警示，已停止销售');
    await snap(back, 'certifier-console', '8-shopper-blocked');
    await back.close();
  });

  it("the operator's console shows the halls and the price index; /api/docs renders the services' OpenAPI documents", async () => {
    const page = await asUser('operator');
    await page.goto(`${site.url}/operator/halls`);
    await page.getByRole('heading', { name: '品牌馆' }).waitFor();
    const county = page.locator('tr', { hasText: '开平优品馆' });
    await county.waitFor();
    await expect(county.textContent()).resolves.toContain('县级馆');
    await snap(page, 'certifier-console', '9-operator-halls');
    await page.goto(`${site.url}/operator/price-index`);
    await page.getByRole('heading', { name: '价格指数' }).waitFor();
    await page.getByText(/最新指数/).waitFor();
    await snap(page, 'certifier-console', '10-operator-price-index');

    await page.goto(`${site.url}/api/docs`);
    await page.getByRole('heading', { name: '特产平台 API 文档' }).waitFor();
    // Swagger UI loads the first document (the catalog's) through the edge and lists its operations.
    await page.locator('.opblock-summary-path', { hasText: '/catalog/halls' }).first().waitFor({ timeout: 60_000 });
    await snap(page, 'certifier-console', '11-api-docs');
    const certificationDoc = (await (await fetch(`${site.url}/api/certification/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(certificationDoc.paths)).toContain('/certificates/{id}/warnings/yellow');
    await page.close();
  });
});
