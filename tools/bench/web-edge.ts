/**
 * The web budget and the edge's cost, on the local stack (built apps: `npx nx run-many -t build -p
 * catalog,certification,gateway,web`):
 *  1. the hall's first view on a phone-sized screen (390×844, Chromium): bytes transferred (headers +
 *     compressed bodies) and time until the first product card is visible; target < 300 KB;
 *  2. the verify page a QR code opens (/v/<code>): bytes transferred; target < 100 KB;
 *  3. the edge's added latency per proxied API call: p50/p99 of GET /catalog/ping straight at the
 *     catalog against GET /api/catalog/ping through the edge (anonymous, and signed in: the edge
 *     checks the session cookie and mints a JWT), same run, one after the other.
 *
 *   nice -n 10 npx tsx --tsconfig tools/tsconfig.json tools/bench/web-edge.ts [seconds=10] [connections=10]
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import type { Page } from 'playwright-core';
import { signToken, type AuthUser } from '@techan/common';
import { openBrowser, PHONE, startSite } from '../../e2e/src/edge';
import { E2E_JWT_SECRET } from '../../e2e/src/system';
import { creditCodeCheckChar } from '../../apps/catalog/src/domain/credit-code';

const ROOT = resolve(__dirname, '../..');
const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = Number(process.argv[3] ?? 10);

function seedCatalog(mongoUri: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), '--tsconfig', 'apps/catalog/tsconfig.tsx.json', 'apps/catalog/src/seed.ts'], {
      cwd: ROOT,
      env: { ...process.env, MONGO_URL: mongoUri, MONGO_DB: 'techan-catalog' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`seed exited with ${code}`))));
  });
}

async function call(base: string, method: string, path: string, as: AuthUser | null, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(as ? { authorization: `Bearer ${signToken(E2E_JWT_SECRET, as)}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A product certified through the real path (as in e2e/src/certified-only.spec.ts), and its trace code's link. */
async function certifiedTraceLink(catalog: string, certification: string): Promise<string> {
  const user = (userId: string, roles: AuthUser['roles'], merchantIds: string[] = []): AuthUser => ({ userId, roles, merchantIds, buyerOrgIds: [] });
  const account = user('acct-bench', ['merchant']);
  const merchant = await call(catalog, 'POST', '/catalog/merchants', account, {
    name: '开平市大沙茶叶专业合作社', creditCode: `91440783MA4BENCH1${creditCodeCheckChar('91440783MA4BENCH1')}`, licenceDocument: 'doc:licences/dasha-tea.pdf', town: 'dasha', contact: { name: '梁志明', phone: '13702201189' },
  });
  await call(catalog, 'POST', `/catalog/review/merchants/${merchant.id}`, user('op-1', ['operator']), { decision: 'approve' });
  const owner = user('acct-bench', ['merchant'], [merchant.id]);
  const product = await call(catalog, 'POST', `/catalog/merchants/${merchant.id}/products`, owner, {
    nameZh: '大沙茶（明前绿茶）', descriptionZh: '大沙镇高山云雾茶园。', categoryId: 'agri.tea', town: 'dasha', tier: 'premium', originDegree: 'fully_local',
    temperatureClass: 'ambient', shelfLifeDays: 540, images: [],
    skus: [{ code: 'T250', specZh: '罐装250克', unit: '罐', netContent: { value: 250, unit: 'g' }, priceFen: 16800, stock: 50 }],
  });
  for (let i = 0; ; i++) {
    try {
      await call(certification, 'GET', `/products/${product.id}`, owner);
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  for (const kind of ['business_licence', 'national_standard_certificates', 'safe_production_photos', 'risk_control_documents', 'traceability_description', 'quality_test_report', 'compliance_certificate', 'origin_proof']) {
    await call(certification, 'POST', `/merchants/${merchant.id}/records/evidence`, owner, { kind, reference: `oss://evidence/${kind}.pdf` });
  }
  await call(certification, 'PUT', `/merchants/${merchant.id}/records/traceability`, owner, { traceability: 'product' });
  const certifier = user('u-certifier-1', ['certifier']);
  const inspector = user('u-inspector-1', ['inspector']);
  const application = await call(certification, 'POST', '/applications', owner, { productId: product.id, target: { scheme: 'otop', level: 3 } });
  const step = (path: string, as: AuthUser, body?: unknown) => call(certification, 'POST', `/applications/${application.id}/${path}`, as, body);
  await step('evidence-check', certifier);
  await step('sample/request', certifier, { instructions: '请寄样品 2 份' });
  await step('sample/mailed', owner, { carrier: '顺丰速运', trackingNumber: 'SF1402030406' });
  await step('sample/received', certifier, { receivedAt: new Date().toISOString() });
  const at = new Date(Date.now() + 1_500);
  await step('review', certifier, { method: 'expert_on_site', inspectorId: inspector.userId, scheduledFor: at.toISOString() });
  await new Promise((r) => setTimeout(r, at.getTime() - Date.now() + 200));
  await step('review/result', inspector, {
    checks: ['documents_review', 'on_site_product_test', 'production_line_inspection', 'risk_control_on_site_look', 'traceability_check'].map((check) => ({ check, passed: true })),
  });
  return (await call(certification, 'POST', `/products/${product.id}/trace-codes`, owner, {})).link;
}

/** Bytes on the wire for one page load (headers + encoded bodies of every response). */
async function measureLoad(page: Page, url: string, ready: (page: Page) => Promise<unknown>) {
  const sizes: Promise<number>[] = [];
  const urls: string[] = [];
  const onFinished = (request: import('playwright-core').Request) => {
    urls.push(request.url());
    sizes.push(request.sizes().then((s) => s.responseHeadersSize + s.responseBodySize, () => 0));
  };
  page.on('requestfinished', onFinished);
  const started = Date.now();
  await page.goto(url);
  await ready(page);
  const ms = Date.now() - started;
  await page.waitForLoadState('networkidle');
  page.off('requestfinished', onFinished);
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  return { bytes, ms, requests: urls.length };
}

function latency(title: string, url: string, headers: Record<string, string> = {}) {
  return new Promise<{ title: string; p50: number; p99: number; rps: number; errors: number }>((done, fail) => {
    autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers }, (error, result) => {
      if (error) return fail(error);
      done({ title, p50: result.latency.p50, p99: result.latency.p99, rps: Math.round(result.requests.average), errors: result.errors + result.non2xx });
    });
  });
}

async function main() {
  const site = await startSite(['catalog', 'certification']);
  const browser = await openBrowser();
  try {
    await seedCatalog(site.system.mongoUri);
    const catalog = site.system.services['catalog'].url;
    const link = await certifiedTraceLink(catalog, site.system.services['certification'].url);

    const page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    // Cold cache each time: a fresh page in a context whose cache is cleared through the protocol.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    const hall = await measureLoad(page, `${site.url}/hall`, (p) => p.locator('a.product-card').first().waitFor());
    await cdp.send('Network.clearBrowserCache');
    const verify = await measureLoad(page, link, (p) => p.locator('h2').first().waitFor());

    // Same run, one after the other: direct, through the edge anonymous, through the edge signed in.
    const login = await fetch(`${site.url}/auth/demo-sign-in`, { method: 'POST', headers: { origin: site.url, 'content-type': 'application/json' }, body: '{"user":"shopper"}' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const direct = await latency('catalog directly       GET /catalog/ping', `${catalog}/catalog/ping`);
    const anonymous = await latency('through the edge        GET /api/catalog/ping', `${site.url}/api/catalog/ping`);
    const signedIn = await latency('through the edge, session cookie → JWT', `${site.url}/api/catalog/ping`, { cookie });

    console.log('\nWeb first load (Chromium, 390×844, cold cache, local stack; bytes = headers + compressed bodies)');
    console.log(`  hall /hall          ${(hall.bytes / 1024).toFixed(1)} KB in ${hall.requests} requests, first product card after ${hall.ms} ms   (budget 300 KB)`);
    console.log(`  verify /v/<code>    ${(verify.bytes / 1024).toFixed(1)} KB in ${verify.requests} requests, shown after ${verify.ms} ms   (budget 100 KB)`);
    console.log(`\nEdge latency (${CONNECTIONS} connections, ${SECONDS} s each, same run)`);
    for (const r of [direct, anonymous, signedIn]) {
      console.log(`  ${r.title.padEnd(44)} p50 ${r.p50} ms   p99 ${r.p99} ms   ${r.rps} req/s   errors ${r.errors}`);
    }
    console.log(`  added by the edge: p50 +${anonymous.p50 - direct.p50} ms / +${signedIn.p50 - direct.p50} ms signed in; p99 +${anonymous.p99 - direct.p99} ms / +${signedIn.p99 - direct.p99} ms`);
  } finally {
    await browser.close();
    await site.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
