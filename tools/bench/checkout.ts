/**
 * Checkout under load, on the local stack and the Stripe stand-in (DESIGN §5 "Checkout", "Revocation-to-block").
 *
 * Starts redis-server, the MongoDB stand-in, the Stripe stand-in (in this process, delivering signed
 * webhooks) and the built certification, catalog and orders services (run `npx nx run-many -t build -p
 * certification,catalog,orders` first), loads the demo data through the real paths (catalog's seed, then
 * certification issues the demo certificates; their status events reach catalog and orders over the
 * bus), then runs SHOPPERS concurrent shoppers in a loop for SECONDS: add to cart → checkout (card) →
 * wait for the payment page → pay 4242 on the hosted page → wait for "paid". Meanwhile a certifier
 * red-warns one product after another through certification's HTTP API, and a probe measures the time
 * from that call's reply to a checkout of a cart holding the product refused (409; orders asks certification
 * when placing) and to the first add-to-cart refusal (orders' projection of the status events). Prints throughput,
 * p50/p99 cart→paid, the ratio to a trivial endpoint (GET /health) in the same run, oversold units,
 * revocation-to-block p50/p99, the number of card captures for a product after its block (must be 0) and
 * of Alipay/WeChat Pay payments for it after its block with how many were refunded in full (must be all).
 * The services talk over a Kafka stand-in started here (each with its own bus principal).
 *
 *   nice -n 10 npx tsx --tsconfig tools/tsconfig.json tools/bench/checkout.ts [seconds=40] [shoppers=50]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { DEMO_USERS, signToken, type AuthUser } from '@techan/common';
import { startMongoStandin } from '@techan/mongo-standin';
import { freePort, localBusEnv, localBusSecurity, STANDIN_WEBHOOK_SECRET, startLocalKafka, startRedis, waitHealthy } from '@techan/local-stack';
import { startStripeStandin } from '@techan/stripe-standin';

const ROOT = resolve(__dirname, '../..');
const SECONDS = Number(process.argv[2] ?? 40);
const SHOPPERS = Number(process.argv[3] ?? 50);
const SECRET = 'bench-secret-0123456789abcdef0123456789';
const demoProductId = (key: string) => `p_demo${key.replace(/[^a-z0-9]/g, '')}`;
const demoSkuId = (key: string, code: string) => `s_demo${key.replace(/[^a-z0-9]/g, '')}${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`;

/** Products the shoppers buy. The scarce one shows oversell; the revoked ones are red-warned during the run. */
const SCARCE = { productId: demoProductId('goose-whole'), skuId: demoSkuId('goose-whole', 'W40') }; // 80 in stock
const PLENTY = [
  { productId: demoProductId('goose-braised'), skuId: demoSkuId('goose-braised', '500') },
  { productId: demoProductId('goose-roll'), skuId: demoSkuId('goose-roll', 'GIFT') },
  { productId: demoProductId('goose-gizzard'), skuId: demoSkuId('goose-gizzard', '500') },
];
const REVOKED = [
  { productId: demoProductId('goose-feet'), skuId: demoSkuId('goose-feet', '500') },
  { productId: demoProductId('goose-wings'), skuId: demoSkuId('goose-wings', '1000') },
  { productId: demoProductId('goose-liver'), skuId: demoSkuId('goose-liver', '250') },
  { productId: demoProductId('goose-pate'), skuId: demoSkuId('goose-pate', '120') },
  { productId: demoProductId('tea-black'), skuId: demoSkuId('tea-black', '250') },
];
const ADDRESS = { text: '广东省江门市开平市长沙街道幕沙路 1 号', lat: 22.376, lng: 112.698 };

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let networkRetries = 0;

/** fetch that retries a connection reset (a kept-alive socket closed by the server under load), counted. */
async function fetchRetrying(url: string, init?: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (e) {
      if (attempt >= 5) throw e;
      networkRetries++;
      await sleep(50 * attempt);
    }
  }
}

let kafkaBrokers = '';

function spawnService(name: string, port: number, env: NodeJS.ProcessEnv): ChildProcess {
  // BENCH_CPU_PROF=orders,catalog writes V8 CPU profiles of those services to .local/profiles (diagnosis).
  const profile = (process.env['BENCH_CPU_PROF'] ?? '').split(',').includes(name) ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, '.local/profiles')}`] : [];
  return spawn(process.execPath, [...profile, join(ROOT, 'dist/apps', name, 'main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', JWT_SECRET: SECRET, LOG_LEVEL: 'error', ...localBusEnv(kafkaBrokers, name), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const cleanup: (() => Promise<unknown> | void)[] = [];

/** Runs a stand-in's CLI (from source) as a child process; resolves with what it prints after `<name> listening`. */
function standinProcess(name: 'mongo-standin' | 'kafka-standin', args: string[]): Promise<string> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), '--tsconfig', join(ROOT, 'tools/tsconfig.json'), join(ROOT, `libs/${name}/src/cli.ts`), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(() => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    return exited;
  });
  return new Promise((ok, fail) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = new RegExp(`${name} listening (\\S+)`).exec(seen);
      if (match) ok(match[1]);
    });
    child.once('exit', (code) => fail(new Error(`${name} exited with code ${code}`)));
  });
}

async function startKafkaProcess(): Promise<{ brokers: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'techan-bench-kafka-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const security = join(dir, 'security.json');
  writeFileSync(security, JSON.stringify(localBusSecurity()), { mode: 0o600 });
  const brokers = await standinProcess('kafka-standin', ['--port', '0', '--data', join(dir, 'data'), '--security', security, '--initial-rebalance-delay-ms', '0', '--quiet', 'true']);
  return { brokers };
}

async function main() {
  const redis = await startRedis();
  cleanup.push(() => redis.stop());
  // The stores run in processes of their own, as MongoDB and Kafka do (and as `npm start` runs the
  // stand-ins): in this process their replies would queue behind the load driver's own work.
  // BENCH_STANDINS=inprocess keeps the earlier layout (for comparing with figures measured that way).
  const inProcess = process.env['BENCH_STANDINS'] === 'inprocess';
  const mongo: { uri: string; stop?: () => Promise<void> } = inProcess ? await startMongoStandin() : { uri: await standinProcess('mongo-standin', ['--port', '0']) };
  if (mongo.stop) cleanup.push(() => mongo.stop?.());
  const kafka: { brokers: string; stop?: () => Promise<void> } = inProcess ? await startLocalKafka() : await startKafkaProcess();
  if (kafka.stop) cleanup.push(() => kafka.stop?.());
  kafkaBrokers = kafka.brokers;
  const ordersPort = await freePort();
  const catalogPort = await freePort();
  const certificationPort = await freePort();
  const stripe = await startStripeStandin({ retryBaseMs: 200, webhooks: [{ url: `http://127.0.0.1:${ordersPort}/payments/webhooks/stripe`, secret: STANDIN_WEBHOOK_SECRET }] });
  cleanup.push(() => stripe.stop());
  const common = { MONGO_URL: mongo.uri, REDIS_URL: redis.url };

  // Demo data through catalog's own seeding path (its product-upserted events reach orders' projection).
  await new Promise<void>((ok, fail) => {
    const seed = spawn(process.execPath, [require.resolve('tsx/cli'), '--tsconfig', 'apps/catalog/tsconfig.tsx.json', 'apps/catalog/src/seed.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...common, ...localBusEnv(kafka.brokers, 'catalog'), MONGO_DB: 'techan-catalog', JWT_SECRET: SECRET, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    seed.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`seed exited ${code}`))));
  });
  // Certification issues the demo certificates (its status events wait in its outbox until it runs).
  await new Promise<void>((ok, fail) => {
    const seed = spawn(process.execPath, [join(ROOT, 'dist/apps/certification/main.js'), 'seed-demo'], {
      cwd: ROOT,
      env: { ...process.env, ...common, ...localBusEnv(kafka.brokers, 'certification'), MONGO_DB: 'techan-certification', JWT_SECRET: SECRET, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    seed.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`certification seed exited ${code}`))));
  });
  const certification = spawnService('certification', certificationPort, common);
  const catalog = spawnService('catalog', catalogPort, { ...common, RESERVATION_SWEEP_MS: '2000' });
  const orders = spawnService('orders', ordersPort, { ...common, CERTIFICATION_URL: `http://127.0.0.1:${certificationPort}`, STRIPE_API_URL: stripe.url, STRIPE_WEBHOOK_SECRET: STANDIN_WEBHOOK_SECRET, PUBLIC_BASE_URL: 'http://shop.test', CHECKOUT_SWEEP_MS: '2000' });
  for (const c of [certification, catalog, orders]) {
    cleanup.push(() => {
      if (c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      return exited;
    });
  }
  const ordersUrl = `http://127.0.0.1:${ordersPort}`;
  const certificationUrl = `http://127.0.0.1:${certificationPort}`;
  // Generous: on a shared, loaded machine start-up alone can take a minute or more.
  await Promise.all([
    waitHealthy(certificationUrl, { child: certification, timeoutMs: 300_000 }),
    waitHealthy(`http://127.0.0.1:${catalogPort}`, { child: catalog, timeoutMs: 300_000 }),
    waitHealthy(ordersUrl, { child: orders, timeoutMs: 300_000 }),
  ]);

  const token = (u: AuthUser) => signToken(SECRET, u);
  const call = async (user: AuthUser, path: string, body?: unknown) => {
    const res = await fetchRetrying(ordersUrl + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token(user)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> };
  };
  // Wait until orders' projection can sell every product.
  const probeUser = { ...DEMO_USERS['shopper'], userId: 'u-bench-probe-0' };
  for (const p of [SCARCE, ...PLENTY, ...REVOKED]) {
    for (let i = 0; ; i++) {
      const r = await call({ ...probeUser, userId: `u-bench-ready-${p.skuId}-${i}` }, '/cart/lines', { ...p, quantity: 1 });
      if (r.status === 201) break;
      if (i > 3000) throw new Error(`orders never learnt of ${p.productId}: ${JSON.stringify(r.body)}`);
      await sleep(100);
    }
  }

  // Trivial endpoint in the same run, same concurrency.
  const trivial = await autocannon({ url: `${ordersUrl}/health`, connections: SHOPPERS, duration: 5 });

  const latencies: number[] = [];
  let paid = 0;
  let refused = 0;
  let failed = 0;
  const revoked = new Map<string, number>(); // productId → the certifier's reply to the red warning (ms)
  const started = Date.now();
  const end = started + SECONDS * 1000;
  let seq = 0;

  const shopper = async (n: number) => {
    while (Date.now() < end) {
      try {
        await oneCheckout(n);
      } catch (e) {
        failed++;
        if (failed <= 3) console.error(`a shopper's checkout failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  const oneCheckout = async (n: number) => {
    {
      const user: AuthUser = { ...DEMO_USERS['shopper'], userId: `u-bench-${n}-${++seq}` };
      const t0 = Date.now();
      const r = seq % 3;
      const lines = [
        { ...PLENTY[n % PLENTY.length], quantity: 1 },
        ...(r === 0 ? [{ ...SCARCE, quantity: 2 }] : []),
        ...(r === 1 ? [{ ...REVOKED[n % REVOKED.length], quantity: 1 }] : []),
      ];
      let ok = true;
      for (const l of lines) if ((await call(user, '/cart/lines', l)).status !== 201) ok = false;
      if (!ok) {
        refused++;
        return;
      }
      // Three in five pay by card (authorised, captured after the re-check); the others by Alipay or WeChat Pay (taken at once).
      const method = n % 5 === 3 ? 'alipay' : n % 5 === 4 ? 'wechat_pay' : 'card';
      const placed = await call(user, '/checkout', { paymentMethod: method, address: ADDRESS });
      if (placed.status !== 202) {
        refused++;
        return;
      }
      const orderId = placed.body['orderId'] as string;
      let order: Record<string, any> = placed.body;
      // Poll as the web pages do (the pay page every 500 ms, the return page every second).
      while (!order['payment']?.url && !['cancelled', 'refunded'].includes(order['status']) && Date.now() < end + 90_000) {
        await sleep(500);
        order = (await call(user, `/orders/${orderId}`)).body;
      }
      if (!order['payment']?.url) {
        refused++;
        return;
      }
      const form: Record<string, string> = method === 'card' ? { method, card: '4242424242424242' } : { method, approve: 'yes' };
      await fetchRetrying(order['payment'].url, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
      while (!['paid', 'cancelled', 'refunded'].includes(order['status']) && Date.now() < end + 90_000) {
        await sleep(1_000);
        order = (await call(user, `/orders/${orderId}`)).body;
      }
      if (order['status'] === 'paid') {
        paid++;
        // When orders recorded it paid, not when this poll saw it.
        const paidAt = (order['history'] as { status: string; at: string }[] | undefined)?.find((h) => h.status === 'paid')?.at;
        latencies.push((paidAt ? new Date(paidAt).getTime() : Date.now()) - t0);
      } else if (order['status'] === 'cancelled') refused++;
      else failed++;
    }
  };

  // Red warnings during the load: a certifier blocks one product at a time through certification's
  // API; the clock starts at its reply (the product is blocked from then on) and stops at the first
  // refusal of that product by orders (add to cart → 409 with the certified-only reason).
  const certifier: AuthUser = { userId: 'u-certifier-1', roles: ['certifier'], merchantIds: [], buyerOrgIds: [] };
  const blockLatencies: number[] = [];
  /** Certifier's reply → a checkout of a cart holding the product refused (orders asks certification when placing). */
  const checkoutBlockLatencies: number[] = [];
  /** When that checkout was sent after the reply (it is the first one sent; refused means no checkout got through after the block). */
  const checkoutProbeSentAfter: number[] = [];
  /** Per red warning: when the refusing probe request was sent, and when the one before it (still accepted) was. */
  const probes = new Map<string, { refusedSentAt: number; lastAcceptedSentAt?: number; probes: number }>();
  const revoker = (async () => {
    for (const [i, p] of REVOKED.entries()) {
      await sleep((SECONDS * 1000) / (REVOKED.length + 1));
      // A shopper with the product in the cart, ready to check out the moment the block lands.
      const checkoutProbe = { ...DEMO_USERS['shopper'], userId: `u-bench-checkout-probe-${i}` };
      const added = await call(checkoutProbe, '/cart/lines', { ...p, quantity: 1 });
      if (added.status !== 201) throw new Error(`the checkout probe could not fill its cart: ${added.status} ${JSON.stringify(added.body)}`);
      const res = await fetchRetrying(`${certificationUrl}/products/${p.productId}/warnings/red`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token(certifier)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: '抽检发现质量风险（基准测试）' }),
      });
      const at = Date.now();
      if (res.status !== 200) throw new Error(`the red warning was refused: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      revoked.set(p.productId, at);
      checkoutProbeSentAfter.push(Date.now() - at);
      const probeCheckout = await call(checkoutProbe, '/checkout', { paymentMethod: 'card', address: ADDRESS });
      if (probeCheckout.status !== 409) throw new Error(`a checkout after the red warning was not refused: ${probeCheckout.status} ${JSON.stringify(probeCheckout.body)}`);
      checkoutBlockLatencies.push(Date.now() - at);
      let lastAcceptedSentAt: number | undefined;
      for (let k = 0; ; k++) {
        const sentAt = Date.now();
        const r = await call({ ...DEMO_USERS['shopper'], userId: `u-bench-probe-${i}-${k}` }, '/cart/lines', { ...p, quantity: 1 });
        if (r.status === 409) {
          probes.set(p.productId, { refusedSentAt: sentAt, lastAcceptedSentAt, probes: k + 1 });
          break;
        }
        lastAcceptedSentAt = sentAt;
        if (Date.now() - at > 120_000) throw new Error(`orders still sells ${p.productId} 120 s after the red warning`);
      }
      blockLatencies.push(Date.now() - at);
    }
  })();

  await Promise.all([...Array.from({ length: SHOPPERS }, (_, n) => shopper(n)), revoker]);
  const elapsed = (Date.now() - started) / 1000;
  await sleep(3_000);

  // Oversold: the scarce SKU's units must add up and never exceed what there was.
  const conn = await mongoose.createConnection(mongo.uri, { dbName: 'techan-catalog' }).asPromise();
  const row = (await conn.collection('stock').findOne({ _id: SCARCE.skuId as never })) as Record<string, number> | null;
  const sold = row?.['sold'] ?? 0;
  const oversold = Math.max(0, sold + (row?.['reserved'] ?? 0) - 80) + ((row?.['available'] ?? 0) < 0 ? -(row?.['available'] ?? 0) : 0);
  // Captures after a block: an order with a revoked product that became paid after the block was emitted.
  const oconn = await mongoose.createConnection(mongo.uri, { dbName: 'techan-orders' }).asPromise();
  let capturesAfterBlock = 0;
  let walletPaymentsAfterBlock = 0;
  let walletPaymentsAfterBlockRefunded = 0;
  for (const [productId, at] of revoked) {
    const docs = await oconn.collection('orders').find({ 'lines.productId': productId }).toArray();
    for (const d of docs) {
      const paidAt = (d['history'] as { status: string; at: Date }[]).find((h) => h.status === 'paid')?.at;
      const payment = d['payment'] as { capturedFen: number; refundedFen: number };
      if (payment.capturedFen <= 0) continue;
      const afterBlock = !paidAt || new Date(paidAt).getTime() > at;
      if (d['paymentMethod'] === 'card') {
        // Counted even if later refunded by the recall: money moved after the certifier's reply.
        if (paidAt && afterBlock) capturesAfterBlock++;
      } else if (afterBlock) {
        // Alipay / WeChat Pay take the money at once: a payment for a blocked product must be given back in full.
        walletPaymentsAfterBlock++;
        if (payment.refundedFen >= payment.capturedFen) walletPaymentsAfterBlockRefunded++;
      }
    }
  }
  // Where the time went, per red warning (ms after the certifier's reply): the status event's outbox row
  // in certification (written, acknowledged by the broker), the consumers' inbox rows (handler started),
  // and the probe requests (the refused one was sent; the one before it, still accepted, was sent).
  const cconn = await mongoose.createConnection(mongo.uri, { dbName: 'techan-certification' }).asPromise();
  const hops: string[] = [];
  for (const [productId, at] of revoked) {
    const ev = await cconn.collection('outbox').find({ subject: productId, type: 'techan.certification.product-status-changed.v1', createdAt: { $gte: new Date(at - 10_000) } }).sort({ createdAt: 1 }).limit(1).next();
    if (!ev) continue;
    const rel = (d: unknown) => (d ? `${new Date(d as Date).getTime() - at}` : '?');
    const oi = await oconn.collection('inbox').findOne({ _id: `orders:${ev['_id']}` as never });
    const ci = await conn.collection('inbox').findOne({ _id: `catalog:${ev['_id']}` as never });
    const pr = probes.get(productId);
    hops.push(`    ${productId.padEnd(22)} written ${rel(ev['createdAt'])}  relayed ${rel(ev['publishedAt'])}  orders handler ${rel(oi?.['processedAt'])}  catalog handler ${rel(ci?.['processedAt'])}  probe: accepted sent ${pr?.lastAcceptedSentAt ? pr.lastAcceptedSentAt - at : '-'}, refused sent ${pr ? pr.refusedSentAt - at : '?'} (${pr?.probes} probes)`);
  }
  await cconn.close();
  const recalled = await oconn.collection('orders').countDocuments({ cancelReason: 'recall' });
  const byStatus = await oconn.collection('orders').aggregate([{ $group: { _id: { status: '$status', reason: '$cancelReason' }, n: { $sum: 1 } } }]).toArray();

  const tput = paid / elapsed;
  console.log(`checkout benchmark: ${SHOPPERS} concurrent shoppers for ${SECONDS} s, stand-ins ${inProcess ? 'in the driver process' : 'in their own processes'} (machine shared; run under nice; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  console.log(`  paid orders            ${paid}   (${tput.toFixed(1)} orders/s)   refused/cancelled ${refused}   unfinished ${failed}`);
  console.log(`  cart → paid latency    p50 ${pct(latencies, 50)} ms   p99 ${pct(latencies, 99)} ms`);
  console.log(`  trivial GET /health    ${trivial.requests.average.toFixed(0)} req/s   p50 ${trivial.latency.p50} ms   p99 ${trivial.latency.p99} ms`);
  console.log(`  ratio                  checkout flows/s ÷ /health req/s = ${(tput / trivial.requests.average).toFixed(4)}  (one flow ≈ ${Math.round(latencies.length ? pct(latencies, 50) / trivial.latency.p50 : 0)}× a trivial request's p50)`);
  console.log(`  scarce SKU (80 units)  sold ${sold}   reserved ${row?.['reserved']}   available ${row?.['available']}   oversold ${oversold}`);
  console.log(`  revocation-to-block    n=${checkoutBlockLatencies.length}   p50 ${pct(checkoutBlockLatencies, 50)} ms   p99 ${pct(checkoutBlockLatencies, 99)} ms   (certifier's HTTP reply → refusal received; the first checkout sent after the reply, at +${Math.max(...checkoutProbeSentAfter)} ms at most, was refused every time: this is its round trip under this load)`);
  console.log(`  … in the cart          n=${blockLatencies.length}   p50 ${pct(blockLatencies, 50)} ms   p99 ${pct(blockLatencies, 99)} ms   (reply → first add-to-cart refusal received: orders' projection, probes one after another)`);
  console.log(`  hops (ms after the certifier's reply):\n${hops.join('\n')}`);
  console.log(`  captures after block   ${capturesAfterBlock}   (card; paid orders recalled by the red warning: ${recalled})`);
  console.log(`  wallet payments after block ${walletPaymentsAfterBlock}, refunded in full ${walletPaymentsAfterBlockRefunded}   (Alipay / WeChat Pay: must be equal)`);
  console.log(`  connection resets retried by the load driver: ${networkRetries}`);
  console.log(`  orders by status: ${byStatus.map((b) => `${b._id.status}${b._id.reason ? `(${b._id.reason})` : ''} ${b['n']}`).join(', ')}`);
  await conn.close();
  await oconn.close();
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    // Children and stores go down in reverse order, also after a failure.
    for (const stop of cleanup.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    process.exit();
  });
