/**
 * The seeded workload: shoppers browsing the public catalogue and checking out with test cards (some
 * declined: then they cancel or pay again with a good card), and a certifier blocking products in the
 * middle of checkouts (red warning, suspension or revocation) and an inspector reinstating them (a
 * passed re-test), a dispatcher planning, dispatching and delivering with telemetry excursions and QA
 * decisions, and an institutional buyer setting call-off quantities. Each actor draws from its own
 * generator (seed, actor), so the choices repeat for a seed; the interleaving with the faults depends
 * on timing.
 */
import { DEMO_USERS, signToken, type AuthUser } from '@techan/common';
import { loadKaipingFleet } from '../../apps/logistics/src/app/demo/kaiping-fleet';
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
  /** Absent: the dispatcher actor does not run (no logistics to drive). */
  logistics?: string;
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
  /** The dispatcher actor's steps (plans, dispatched routes, excursions, QA decisions, deliveries) and refusals. */
  logisticsActions: Record<string, number>;
  /** The institutional buyer's steps. */
  callOffActions: Record<string, number>;
}

export const newTally = (): Tally => ({ paid: 0, declined: 0, cancelledByShopper: 0, refused: 0, unfinished: 0, errors: 0, checkoutMs: [], pageMs: [], pages: 0, blockMs: [], certifierActions: {}, logisticsActions: {}, callOffActions: {} });

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export class Workload {
  readonly tally = newTally();
  readonly blocks: BlockWindow[] = [];
  /** The last reading time the dispatcher posted per logger (a detector does not go back in time). */
  private readonly lastReadingAt = new Map<string, number>();
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

  /** Loads logistics' 开平 demo depots, drivers and fleet through its API as the operator (409 = there already). */
  async loadFleet(deadline: number): Promise<void> {
    const base = this.urls.logistics;
    if (!base) return;
    for (;;) {
      try {
        await loadKaipingFleet(async (path, body) => (await this.call(base, DEMO_USERS['operator'], 'POST', path, body)).status);
        return;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`loading logistics' demo fleet failed: ${e instanceof Error ? e.message : String(e)}`);
        await sleep(500);
      }
    }
  }

  /**
   * The dispatcher (who also drives and does QA, as the demo dispatcher is staff of every depot): a few
   * rounds over the run, each planning tomorrow's pending shipments of every depot, publishing the
   * plan and dispatching its routes; then the vehicles' loggers report (one seeded compartment per
   * round out of range for longer than its excursion duration, then back in range: an excursion that
   * holds the lines on board), QA releases or rejects every excursion hold (seeded), and the drivers
   * deliver what may be handed over (rejected lines refused at the door).
   */
  async dispatcher(start: number, end: number): Promise<void> {
    const base = this.urls.logistics;
    if (!base) return;
    const random = seeded(this.seed * 15485863 + 3);
    const rounds = 3;
    for (let i = 0; i < rounds; i++) {
      await sleep(Math.max(0, start + ((i + 1) / (rounds + 1)) * (end - start) - Date.now()));
      await this.dispatchRound(base, random);
    }
  }

  /** After the load: QA decides any excursion hold still open (a decision refused during a fault). */
  async qaSweep(deadline: number): Promise<void> {
    const base = this.urls.logistics;
    if (!base) return;
    const random = seeded(this.seed * 15485863 + 5);
    while (Date.now() < deadline) {
      const held = await this.call(base, DEMO_USERS['dispatcher'], 'GET', '/holds?status=held&cause=excursion&limit=500');
      if (held.status === 200 && !this.items(held.body).length) return;
      if (held.status === 200) await this.decideHolds(base, random);
      await sleep(1_000);
    }
  }

  private items(body: Record<string, any>): any[] {
    return Array.isArray(body) ? body : ((body['items'] as any[] | undefined) ?? []);
  }

  private logi(what: string, n = 1) {
    this.tally.logisticsActions[what] = (this.tally.logisticsActions[what] ?? 0) + n;
  }

  private async dispatchRound(base: string, random: Random) {
    const dispatcher = DEMO_USERS['dispatcher'];
    // Retail orders ask for tomorrow 09:00–18:00 China time (orders' default window).
    const date = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const depots = this.items((await this.call(base, dispatcher, 'GET', '/depots')).body) as { id: string }[];
    const dispatched: { vehicleId: string; depotId: string; shipmentIds: string[] }[] = [];
    for (const depot of depots) {
      const pending = await this.call(base, dispatcher, 'GET', `/depots/${depot.id}/shipments?date=${date}&status=pending&limit=500`);
      if (pending.status !== 200 || !this.items(pending.body).length) continue;
      const plan = await this.call(base, dispatcher, 'POST', `/depots/${depot.id}/plans`, { date, timeLimitSeconds: 2 });
      if (plan.status !== 201 && plan.status !== 202) {
        this.logi(`plan refused (${plan.status} ${plan.body['code'] ?? ''})`);
        continue;
      }
      const planId = plan.body['id'] as string;
      let p: Record<string, any> = plan.body;
      for (const bound = Date.now() + 60_000; !['done', 'failed', 'cancelled'].includes(p['status']) && Date.now() < bound; ) {
        await sleep(500);
        const r = await this.call(base, dispatcher, 'GET', `/plans/${planId}`);
        if (r.status === 200) p = r.body;
      }
      if (p['status'] !== 'done') {
        this.logi(`plan not done (${p['status']})`);
        continue;
      }
      this.logi('plan');
      const published = await this.call(base, dispatcher, 'POST', `/plans/${planId}/publish`);
      if (published.status !== 200 && published.status !== 201) {
        this.logi(`publish refused (${published.status} ${published.body['code'] ?? ''})`);
        continue;
      }
      for (const route of (p['routes'] ?? []) as { vehicleId: string; stops: { shipmentId: string }[] }[]) {
        const r = await this.call(base, dispatcher, 'POST', `/plans/${planId}/routes/${route.vehicleId}/dispatch`);
        if (r.status === 200 || r.status === 201) {
          this.logi('route dispatched');
          dispatched.push({ vehicleId: route.vehicleId, depotId: depot.id, shipmentIds: route.stops.map((s) => s.shipmentId) });
        } else this.logi(`dispatch refused (${r.status} ${r.body['code'] ?? ''})`);
      }
    }
    // Telemetry: every dispatched compartment reports; one seeded compartment (of a class on board) goes out of range.
    const excursionAt = dispatched.length ? Math.floor(random() * dispatched.length) : -1;
    for (const [k, trip] of dispatched.entries()) {
      const vehicles = this.items((await this.call(base, dispatcher, 'GET', `/depots/${trip.depotId}/vehicles`)).body) as { _id?: string; id?: string; compartments: { temperatureClass: string; deviceId: string }[] }[];
      const vehicle = vehicles.find((v) => (v._id ?? v.id) === trip.vehicleId);
      if (!vehicle) continue;
      const onBoard = new Set<string>();
      for (const id of trip.shipmentIds) for (const l of ((await this.call(base, dispatcher, 'GET', `/shipments/${id}`)).body['lines'] ?? []) as { temperatureClass: string }[]) onBoard.add(l.temperatureClass);
      const hotCompartments = vehicle.compartments.filter((c) => onBoard.has(c.temperatureClass) && c.temperatureClass !== 'ambient');
      // A logger that reported already has its detector past those times: an excursion needs a fresh one.
      const fresh = hotCompartments.filter((c) => !this.lastReadingAt.has(c.deviceId));
      const bad = k === excursionAt && fresh.length ? pick(random, fresh).deviceId : undefined;
      if (k === excursionAt && !bad) this.logi('no fresh logger for an excursion');
      const readings = vehicle.compartments.flatMap((c) => this.readings(c.deviceId, c.temperatureClass, c.deviceId === bad));
      const r = await this.call(base, dispatcher, 'POST', '/telemetry/readings', { readings });
      this.logi(r.status === 200 || r.status === 201 ? (bad ? 'telemetry with excursion' : 'telemetry in range') : `telemetry refused (${r.status})`);
    }
    await this.decideHolds(base, random);
    // Deliveries: lines QA rejected (or a recall rejected) are refused at the door, the rest accepted.
    for (const trip of dispatched) {
      for (const id of trip.shipmentIds) {
        const s = (await this.call(base, dispatcher, 'GET', `/shipments/${id}`)).body;
        if (s['status'] !== 'dispatched' && s['status'] !== 'arrived') continue;
        if (s['status'] === 'dispatched') await this.call(base, dispatcher, 'POST', `/shipments/${id}/arrive`);
        const lines = ((s['lines'] ?? []) as { lineId: string; quantity: number; holdStatus?: string }[]).map((l) =>
          l.holdStatus === 'rejected' ? { lineId: l.lineId, accepted: 0, rejected: l.quantity, short: 0, reason: '质检拒收/召回' } : { lineId: l.lineId, accepted: l.quantity, rejected: 0, short: 0 },
        );
        const d = await this.call(base, dispatcher, 'POST', `/shipments/${id}/deliver`, { receiverName: '混沌测试收货人', lines });
        this.logi(d.status === 200 || d.status === 201 ? 'delivered' : `delivery refused (${d.status} ${d.body['code'] ?? ''})`);
      }
    }
  }

  /**
   * Readings every 30 s over the last 13 minutes (or since the logger's last report); an excursion:
   * 11 minutes out of range, then back in range (it ends).
   */
  private readings(deviceId: string, temperatureClass: string, excursion: boolean) {
    const inRange: Record<string, number> = { frozen: -20, chilled: 2, ambient: 20, hot: 70 };
    const outOfRange: Record<string, number> = { frozen: -8, chilled: 9, ambient: 20, hot: 45 };
    const now = Date.now();
    const from = Math.max(now - 13 * 60_000, (this.lastReadingAt.get(deviceId) ?? 0) + 30_000);
    this.lastReadingAt.set(deviceId, now);
    const out = [];
    for (let t = from; t <= now; t += 30_000) {
      const bad = excursion && t < now - 60_000;
      out.push({ deviceId, at: new Date(t).toISOString(), c: bad ? outOfRange[temperatureClass] : inRange[temperatureClass] });
    }
    return out;
  }

  /** QA: every excursion hold released (the goods were fine) or rejected (seeded, 1 in 2). */
  private async decideHolds(base: string, random: Random) {
    const held = await this.call(base, DEMO_USERS['dispatcher'], 'GET', '/holds?status=held&cause=excursion&limit=500');
    for (const h of this.items(held.body) as { _id?: string; id?: string }[]) {
      const decision = random() < 0.5 ? 'release' : 'reject';
      const r = await this.call(base, DEMO_USERS['dispatcher'], 'POST', `/holds/${h._id ?? h.id}/decision`, { decision, reason: decision === 'release' ? '混沌测试：复测温度合格，放行' : '混沌测试：温度超限，拒收' });
      this.logi(r.status === 200 || r.status === 201 ? `QA ${decision}` : `QA refused (${r.status} ${r.body['code'] ?? ''})`);
    }
  }

  /**
   * The canteen of 开平市第一中学 (demo buyer u-buyer-1, orderer of org-kaiping-no1-middle-school):
   * the operator generates the call-offs of the first school day at least two days ahead (so its
   * cut-off, 16:00 the day before, has not passed whatever the time of day), then the buyer sets
   * seeded quantities within the contract's min/max on them a few times during the run, as the buyer
   * portal does. Cut-off is after the run: these call-offs reserve no stock here.
   */
  async institutionalBuyer(start: number, end: number): Promise<void> {
    const orgId = 'org-kaiping-no1-middle-school';
    const random = seeded(this.seed * 32452843 + 7);
    const buyer = DEMO_USERS['buyer'];
    let date = '';
    for (let d = 2; d < 9 && !date; d++) {
      const day = new Date(Date.now() + 8 * 3_600_000 + d * 86_400_000);
      if (day.getUTCDay() >= 1 && day.getUTCDay() <= 5) date = day.toISOString().slice(0, 10);
    }
    const generated = await this.call(this.urls.orders, DEMO_USERS['operator'], 'POST', '/institutional/call-offs/generate', { deliveryDate: date });
    this.callOff(generated.status === 202 ? 'generation queued' : `generation refused (${generated.status})`);
    let callOffs: { _id?: string; id?: string; contractId: string; lines: { lineId: string; quantity: number }[] }[] = [];
    for (const bound = Date.now() + 60_000; !callOffs.length && Date.now() < bound; await sleep(1_000)) {
      const r = await this.call(this.urls.orders, buyer, 'GET', `/institutional/call-offs?orgId=${orgId}&from=${date}&to=${date}&channel=contract&status=open`);
      if (r.status === 200) callOffs = this.items(r.body);
    }
    if (!callOffs.length) {
      this.callOff('no call-off generated within 60 s');
      return;
    }
    const amendments = 3;
    for (let i = 0; i < amendments; i++) {
      await sleep(Math.max(0, start + ((i + 0.7) / (amendments + 1)) * (end - start) - Date.now()));
      const co = pick(random, callOffs);
      const read = await this.call(this.urls.orders, buyer, 'GET', `/institutional/contracts/${co.contractId}`);
      if (read.status !== 200) {
        this.callOff(`contract not read (${read.status})`);
        continue;
      }
      const contract = read.body;
      const limits = new Map(((contract['lines'] ?? []) as { lineId: string; minQuantity: number; maxQuantity: number }[]).map((l) => [l.lineId, l]));
      const lines = co.lines
        .filter((l) => limits.has(l.lineId))
        .map((l) => {
          const { minQuantity, maxQuantity } = limits.get(l.lineId)!;
          return { lineId: l.lineId, quantity: minQuantity + Math.floor(random() * (maxQuantity - minQuantity + 1)) };
        });
      if (!lines.length) {
        this.callOff('no contract line to amend');
        continue;
      }
      const r = await this.call(this.urls.orders, buyer, 'PATCH', `/institutional/call-offs/${co._id ?? co.id}`, { lines });
      this.callOff(r.status === 200 ? 'call-off placed (quantities set)' : `call-off refused (${r.status} ${JSON.stringify(r.body['errors'] ?? r.body['code'] ?? r.body['message'] ?? '').slice(0, 120)})`);
    }
  }

  private callOff(what: string) {
    this.tally.callOffActions[what] = (this.tally.callOffActions[what] ?? 0) + 1;
  }

  private count(what: string) {
    this.tally.certifierActions[what] = (this.tally.certifierActions[what] ?? 0) + 1;
  }
}
