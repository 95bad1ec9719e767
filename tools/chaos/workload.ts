/**
 * The seeded workload: shoppers browsing the public catalogue and checking out with test cards (some
 * declined: then they cancel or pay again with a good card), and a certifier blocking products in the
 * middle of checkouts (red warning, suspension or revocation) and an inspector reinstating them (a
 * passed re-test). Each shopper draws from its own generator (seed, shopper number), so the choices
 * repeat for a seed; the interleaving with the faults depends on timing.
 */
import { DEMO_USERS, signToken, type AuthUser } from '@techan/common';
import { pick, seeded, type Random } from './prng';
import type { BlockWindow } from './rules';

const demoProductId = (key: string) => `p_demo${key.replace(/[^a-z0-9]/g, '')}`;
const demoSkuId = (key: string, code: string) => `s_demo${key.replace(/[^a-z0-9]/g, '')}${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
const item = (key: string, code: string) => ({ productId: demoProductId(key), skuId: demoSkuId(key, code) });

/** Products only shoppers touch; the scarce one (80 units) is where overselling would show. */
export const SCARCE = item('goose-whole', 'W40');
export const PLENTY = [item('goose-braised', '500'), item('goose-roll', 'GIFT'), item('goose-gizzard', '500')];
/** Products the certifier blocks and the inspector reinstates during the run (shoppers buy them too). */
export const CONTESTED = [item('goose-feet', '500'), item('goose-wings', '1000'), item('goose-liver', '250'), item('goose-pate', '120'), item('tea-black', '250')];
export const ALL_ITEMS = [SCARCE, ...PLENTY, ...CONTESTED];

const ADDRESS = { text: '广东省江门市开平市长沙街道幕沙路 1 号', lat: 22.376, lng: 112.698 };
const GOOD_CARD = '4242424242424242';
const DECLINED_CARD = '4000000000000002';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Urls {
  catalog: string;
  orders: string;
  certification: string;
}

export interface Tally {
  paid: number;
  declined: number;
  cancelledByShopper: number;
  refused: number;
  /** Checkouts that did not end within their bound (a fault in the way); the audit decides if anything was lost. */
  unfinished: number;
  /** Requests that failed at the network level or with a 5xx while parts were down. */
  errors: number;
  checkoutMs: number[];
  pageMs: number[];
  pages: number;
  blockMs: number[];
  certifierActions: Record<string, number>;
}

export const newTally = (): Tally => ({ paid: 0, declined: 0, cancelledByShopper: 0, refused: 0, unfinished: 0, errors: 0, checkoutMs: [], pageMs: [], pages: 0, blockMs: [], certifierActions: {} });

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export class Workload {
  readonly tally = newTally();
  readonly blocks: BlockWindow[] = [];
  constructor(
    private readonly urls: Urls,
    private readonly secret: string,
    private readonly http: Fetch,
    private readonly seed: number,
  ) {}

  private token(user: AuthUser) {
    return signToken(this.secret, user);
  }

  /** JSON call; a network failure or 5xx is counted and returned as status 0 / the status. */
  async call(base: string, user: AuthUser | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }> {
    try {
      const res = await this.http(base + path, {
        method,
        headers: { ...(user ? { authorization: `Bearer ${this.token(user)}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const parsed = (await res.json().catch(() => ({}))) as Record<string, any>;
      if (res.status >= 500) this.tally.errors++;
      return { status: res.status, body: parsed };
    } catch {
      this.tally.errors++;
      return { status: 0, body: {} };
    }
  }

  /** Until orders' projection sells every product (it learns them from catalog's events). */
  async waitSellable(deadline: number): Promise<void> {
    for (const p of ALL_ITEMS) {
      for (let i = 0; ; i++) {
        const r = await this.call(this.urls.orders, { ...DEMO_USERS['shopper'], userId: `u-chaos-ready-${p.skuId}-${i}` }, 'POST', '/cart/lines', { ...p, quantity: 1 });
        if (r.status === 201) break;
        if (Date.now() > deadline) throw new Error(`orders never learnt of ${p.productId}: ${r.status} ${JSON.stringify(r.body)}`);
        await sleep(250);
      }
    }
  }

  /** Shops until `end()` (the end can move later while faults are still running). */
  async shopper(n: number, end: () => number): Promise<void> {
    const random = seeded(this.seed * 7919 + n);
    for (let k = 0; Date.now() < end(); k++) {
      await this.browse(random);
      await this.checkout(random, { ...DEMO_USERS['shopper'], userId: `u-chaos-${this.seed}-${n}-${k}` }, end());
    }
  }

  private async browse(random: Random) {
    const paths = ['/catalog/halls', '/catalog/categories', `/catalog/search?q=${encodeURIComponent(pick(random, ['鹅', '茶', '米']))}`, `/catalog/products/${pick(random, ALL_ITEMS).productId}`];
    for (const path of paths.slice(0, 1 + Math.floor(random() * paths.length))) {
      const t0 = Date.now();
      const r = await this.call(this.urls.catalog, undefined, 'GET', path);
      if (r.status === 200) {
        this.tally.pages++;
        this.tally.pageMs.push(Date.now() - t0);
      }
    }
  }

  private async checkout(random: Random, user: AuthUser, end: number) {
    const t0 = Date.now();
    const lines = [{ ...pick(random, PLENTY), quantity: 1 + Math.floor(random() * 2) }];
    const roll = random();
    if (roll < 0.35) lines.push({ ...SCARCE, quantity: 1 + Math.floor(random() * 3) });
    else if (roll < 0.7) lines.push({ ...pick(random, CONTESTED), quantity: 1 });
    const declineFirst = random() < 0.2;
    const cancelAfterDecline = random() < 0.5;
    for (const l of lines) {
      const r = await this.call(this.urls.orders, user, 'POST', '/cart/lines', l);
      if (r.status !== 201) {
        this.tally.refused++;
        return;
      }
    }
    const placed = await this.call(this.urls.orders, user, 'POST', '/checkout', { paymentMethod: 'card', address: ADDRESS });
    if (placed.status !== 202) {
      this.tally.refused++;
      return;
    }
    const orderId = placed.body['orderId'] as string;
    // Bounded: a checkout stuck behind a fault is left to the sweepers; the audit checks it ended.
    const bound = Math.max(end, Date.now()) + 60_000;
    const order = async () => (await this.call(this.urls.orders, user, 'GET', `/orders/${orderId}`)).body;
    let o: Record<string, any> = placed.body;
    while (!o['payment']?.url && !['cancelled', 'refunded'].includes(o['status']) && Date.now() < bound) {
      await sleep(200);
      o = { ...o, ...(await order()) };
    }
    if (!o['payment']?.url) {
      if (['cancelled', 'refunded'].includes(o['status'])) this.tally.refused++;
      else this.tally.unfinished++;
      return;
    }
    const pay = (card: string) =>
      this.http(o['payment'].url, { method: 'POST', body: new URLSearchParams({ method: 'card', card }), redirect: 'manual', signal: AbortSignal.timeout(15_000) }).then(
        (r) => r.status,
        () => 0,
      );
    if (declineFirst) {
      this.tally.declined++;
      await pay(DECLINED_CARD);
      if (cancelAfterDecline) {
        const c = await this.call(this.urls.orders, user, 'POST', `/orders/${orderId}/cancel`);
        if (c.status === 200) this.tally.cancelledByShopper++;
        return;
      }
    }
    await pay(GOOD_CARD);
    while (!['paid', 'cancelled', 'refunded', 'shipping', 'delivered', 'held'].includes(o['status']) && Date.now() < bound) {
      await sleep(200);
      o = { ...o, ...(await order()) };
    }
    if (o['status'] === 'paid' || o['status'] === 'shipping' || o['status'] === 'delivered') {
      this.tally.paid++;
      this.tally.checkoutMs.push(Date.now() - t0);
    } else if (['cancelled', 'refunded', 'held'].includes(o['status'])) this.tally.refused++;
    else this.tally.unfinished++;
  }

  /**
   * One block after another over the contested products, seeded: red warning (product), suspension
   * or revocation (each live certificate); the clock runs from the certifier's reply to orders'
   * first refusal of the product. Then, unless revoked, a passed re-test reinstates it.
   */
  async certifier(start: number, end: number): Promise<void> {
    const random = seeded(this.seed * 104729 + 1);
    const certifier = DEMO_USERS['certifier'];
    const inspector = DEMO_USERS['inspector'];
    const pool = [...CONTESTED];
    const gap = (end - start) / (pool.length + 1);
    for (let i = 0; pool.length && Date.now() < end; i++) {
      await sleep(Math.max(0, start + (i + 0.5) * gap + random() * gap * 0.3 - Date.now()));
      if (Date.now() >= end) break;
      const p = pool.splice(Math.floor(random() * pool.length), 1)[0];
      const action = pick(random, ['red', 'red', 'suspend', 'revoke'] as const);
      const certs = await this.call(this.urls.certification, certifier, 'GET', `/certificates?productId=${p.productId}`);
      const live = (Array.isArray(certs.body) ? certs.body : ((certs.body as { items?: unknown[] })['items'] ?? [])) as { id: string; status: string }[];
      const ids = live.filter((c) => !['revoked', 'expired'].includes(c.status)).map((c) => c.id);
      let replied = false;
      let refusal = '';
      if (action === 'red') {
        const r = await this.call(this.urls.certification, certifier, 'POST', `/products/${p.productId}/warnings/red`, { reason: '混沌测试：抽检发现质量风险' });
        replied = r.status === 200;
        refusal = `${r.status} ${r.body['code'] ?? r.body['error'] ?? ''}`;
      } else {
        for (const id of ids) {
          const r = await this.call(this.urls.certification, certifier, 'POST', `/certificates/${id}/${action === 'suspend' ? 'suspension' : 'revocation'}`, { reason: '混沌测试：证书状态变更' });
          if (r.status === 200) replied = true;
          else refusal = `${r.status} ${r.body['code'] ?? r.body['error'] ?? ''}`;
        }
      }
      this.count(replied ? action : `${action} refused (${refusal.trim() || 'no live certificate'})`);
      if (!replied) continue;
      const window: BlockWindow = { productId: p.productId, from: Date.now() };
      this.blocks.push(window);
      for (let k = 0; Date.now() - window.from < 60_000; k++) {
        const r = await this.call(this.urls.orders, { ...DEMO_USERS['shopper'], userId: `u-chaos-probe-${i}-${k}` }, 'POST', '/cart/lines', { ...p, quantity: 1 });
        if (r.status === 409) {
          this.tally.blockMs.push(Date.now() - window.from);
          break;
        }
        await sleep(50);
      }
      if (action === 'revoke') continue;
      await sleep(gap * 0.4);
      let reinstated = false;
      let retestRefusal = '';
      for (const id of ids) {
        const r = await this.call(this.urls.certification, inspector, 'POST', `/certificates/${id}/retests`, { passed: true, findings: '混沌测试：复检合格' });
        if (r.status === 200) reinstated = true;
        else retestRefusal = `${r.status} ${r.body['code'] ?? r.body['error'] ?? ''}`;
      }
      this.count(reinstated ? 'reinstate' : `reinstate refused (${retestRefusal.trim()})`);
      // The block ends when the reinstatement is on record (the sale resumes after its event arrives).
      if (reinstated) window.until = Date.now();
    }
  }

  private count(what: string) {
    this.tally.certifierActions[what] = (this.tally.certifierActions[what] ?? 0) + 1;
  }
}
