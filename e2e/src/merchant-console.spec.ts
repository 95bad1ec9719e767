import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { DEMO_USERS, signToken, type AuthUser } from '@techan/common';
import { DESK, openBrowser, pageAs, snap, startSite, type RunningSite } from './edge';
import { E2E_JWT_SECRET } from './system';

const ENTERPRISE = '开平市马冈优品鹅业有限公司';
const PRODUCT = '马冈鹅（整只，冰鲜）';

/**
 * The merchant's main flow through the console, on one origin: the enterprise is registered and
 * approved, then the merchant lists a product with a photo (a file that is not an image is refused
 * in Chinese), and applies for a 1★ OTOP certification with its documents.
 */
describe('merchant console: list a product with an image and apply for 1★', () => {
  let site: RunningSite;
  let browser: Awaited<ReturnType<typeof openBrowser>>;

  beforeAll(async () => {
    site = await startSite(['catalog', 'certification']);
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  const asUser = (name: string, viewport = DESK) => pageAs(browser, site.url, name, viewport);

  async function pick(page: Page, label: string, option: string) {
    await page.getByLabel(label, { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
  }

  it('registers, lists a product with a photo, and applies for 1★', async () => {
    // The enterprise: registered by the merchant, approved by the operator (both through the consoles).
    const merchant = await asUser('merchant');
    await merchant.getByRole('button', { name: '登记新企业' }).click();
    await merchant.getByLabel('企业名称').fill(ENTERPRISE);
    await merchant.getByLabel('统一社会信用代码').fill('91440783MA4UK7R28A');
    await merchant.getByLabel('营业执照（文件编号或存储地址）').fill('doc:licences/2026/magang-goose.pdf');
    await pick(merchant, '所在镇（街）', '马冈镇');
    await merchant.getByLabel('联系人').fill('关伟强');
    await merchant.getByLabel('联系电话').fill('13702201188');
    await merchant.getByRole('button', { name: '提交入驻申请' }).click();
    await merchant.locator('.ant-card', { hasText: ENTERPRISE }).waitFor();
    // Before approval the product pages say why they are closed.
    await merchant.getByRole('link', { name: '产品与库存' }).click();
    await merchant.getByText('企业审核通过后才能管理产品和申请认证').waitFor();
    await merchant.close();

    const operator = await asUser('operator');
    const row = operator.locator('tr', { hasText: ENTERPRISE });
    await row.getByRole('button', { name: /通过/ }).click();
    await row.waitFor({ state: 'detached' });
    await operator.close();

    // A product with two SKUs, prices typed in 元.
    const page = await asUser('merchant');
    await page.getByRole('link', { name: '产品与库存' }).click();
    await page.getByRole('button', { name: '新建产品' }).click();
    await page.getByLabel('产品名称').fill(PRODUCT);
    await page.getByLabel('品类').click();
    await page.locator('.ant-select-tree-title', { hasText: /^马冈鹅$/ }).click();
    await page.getByLabel('产品描述').fill('黑鬃乌喙乌脚，放养一百天以上，肉质紧实。');
    await pick(page, '温区', '冷藏');
    await page.getByLabel('保质期（天）').fill('4');
    await page.getByLabel('SKU 编码').fill('W30');
    await page.getByLabel('规格说明').fill('整只约3千克');
    await page.getByLabel('单位', { exact: true }).fill('只');
    await page.getByLabel('净含量数值').fill('3000');
    await page.getByLabel('价格（元）').fill('268.5');
    await page.getByLabel('库存', { exact: true }).fill('40');
    await snap(page, 'merchant-console', '1-new-product');
    await page.getByRole('button', { name: '创建并上架' }).click();
    await page.getByText('产品已创建并上架').waitFor();
    await page.getByText('¥268.50/只 · 库存 40').waitFor();

    // A file named .jpg that is not an image: refused by the catalog, in Chinese, nothing shown.
    const upload = page.locator('input[type=file]');
    await upload.setInputFiles({ name: 'goose.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是图片'.repeat(50)) });
    await page.locator('.ant-message', { hasText: '文件不是可识别的图片' }).waitFor();
    await snap(page, 'merchant-console', '2-not-an-image-refused');
    await expect(page.locator('.merchant-image').count()).resolves.toBe(0);

    // A real photo: stored, resized, shown as a preview served from the catalog through the edge.
    const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 196, g: 120, b: 60 } } }).jpeg().toBuffer();
    await upload.setInputFiles({ name: 'magang-goose.jpg', mimeType: 'image/jpeg', buffer: photo });
    const thumb = page.locator('.merchant-image img');
    await thumb.waitFor();
    await expect(thumb.evaluate((el) => {
        const img = el as unknown as { decode(): Promise<void>; naturalWidth: number };
        return img.decode().then(() => img.naturalWidth);
      })).resolves.toBe(320);
    const served = await page.evaluate(async (src) => {
      const res = await fetch(src);
      return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control') };
    }, (await thumb.getAttribute('src')) ?? '');
    expect(served).toEqual({ status: 200, type: 'image/webp', cache: 'public, max-age=31536000, immutable' });

    // Price and stock edits: 元 in, 分 out.
    await page.getByLabel('整只约3千克 价格（元）').fill('258');
    await page.getByLabel('整只约3千克 库存').fill('35');
    await page.getByRole('button', { name: /^保\s*存$/ }).click();
    await page.getByText('¥258.00/只 · 库存 35').waitFor();
    await snap(page, 'merchant-console', '3-product-with-image');

    await page.getByRole('link', { name: '产品与库存' }).click();
    const listed = page.locator('tr', { hasText: PRODUCT });
    await listed.getByRole('switch').waitFor();
    await expect(listed.getByRole('switch').getAttribute('aria-checked')).resolves.toBe('true');
    await expect(listed.locator('img').getAttribute('src')).resolves.toMatch(/^\/api\/catalog\/images\/img_[a-z0-9]+\?w=320$/);
    await snap(page, 'merchant-console', '4-product-list');

    // Apply for 1★ with the two documents 1★ needs.
    await listed.getByRole('link', { name: '管理' }).click();
    await page.getByRole('link', { name: '申请认证 →' }).click();
    await page.getByRole('heading', { name: '认证与证书' }).waitFor();
    await pick(page, '企业溯源能力', '企业可追溯');
    await page.getByLabel('营业执照').fill('doc:licences/2026/magang-goose.pdf');
    await page.getByLabel('符合国家标准的生产、加工、储存、运输和销售证书').fill('doc:standards/2026/GB2707-magang-goose.pdf');
    const applications = page.locator('.ant-card', { hasText: '我的认证申请' });
    // Certification learns of the product from the catalog's event; right after creation it may not know it yet.
    for (let attempt = 0; attempt < 20; attempt++) {
      await page.getByRole('button', { name: '提交认证申请' }).click();
      // The previous attempt's message goes as the new one starts.
      await page.locator('.ant-alert-error').waitFor({ state: 'detached' });
      const outcome = await Promise.race([
        applications.locator('tr', { hasText: PRODUCT }).waitFor().then(() => 'submitted'),
        page.locator('.ant-alert-error', { hasText: '未登记' }).waitFor().then(() => 'not-yet'),
      ]);
      if (outcome === 'submitted') break;
      await page.waitForTimeout(1000);
    }
    const application = applications.locator('tr', { hasText: PRODUCT });
    await expect(application.textContent()).resolves.toMatch(/一乡一品 ★.*已提交/);
    await expect(page.locator('.ant-alert-error').count()).resolves.toBe(0);
    // The documents are on file: the form says so instead of asking again.
    await page.getByText('已提交：doc:licences/2026/magang-goose.pdf').waitFor();
    await page.getByText('还没有证书').waitFor();
    await snap(page, 'merchant-console', '5-applied-for-1-star');

    // The evaluation centre's side (the certifier console is another flow): documents accepted, sample asked for.
    const certifier = DEMO_USERS.certifier;
    const [{ id: applicationId, productId }] = await certification<{ id: string; productId: string }[]>('GET', '/applications?status=submitted', certifier);
    await expect(certification('POST', `/applications/${applicationId}/evidence-check`, certifier)).resolves.toMatchObject({ status: 'evidence_accepted' });
    await certification('POST', `/applications/${applicationId}/sample/request`, certifier, { instructions: '请寄样品 2 份至开平市评定中心' });

    // The merchant tells the centre the sample is on its way, from the console.
    await page.reload();
    const waiting = applications.locator('tr', { hasText: '待寄样' });
    await waiting.getByText('请寄样品 2 份至开平市评定中心').waitFor();
    await waiting.getByLabel('快递公司').fill('顺丰速运');
    await waiting.getByLabel('快递单号').fill('SF1402030405');
    await waiting.getByRole('button', { name: '已寄出样品' }).click();
    await applications.locator('tr', { hasText: '样品已寄出' }).waitFor();

    await certification('POST', `/applications/${applicationId}/sample/received`, certifier, { receivedAt: new Date().toISOString() });
    await certification('POST', `/applications/${applicationId}/review`, certifier, { method: 'online', reviewerId: certifier.userId });
    const checks = ['documents_review', 'traceability_check', 'sample_spot_check'].map((check) => ({ check, passed: true }));
    await expect(certification('POST', `/applications/${applicationId}/review/result`, certifier, { checks })).resolves.toMatchObject({ status: 'approved' });

    // The certificate, its deadlines and the downloads.
    await page.reload();
    const certificate = page.locator('[data-certificate]');
    await certificate.waitFor();
    await expect(certificate.textContent()).resolves.toMatch(/一乡一品 ★.*有效.*有效期 .*至 .*（还剩 \d+ 天）.*下次年检/);
    for (const [name, type] of [
      ['下载追溯二维码（PNG）', /^image\/png$/],
      ['下载追溯二维码（SVG，印刷用）', /^image\/svg\+xml/],
      ['下载星级徽章（SVG）', /^image\/svg\+xml/],
    ] as const) {
      const href = (await certificate.getByRole('link', { name }).getAttribute('href')) ?? '';
      const served = await page.evaluate(async (url) => {
        const res = await fetch(url);
        return { status: res.status, type: res.headers.get('content-type'), attachment: /attachment/.test(res.headers.get('content-disposition') ?? '') };
      }, href);
      expect(served).toEqual({ status: 200, type: expect.stringMatching(type), attachment: true });
    }
    await snap(page, 'merchant-console', '6-certificate');

    // A red warning raised by the centre reaches the merchant's console with its reason.
    await certification('POST', `/products/${productId}/warnings/red`, certifier, { reason: '抽检发现兽药残留超标' });
    await page.reload();
    await certificate.getByText('红色警示：质量风险').waitFor();
    await certificate.getByText(/抽检发现兽药残留超标/).waitFor();
    await snap(page, 'merchant-console', '7-red-warning');
    await page.close();
  }, 300_000);

  /** Calls certification directly as a staff member (bearer token), as the certifier console would. */
  async function certification<T = Record<string, unknown>>(method: string, path: string, as: AuthUser, body?: unknown): Promise<T> {
    const res = await fetch(`${site.system.services['certification'].url}${path}`, {
      method,
      headers: { authorization: `Bearer ${signToken(E2E_JWT_SECRET, as)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }
});
