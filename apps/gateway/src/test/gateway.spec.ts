import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { DEMO_USERS, JsonLogger, verifyToken } from '@techan/common';
import { loadGatewayConfig } from '../config';
import { createGateway } from '../gateway';

const JWT_SECRET = 'gateway-test-jwt-secret-0123456789abcdef';
const SESSION_SECRET = 'gateway-test-session-secret-0123456789abc';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in service: records what reached it and answers like the catalog or certification would. */
function fakeService(name: string) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/catalog/merchants/mine') return void res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":"m-registered-1"}]');
      if (req.url?.startsWith('/v/')) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html lang="zh-CN"><body>认证有效</body></html>');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ service: name, url: req.url }));
    });
  });
  return { seen, server };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the edge', () => {
  const catalog = fakeService('catalog');
  const certification = fakeService('certification');
  let edge: Server;
  let base: string;

  beforeAll(async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'techan-web-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><html lang="zh-CN"><div id="root"></div></html>');
    writeFileSync(join(webRoot, 'assets', 'app-abc123.js'), 'console.log(1)'.repeat(200));
    const catalogUrl = await listen(catalog.server);
    const certificationUrl = await listen(certification.server);
    edge = createServer();
    await listen(edge);
    base = `http://127.0.0.1:${(edge.address() as AddressInfo).port}`;
    const config = loadGatewayConfig({
      PORT: String((edge.address() as AddressInfo).port),
      HOST: '127.0.0.1',
      JWT_SECRET,
      SESSION_SECRET,
      CATALOG_URL: catalogUrl,
      CERTIFICATION_URL: certificationUrl,
      ORDERS_URL: 'http://127.0.0.1:9', // nothing listens: the edge must answer 502 in Chinese
      LOGISTICS_URL: 'http://127.0.0.1:9',
      WEB_ROOT: webRoot,
      AUTH_MODE: 'demo',
      LOG_LEVEL: 'fatal',
    });
    edge.on('request', createGateway(config, new JsonLogger('gateway', 'fatal')));
  });

  afterAll(async () => {
    for (const s of [edge, catalog.server, certification.server]) await new Promise((r) => s.close(r));
  });

  const sameOrigin = () => ({ origin: base, 'content-type': 'application/json' });

  async function signIn(user: string) {
    const res = await fetch(`${base}/auth/demo-sign-in`, { method: 'POST', headers: sameOrigin(), body: JSON.stringify({ user }) });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const body = (await res.json()) as { csrfToken: string; user: { roles: string[]; merchantIds: string[] } };
    return { cookie: setCookie.split(';')[0], setCookie, csrf: body.csrfToken, body };
  }

  it('signs a demo user in with an httpOnly SameSite cookie and tells the session with its CSRF token', async () => {
    const { cookie, setCookie, csrf, body } = await signIn('merchant');
    expect(setCookie).toMatch(/^techan_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The catalog told the edge about the enterprise this account registered.
    expect(body.user.merchantIds).toEqual([...DEMO_USERS['merchant'].merchantIds, 'm-registered-1']);
    const session = await (await fetch(`${base}/auth/session`, { headers: { cookie } })).json();
    expect(session).toMatchObject({ mode: 'demo', user: { userId: DEMO_USERS['merchant'].userId, roles: ['merchant'] }, csrfToken: csrf });
    const anonymous = await (await fetch(`${base}/auth/session`)).json();
    expect(anonymous).toEqual({ mode: 'demo', user: null });
  });

  it('refuses an unknown demo user and a sign-in posted from another site', async () => {
    const unknown = await fetch(`${base}/auth/demo-sign-in`, { method: 'POST', headers: sameOrigin(), body: JSON.stringify({ user: 'root' }) });
    expect(unknown.status).toBe(400);
    expect((await messageOf(unknown))).toBe('请选择一个演示用户');
    const crossSite = await fetch(`${base}/auth/demo-sign-in`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'operator' }),
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
  });

  it('passes a short-lived JWT to the service instead of the cookie, on the service own path', async () => {
    const { cookie } = await signIn('certifier');
    catalog.seen.length = 0;
    const res = await fetch(`${base}/api/catalog/halls?level=town`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ service: 'catalog', url: '/catalog/halls?level=town' });
    const seen = catalog.seen[0];
    expect(seen.headers.cookie).toBeUndefined();
    const token = (seen.headers.authorization ?? '').replace(/^Bearer /, '');
    expect(verifyToken(JWT_SECRET, token)).toMatchObject({ userId: 'u-certifier-1', roles: ['certifier'] });
    const claims = jwt.decode(token) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(60);
    expect(seen.headers['x-request-id']).toBe(res.headers.get('x-request-id'));
  });

  it('needs the CSRF token for a change, and a same-site origin', async () => {
    const { cookie, csrf } = await signIn('certifier');
    certification.seen.length = 0;
    const missing = await fetch(`${base}/api/certification/applications/a-1/reject`, { method: 'POST', headers: { ...sameOrigin(), cookie }, body: '{}' });
    expect(missing.status).toBe(403);
    expect((await messageOf(missing))).toContain('CSRF');
    const wrong = await fetch(`${base}/api/certification/applications/a-1/reject`, {
      method: 'POST',
      headers: { ...sameOrigin(), cookie, 'x-csrf-token': csrf.replace(/^./, csrf[0] === 'A' ? 'B' : 'A') },
      body: '{}',
    });
    expect(wrong.status).toBe(403);
    const crossSite = await fetch(`${base}/api/certification/applications/a-1/reject`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    expect(certification.seen).toHaveLength(0);
    const ok = await fetch(`${base}/api/certification/applications/a-1/reject`, {
      method: 'POST',
      headers: { ...sameOrigin(), cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ reason: '材料不全' }),
    });
    expect(ok.status).toBe(200);
    expect(certification.seen[0]).toMatchObject({ method: 'POST', url: '/applications/a-1/reject', body: '{"reason":"材料不全"}' });
    expect(certification.seen[0].headers['x-csrf-token']).toBeUndefined();
  });

  it('answers a tampered or expired session cookie with 401 in Chinese and clears it', async () => {
    const { cookie } = await signIn('operator');
    const [name, value] = cookie.split('=');
    const tampered = `${name}=${value.slice(0, -3)}${value.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const res = await fetch(`${base}/api/catalog/review/merchants`, { headers: { cookie: tampered } });
    expect(res.status).toBe(401);
    expect((await messageOf(res))).toBe('登录已失效，请重新登录');
    expect(res.headers.get('set-cookie')).toMatch(/techan_session=;.*Expires=Thu, 01 Jan 1970/);
    const expired = jwt.sign(
      { sub: 'u-operator-1', roles: ['operator'], merchants: [], orgs: [], name: 'x', csrf: 'c'.repeat(43) },
      SESSION_SECRET,
      { algorithm: 'HS256', expiresIn: -10, audience: 'techan-session', issuer: 'techan-edge' },
    );
    const late = await fetch(`${base}/api/catalog/review/merchants`, { headers: { cookie: `techan_session=${expired}` } });
    expect(late.status).toBe(401);
    // A cookie signed with the services' JWT secret is no session either.
    const forged = jwt.sign({ sub: 'x', roles: ['operator'], merchants: [], orgs: [], name: 'x', csrf: 'c'.repeat(43) }, JWT_SECRET, {
      algorithm: 'HS256',
      expiresIn: 600,
      audience: 'techan-session',
      issuer: 'techan-edge',
    });
    expect((await fetch(`${base}/api/catalog/halls`, { headers: { cookie: `techan_session=${forged}` } })).status).toBe(401);
  });

  it.each([
    ['/api/catalog/../health', 400],
    ['/api/catalog/%2e%2e/health', 400],
    ['/api/certification/products/%2f..%2fhealth', 400],
    ['/api/payments/refunds', 404],
  ])('refuses %s without reaching a service', async (path, status) => {
    catalog.seen.length = 0;
    certification.seen.length = 0;
    // fetch() would normalise dot segments itself; send the raw path.
    const res = await rawGet(base, path);
    expect(res.status).toBe(status);
    expect(res.body).toMatch(/[\u4e00-\u9fff]/);
    expect(catalog.seen.length + certification.seen.length).toBe(0);
  });

  it('answers 502 in Chinese when a service is down', async () => {
    const res = await fetch(`${base}/api/orders/orders`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(502);
    expect((await messageOf(res))).toBe('服务暂时不可用，请稍后再试');
  });

  it('keeps the QR-code URLs: /v/<code> shows certification page, anonymously', async () => {
    const { cookie } = await signIn('shopper');
    certification.seen.length = 0;
    const res = await fetch(`${base}/v/TC7H2K9Q`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('认证有效');
    expect(certification.seen[0].url).toBe('/v/TC7H2K9Q');
    expect(certification.seen[0].headers.authorization).toBeUndefined();
    expect(certification.seen[0].headers.cookie).toBeUndefined();
    const bad = await rawGet(base, '/v/..%2f..%2fhealth');
    expect(bad.status).toBe(404);
    expect(bad.body).toContain('追溯码无效');
    expect((await fetch(`${base}/01/06901234567892/10/L2026`)).status).toBe(200);
  });

  it('serves the front end: client routes get index.html, assets are cached and compressed', async () => {
    const page = await fetch(`${base}/hall/products/p-123`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<div id="root">');
    const asset = await fetch(`${base}/assets/app-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves /api/docs: a page listing the four OpenAPI documents, rendered by Swagger UI from its own files', async () => {
    const page = await fetch(`${base}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    for (const service of ['catalog', 'orders', 'logistics', 'certification']) expect(html).toContain(`href="/api/${service}/openapi.json"`);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).not.toMatch(/<script>(?!<)/); // no inline script: the CSP allows 'self' only
    const init = await fetch(`${base}/api/docs/init.js`);
    expect(init.headers.get('content-type')).toContain('javascript');
    expect(await init.text()).toContain('"url":"/api/certification/openapi.json"');
    const bundle = await fetch(`${base}/api/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${base}/api/docs/swagger-ui.css`)).status).toBe(200);
    // Only Swagger UI's own files are served from its folder.
    expect((await fetch(`${base}/api/docs/package.json`)).status).toBe(404);
    // The documents go through the edge's routing like any API call: the catalog's under its prefix.
    const doc = await fetch(`${base}/api/catalog/openapi.json`);
    expect(await doc.json()).toEqual({ service: 'catalog', url: '/catalog/openapi.json' });
    expect(((await (await fetch(`${base}/api/certification/openapi.json`)).json()) as { url: string }).url).toBe('/openapi.json');
  });
});

/** GET without client-side URL normalisation (fetch resolves `..` before sending). */
async function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { request } = await import('node:http');
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers: { accept: 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function messageOf(res: Response): Promise<string> {
  return ((await res.json()) as { message: string }).message;
}
