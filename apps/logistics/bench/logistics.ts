/**
 * Logistics benchmark (figures for issue 13):
 *  1. excursion detection alone: readings/s through the streaming detector on one core;
 *  2. telemetry over HTTP: readings/s ingested (stored + detected) in batches of 500, and the time from
 *     posting the reading that completes an excursion's duration to the excursion being listed (p50/p99);
 *  3. planning a realistic day: 300 stops (frozen, chilled, ambient and hot meals with a 4 h ride limit),
 *     25 mixed vehicles, a 30 s job: time to the first feasible plan, cost at the end, and the console
 *     API's p99 while the job runs (next to the same calls with no job running);
 *  4. recall: from the red-warning event to every undelivered item of the product held (p50/p99).
 *
 *   nice -n 10 npx tsx --tsconfig apps/logistics/tsconfig.tsx.json apps/logistics/bench/logistics.ts [--plan-seconds 30] [--recalls 20]
 *
 * Build the service first (`npx nx build logistics`): the bench runs dist/apps/logistics/main.js, the
 * production bundle (its solver in a worker thread), against a MongoDB stand-in process (unless
 * MONGO_URL) and a throw-away redis-server (unless REDIS_URL); load and events come from this process
 * (HTTP with an operator token, events on the Kafka bus). Children are stopped by PID at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createEvent, EVENT_TYPES, KafkaEventClient, signToken, type AuthUser, type DeliveryRequestedV1, type TemperatureClass } from '@techan/common';
import { busOptionsFrom } from '@techan/common/testing';
import { freePort, localBusEnv, startLocalKafka, startRedis, waitHealthy, type RunningRedis } from '@techan/local-stack';
import { lastValueFrom } from 'rxjs';
import { defaultPolicy, detect, initialDetectorState, type Reading } from '../src/domain';

const ROOT = join(__dirname, '../../..');
const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const PLAN_SECONDS = arg('plan-seconds', 30);
const RECALLS = arg('recalls', 20);
const INGEST_SECONDS = arg('ingest-seconds', 10);
/** --only recall (or telemetry, planning): run one part, e.g. when the machine is too busy for all. */
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const runs = (part: string) => !ONLY || ONLY === part;
const operator: AuthUser = { userId: 'u-operator-1', roles: ['operator'], merchantIds: [], buyerOrgIds: [] };
const children: ChildProcess[] = [];
let redis: RunningRedis | undefined;
let kafka: Awaited<ReturnType<typeof startLocalKafka>> | undefined;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function startStandin(): Promise<string> {
  if (process.env['MONGO_URL']) return process.env['MONGO_URL'];
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'libs/mongo-standin/src/cli.ts'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'apps/logistics/tsconfig.tsx.json') },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (b: Buffer) => {
      const m = /listening (\S+)/.exec(b.toString());
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited ${code}`)));
  });
}

function benchDetector(): void {
  const policy = defaultPolicy('frozen');
  const t0 = Date.parse('2026-12-01T00:00:00Z');
  const n = 2_000_000;
  let state = initialDetectorState();
  let signals = 0;
  const batch: Reading[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    // 30 s sampling, a door opening every ~2 h and a long warm spell every ~8 h
    const minute = i / 2;
    const warm = minute % 480 > 460 ? 6 : minute % 120 < 1 ? 4 : 0;
    batch.push({ at: t0 + i * 30_000, c: -19.5 + Math.sin(i / 7) * 0.6 + warm });
    if (batch.length === 500) {
      const r = detect(policy, state, batch);
      state = r.state;
      signals += r.signals.length;
      batch.length = 0;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`detector alone: ${Math.round(n / seconds).toLocaleString('en')} readings/s on one core (${n.toLocaleString('en')} readings, ${signals} excursion signals)`);
}

async function main(): Promise<void> {
  console.log(`logistics benchmark — machine shared with other sessions (load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  if (runs('telemetry')) benchDetector();

  const mongoUrl = await startStandin();
  redis = process.env['REDIS_URL'] ? undefined : await startRedis();
  const redisUrl = process.env['REDIS_URL'] ?? (redis as RunningRedis).url;
  kafka = await startLocalKafka();
  const port = await freePort();
  const env = {
    ...process.env,
    MONGO_URL: mongoUrl,
    MONGO_DB: `bench-logistics-${Date.now().toString(36)}`,
    REDIS_URL: redisUrl,
    JWT_SECRET: 'bench-only-secret-0123456789abcdef0123456789',
    PORT: String(port),
    HOST: '127.0.0.1',
    EVENT_PREFIX: `bench${Date.now().toString(36)}`,
    KAFKA_PARTITIONS: '4',
    ...localBusEnv(kafka.brokers, 'logistics'),
    LOG_LEVEL: 'error',
    EXCURSION_FROZEN_MINUTES: '1',
  };
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/logistics/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, { child, timeoutMs: 120_000 });
  // The bus admin stands in for orders and certification (their events, with their names as source).
  const client = new KafkaEventClient({ ...busOptionsFrom(localBusEnv(kafka.brokers, 'admin'), env.EVENT_PREFIX, 'bench'), partitions: 4 });
  await client.connect();
  const token = signToken(env.JWT_SECRET, operator);
  const svc: Svc = {
    client,
    request: (path, init = {}) =>
      fetch(url + path, {
        method: init.body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
    stop: async () => {
      await client.close();
    },
  };
  try {
    await setup(svc);
    if (runs('telemetry')) await benchTelemetry(svc);
    if (runs('planning')) await benchPlanning(svc);
    if (runs('recall')) await benchRecall(svc);
  } finally {
    await svc.stop();
  }
}

interface Svc {
  client: KafkaEventClient;
  request(path: string, init?: { user?: AuthUser; body?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

const DEPOT = { id: 'kaiping-dc', lat: 22.4075, lng: 112.6231 };
const DATE = '2026-12-02';

async function post(svc: Svc, path: string, body: unknown, status = 201) {
  const res = await svc.request(path, { user: operator, body });
  if (res.status !== status) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

async function setup(svc: Svc): Promise<void> {
  await post(svc, '/depots', { id: DEPOT.id, nameZh: '开平市县级配送中心', kind: 'county_dc', address: '开平市翠山湖新区冷链物流园', lat: DEPOT.lat, lng: DEPOT.lng, opensAt: '05:30', closesAt: '21:00', staffUserIds: [] });
  // 25 mixed vehicles: 8 frozen+chilled, 7 three-zone, 4 chilled+ambient, 6 hot boxes for the canteens.
  const kinds: [number, { temperatureClass: TemperatureClass; capacityKg: number }[], number][] = [
    [8, [{ temperatureClass: 'frozen', capacityKg: 500 }, { temperatureClass: 'chilled', capacityKg: 700 }], 42_000],
    [7, [{ temperatureClass: 'frozen', capacityKg: 250 }, { temperatureClass: 'chilled', capacityKg: 350 }, { temperatureClass: 'ambient', capacityKg: 600 }], 38_000],
    [4, [{ temperatureClass: 'chilled', capacityKg: 400 }, { temperatureClass: 'ambient', capacityKg: 1000 }], 30_000],
    [6, [{ temperatureClass: 'hot', capacityKg: 300 }], 26_000],
  ];
  let n = 0;
  for (const [count, compartments, fixedCostFen] of kinds) {
    for (let i = 0; i < count; i++, n++) {
      await post(svc, `/depots/${DEPOT.id}/vehicles`, {
        id: `v-${n}`,
        plate: `粤J·B${String(n).padStart(4, '0')}`,
        compartments: compartments.map((c) => ({ ...c, deviceId: `dev-${n}-${c.temperatureClass}` })),
        fixedCostFen,
        perKmCostFen: 300,
      });
    }
  }
}

async function benchTelemetry(svc: Svc): Promise<void> {
  // vehicles 0-14 have a frozen compartment
  const devices = Array.from({ length: 15 }, (_, i) => `dev-${i}-frozen`);
  const base = Date.now() - 3 * 86_400_000;
  let t = 0;
  let sent = 0;
  const start = performance.now();
  const latencies: number[] = [];
  while (performance.now() - start < INGEST_SECONDS * 1000) {
    const readings = [];
    for (let k = 0; k < 500; k++) {
      const d = devices[k % devices.length];
      readings.push({ deviceId: d, at: base + t * 1000 + (k % devices.length), c: -19 + Math.sin(t + k) * 0.5 });
      if (k % devices.length === devices.length - 1) t++;
    }
    const t0 = performance.now();
    const res = await svc.request('/telemetry/readings', { user: operator, body: { readings } });
    latencies.push(performance.now() - t0);
    const report = (await res.json()) as { accepted: number; refused: unknown[] };
    if (res.status !== 200 || report.refused.length > 0) throw new Error(`ingest HTTP ${res.status}: ${JSON.stringify(report).slice(0, 300)}`);
    sent += readings.length;
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`telemetry over HTTP: ${Math.round(sent / seconds).toLocaleString('en')} readings/s stored + detected (${sent} readings, batches of 500, batch p99 ${ms(pct(latencies, 99))})`);

  // Excursion visibility: each trial opens a run on a fresh minute, then sends the reading that completes it.
  const vis: number[] = [];
  let clock = base + (t + 10) * 1000;
  for (let trial = 0; trial < 30; trial++) {
    const device = devices[trial % devices.length];
    clock += 10 * 60_000;
    await post(svc, '/telemetry/readings', { readings: [{ deviceId: device, at: clock, c: -19 }, { deviceId: device, at: clock + 1000, c: -12 }] }, 200);
    const t0 = performance.now();
    const r = (await post(svc, '/telemetry/readings', { readings: [{ deviceId: device, at: clock + 62_000, c: -11 }] }, 200)) as { excursionsRaised: string[] };
    const id = r.excursionsRaised[0];
    for (;;) {
      const list = (await (await svc.request(`/excursions?status=ongoing&limit=500`, { user: operator })).json()) as { items: { _id: string }[] };
      if (list.items.some((e) => e._id === id)) break;
    }
    vis.push(performance.now() - t0);
    await post(svc, '/telemetry/readings', { readings: [{ deviceId: device, at: clock + 63_000, c: -19.5 }] }, 200);
    clock += 63_000;
  }
  console.log(`threshold crossed for its duration → excursion visible: p50 ${ms(pct(vis, 50))}, p99 ${ms(pct(vis, 99))} (${vis.length} trials)`);
}

const HOT_STOPS = 36;

const PRODUCTS: { id: string; nameZh: string; cls: TemperatureClass; grams: number }[] = [
  { id: 'p-magang-goose', nameZh: '马冈鹅（冷冻整鹅）', cls: 'frozen', grams: 3000 },
  { id: 'p-kaiping-fish', nameZh: '开平鲩鱼片', cls: 'frozen', grams: 1000 },
  { id: 'p-dasha-egg', nameZh: '大沙鲜鸡蛋', cls: 'chilled', grams: 1500 },
  { id: 'p-chishui-pork', nameZh: '赤水黑猪肉（冷鲜）', cls: 'chilled', grams: 2000 },
  { id: 'p-simiao-rice', nameZh: '开平丝苗米', cls: 'ambient', grams: 5000 },
  { id: 'p-dasha-tea', nameZh: '大沙茶', cls: 'ambient', grams: 500 },
];

function rand(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function benchPlanning(svc: Svc): Promise<string> {
  const r = rand(7);
  const client = svc.client;
  const requests: DeliveryRequestedV1[] = [];
  // A fair day for this fleet: 36 hot-meal stops (canteens) for the 6 hot boxes of 300 kg (30-70 portions
  // of 450 g each, ~810 kg of meals in all), two-hour lunch windows from 10:30; the other 264 stops spread
  // over the day. (The first version sent 60 canteens of up to 120 portions in one-hour windows: more
  // meals than the hot fleet can carry, so no plan could serve them all.)
  for (let i = 0; i < 300; i++) {
    const hot = i < HOT_STOPS;
    const lat = 22.2 + r() * 0.4;
    const lng = 112.42 + r() * 0.4;
    const from = hot ? 2 * 60 + 30 + Math.floor(r() * 5) * 15 : Math.floor(r() * 8) * 60; // UTC minutes: hot from 10:30-11:30 China time
    const lines = hot
      ? [{ lineId: `o${i}:meal`, productId: 'p-youcan-lunch', skuId: 'sku-lunch', nameZh: '优餐午餐', quantity: 30 + Math.floor(r() * 41), temperatureClass: 'hot' as const, weightGrams: 0 }]
      : PRODUCTS.filter(() => r() < 0.45).map((p) => ({ lineId: `o${i}:${p.id}`, productId: p.id, skuId: `${p.id}-sku`, nameZh: p.nameZh, quantity: 1 + Math.floor(r() * 6), temperatureClass: p.cls, weightGrams: 0 }));
    if (lines.length === 0) lines.push({ lineId: `o${i}:rice`, productId: 'p-simiao-rice', skuId: 'p-simiao-rice-sku', nameZh: '开平丝苗米', quantity: 2, temperatureClass: 'ambient', weightGrams: 0 });
    for (const l of lines) l.weightGrams = hot ? l.quantity * 450 : l.quantity * (PRODUCTS.find((p) => p.id === l.productId)?.grams ?? 1000);
    const start = Date.parse(`${DATE}T00:00:00Z`) + from * 60_000;
    requests.push({
      requestId: `bench-${i}`,
      orderId: `bench-order-${i}`,
      channel: hot ? 'hot_meal' : i % 3 === 0 ? 'contract' : 'retail',
      buyerId: `buyer-${i}`,
      address: { text: `开平市 ${i} 号`, lat, lng },
      window: { from: new Date(start).toISOString(), until: new Date(start + (hot ? 120 : 180) * 60_000).toISOString() },
      lines,
      ...(hot ? { cookedAt: new Date(start - 60 * 60_000).toISOString(), maxRideMinutes: 240 } : {}),
      requestedAt: new Date().toISOString(),
    });
  }
  const t0 = performance.now();
  for (const q of requests) await lastValueFrom(client.emit(EVENT_TYPES.DeliveryRequested, createEvent(EVENT_TYPES.DeliveryRequested, q.requestId, q, { source: 'orders' })));
  for (;;) {
    const body = (await (await svc.request(`/depots/${DEPOT.id}/shipments?date=${DATE}&limit=1`, { user: operator })).json()) as { total: number };
    if (body.total === 300) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  console.log(`300 delivery requests consumed from the bus in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Console calls with no job running, then while the 30 s job runs.
  const consoleCalls = async (untilDone: () => boolean, planId?: string) => {
    const lat: number[] = [];
    const paths = [`/depots/${DEPOT.id}/shipments?date=${DATE}&limit=50`, `/depots/${DEPOT.id}/temperatures`, ...(planId ? [`/plans/${planId}`] : [`/holds?status=held`])];
    let i = 0;
    while (!untilDone()) {
      const t = performance.now();
      const res = await svc.request(paths[i++ % paths.length], { user: operator });
      await res.arrayBuffer();
      lat.push(performance.now() - t);
    }
    return lat;
  };
  const idleUntil = performance.now() + 5000;
  const idle = await consoleCalls(() => performance.now() > idleUntil);
  const plan = (await post(svc, `/depots/${DEPOT.id}/plans`, { date: DATE, timeLimitSeconds: PLAN_SECONDS })) as { id: string };
  let final: Record<string, unknown> = {};
  let done = false;
  const watcher = (async () => {
    for (;;) {
      final = (await (await svc.request(`/plans/${plan.id}`, { user: operator })).json()) as Record<string, unknown>;
      if (['done', 'failed', 'cancelled'].includes(String(final['status']))) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    done = true;
  })();
  const busy = await consoleCalls(() => done, plan.id);
  await watcher;
  const routes = (final['routes'] as unknown[] | undefined)?.length ?? 0;
  const unserved = (final['unserved'] as { reason: string }[] | undefined) ?? [];
  const progress = (final['progress'] as { elapsedMs: number; bestCost: number | null }[]) ?? [];
  console.log(
    `plan 300 stops (${HOT_STOPS} hot meals, 4 h ride limit) × 25 vehicles, ${PLAN_SECONDS} s job: status ${String(final['status'])}, first feasible after ${final['firstFeasibleMs'] ?? '—'} ms, ` +
      `cost ${final['cost']} (distance ${final['distanceKm']} km, ${routes} routes), ${unserved.length} unserved ${JSON.stringify(unserved.reduce<Record<string, number>>((a, u) => ({ ...a, [u.reason]: (a[u.reason] ?? 0) + 1 }), {}))}, ${progress.length} progress points`,
  );
  console.log(`console API while idle: p50 ${ms(pct(idle, 50))}, p99 ${ms(pct(idle, 99))} (${idle.length} calls); while planning: p50 ${ms(pct(busy, 50))}, p99 ${ms(pct(busy, 99))} (${busy.length} calls)`);
  await post(svc, `/plans/${plan.id}/publish`, {});
  return plan.id;
}

async function benchRecall(svc: Svc): Promise<void> {
  const client = svc.client;
  const lat: number[] = [];
  let version = 0;
  const withdrawn = new Set<string>();
  for (let trial = 0; trial < RECALLS; trial++) {
    // Each trial recalls a product on fresh shipments: 15 new requests carrying it.
    const productId = `p-recall-${trial}`;
    for (let k = 0; k < 15; k++) {
      const q: DeliveryRequestedV1 = {
        requestId: `recall-${trial}-${k}`,
        orderId: `recall-order-${trial}-${k}`,
        channel: 'retail',
        buyerId: 'buyer',
        address: { text: '开平市', lat: 22.38, lng: 112.69 },
        window: { from: `${DATE}T02:00:00Z`, until: `${DATE}T06:00:00Z` },
        lines: [{ lineId: `l-${trial}-${k}`, productId, skuId: 'sku', nameZh: '马冈鹅', quantity: 1, temperatureClass: 'frozen', weightGrams: 3000 }],
        requestedAt: new Date().toISOString(),
      };
      await lastValueFrom(client.emit(EVENT_TYPES.DeliveryRequested, createEvent(EVENT_TYPES.DeliveryRequested, q.requestId, q, { source: 'orders' })));
    }
    const expected = (trial + 1) * 15;
    for (;;) {
      const body = (await (await svc.request(`/depots/${DEPOT.id}/shipments?date=${DATE}&limit=1`, { user: operator })).json()) as { total: number };
      if (body.total === (runs('planning') ? 300 : 0) + expected) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    withdrawn.add(productId);
    const event = createEvent(EVENT_TYPES.ProductStatusChanged, productId, {
      productId,
      merchantId: 'm-magang-goose',
      version: ++version,
      purchasable: false,
      reason: '抽检不合格',
      changedAt: new Date().toISOString(),
      certificates: [{ certificateId: `c-${trial}`, mark: 'otop', level: 3, status: 'red_warning', colour: 'red', validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-06-01T00:00:00Z' }],
    }, { source: 'certification' });
    const t0 = performance.now();
    await lastValueFrom(client.emit(event.type, event));
    for (;;) {
      const body = (await (await svc.request(`/holds?cause=recall&limit=1`, { user: operator })).json()) as { total: number };
      if (body.total === expected) break;
      await new Promise((res) => setTimeout(res, 5));
    }
    lat.push(performance.now() - t0);
  }
  console.log(`recall (red warning → all 15 undelivered items of the product held): p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))} (${lat.length} recalls)`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    // The service first (it still talks to Redis and MongoDB while it shuts down), then the stores.
    const alive = children.filter((c) => c.pid && c.exitCode === null);
    for (const c of alive.reverse()) {
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
    await redis?.stop().catch(() => undefined);
    await kafka?.stop().catch(() => undefined);
  });
