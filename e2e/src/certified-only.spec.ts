import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { signToken, type AuthUser } from '@techan/common';
import { E2E_JWT_SECRET, startSystem, type RunningSystem } from './system';

/**
 * The rule that defines the product, end to end, in a real browser: a merchant lists 马冈鹅 in the
 * catalog; certification learns of it over the bus, certifies it (OTOP 1★), and its status event
 * makes it appear, buyable, in the brand hall. A certifier's red warning then removes the buy
 * button and shows why, and the public verification page turns red.
 */
const user = (userId: string, roles: AuthUser['roles'], merchantIds: string[] = []): AuthUser => ({ userId, roles, merchantIds, buyerOrgIds: [] });

async function api(base: string, method: string, path: string, as: AuthUser | null, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(as ? { authorization: `Bearer ${signToken(E2E_JWT_SECRET, as)}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, diagnose?: () => Promise<string>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${diagnose ? `: ${await diagnose().catch(String)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('certified-only, end to end in a browser', () => {
  let system: RunningSystem;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let catalog: string;
  let certification: string;

  beforeAll(async () => {
    system = await startSystem(['catalog', 'certification']);
    catalog = system.services['catalog'].url;
    certification = system.services['certification'].url;
    profile = mkdtempSync(join(tmpdir(), 'techan-e2e-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await system?.stop();
  });

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
    await page.goto(`${catalog}/hall?q=${encodeURIComponent('马冈')}`);
    expect(await page.locator(`a[href="/hall/products/${productId}"]`).count()).toBe(0);

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
    await eventually('the product to appear in the hall', async () => {
      await page.goto(`${catalog}/hall?q=${encodeURIComponent('马冈')}`);
      return (await page.locator(`a[href="/hall/products/${productId}"]`).count()) > 0 ? true : undefined;
    }, async () => JSON.stringify(await api(catalog, 'GET', `/catalog/products/${productId}`, null)));
    await page.click(`a[href="/hall/products/${productId}"]`);
    await expect(page.locator('button.buy').count()).resolves.toBe(1);
    expect(await page.textContent('body')).toContain('马冈鹅（整只，冰鲜）');

    // A quality risk: the certifier raises a red warning. The next status event blocks the product.
    const trace = await api(certification, 'POST', `/products/${productId}/trace-codes`, owner, {});
    await api(certification, 'POST', `/products/${productId}/warnings/red`, certifier, { reason: '抽检发现兽药残留超标' });
    await eventually('the buy button to disappear', async () => {
      await page.goto(`${catalog}/hall/products/${productId}`);
      return (await page.locator('button.buy').count()) === 0 ? true : undefined;
    });
    const blocked = await page.textContent('[role=alert]');
    expect(blocked).toContain('暂不可购买');
    expect(blocked).toContain('红色预警');
    await page.goto(`${catalog}/hall?q=${encodeURIComponent('马冈')}`);
    expect(await page.locator(`a[href="/hall/products/${productId}"]`).count()).toBe(0);

    // A shopper scanning the QR code sees the red warning on the public verification page.
    await page.goto(trace.link);
    const verify = (await page.textContent('body')) ?? '';
    expect(verify).toContain('马冈鹅');
    expect(verify).toMatch(/红色|红/);
  });
});
