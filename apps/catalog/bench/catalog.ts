/**
 * Catalogue benchmark: browse/search latency with 100 000 SKUs loaded, reservation throughput under
 * contention (order-placed events over the bus), each next to a trivial endpoint in the same run, and
 * the service's resident memory.
 *
 *   npx tsx --tsconfig apps/catalog/tsconfig.tsx.json apps/catalog/bench/catalog.ts [--skus 100000] [--duration 10] [--orders 2000]
 *
 * Build the service first (`npx nx build catalog`): the bench runs dist/apps/catalog/main.js, the
 * production bundle, with the MongoDB stand-in (unless MONGO_URL), a throw-away redis-server (unless
 * REDIS_URL), a Kafka stand-in in this process (unless KAFKA_BROKERS) and this driver (autocannon, event producer) as separate processes.
 * Every child is stopped by its PID at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { lastValueFrom } from 'rxjs';
import { createEvent, EVENT_TYPES, KafkaEventClient } from '@techan/common';
import { busOptionsFrom } from '@techan/common/testing';
import { localBusEnv, startLocalKafka, startRedis, waitHealthy, type RunningRedis } from '@techan/local-stack';
import { DEMO_MERCHANTS } from '../src/domain';
import { demoMerchantId, demoOwnerId } from '../src/catalog/seed.service';
import { ProductSchema, StockSchema, type ProductDoc, type StockDoc } from '../src/persistence/schemas';
import { buyableSyntheticIndexes, syntheticProductId, syntheticProducts, syntheticSkuId } from './synthetic';

const ROOT = join(__dirname, '../../..');
const TSX_CONFIG = join(ROOT, 'apps/catalog/tsconfig.tsx.json');
const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SKUS = arg('skus', 100_000);
const DURATION = arg('duration', 10);
const ORDERS = arg('orders', 2000);
const DB = 'techan-catalog-bench';
const PREFIX = `bench${Date.now().toString(36)}`;
const PARTITIONS = 4;
const JWT_SECRET = 'bench-only-secret-0123456789abcdef0123456789';
const children: ChildProcess[] = [];
let redis: RunningRedis | undefined;
let kafka: Awaited<ReturnType<typeof startLocalKafka>> | undefined;

function stopAll(): Promise<unknown> {
  const alive = children.filter((c) => c.pid && c.exitCode === null);
  for (const c of alive) c.kill('SIGTERM');
  return Promise.all(alive.map((c) => new Promise((r) => c.once('exit', r))));
}
process.on('exit', () => void stopAll());

async function startStandin(): Promise<string> {
  if (process.env['MONGO_URL']) return process.env['MONGO_URL'];
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'libs/mongo-standin/src/cli.ts'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TSX_TSCONFIG_PATH: TSX_CONFIG },
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

async function load(uri: string) {
  const conn = await mongoose.createConnection(uri, { dbName: DB }).asPromise();
  await conn.dropDatabase();
  const products = conn.model('Product', ProductSchema);
  const stock = conn.model('Stock', StockSchema);
  await products.createIndexes();
  await stock.createIndexes();
  await conn.collection('merchants').insertMany(
    DEMO_MERCHANTS.map((m) => ({ _id: demoMerchantId(m.key), ownerId: demoOwnerId(m.key), name: m.name, creditCode: m.creditCode, licenceDocument: 'doc:bench', town: m.town, contact: m.contact, status: 'approved', submittedAt: new Date() })) as never[],
  );
  const t0 = Date.now();
  let batchP: ProductDoc[] = [];
  let batchS: StockDoc[] = [];
  const flush = async () => {
    if (!batchP.length) return;
    await products.collection.insertMany(batchP as never[], { ordered: false });
    await stock.collection.insertMany(batchS as never[], { ordered: false });
    batchP = [];
    batchS = [];
  };
  for (const { product, stock: s } of syntheticProducts(SKUS / 2, new Date())) {
    batchP.push(product);
    batchS.push(...s);
    if (batchP.length >= 1000) await flush();
  }
  await flush();
  console.log(`loaded ${await products.countDocuments()} products / ${await stock.countDocuments()} SKUs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { conn, stock };
}

async function startService(mongoUrl: string, redisUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const main = join(ROOT, 'dist/apps/catalog/main.js');
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      MONGO_URL: mongoUrl,
      MONGO_DB: DB,
      REDIS_URL: redisUrl,
      JWT_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      EVENT_PREFIX: PREFIX,
      KAFKA_PARTITIONS: String(PARTITIONS),
      ...localBusEnv(kafka!.brokers, 'catalog'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, { child, timeoutMs: 120_000 });
  return { child, url };
}

function memMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function measure(url: string, path: string, duration = DURATION) {
  const target = `${url}${path}`;
  const warm = await fetch(target);
  if (warm.status !== 200) throw new Error(`${path} answered ${warm.status}: ${(await warm.text()).slice(0, 200)}`);
  const body = (await warm.json()) as { items?: unknown[] };
  await autocannon({ url: target, connections: 10, duration: 2 });
  const r = await autocannon({ url: target, connections: 10, duration });
  return { path, p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors: r.errors + r.non2xx, items: body.items?.length };
}

async function main() {
  const mongoUrl = await startStandin();
  redis = process.env['REDIS_URL'] ? undefined : await startRedis();
  kafka = await startLocalKafka();
  const redisUrl = process.env['REDIS_URL'] ?? (redis as RunningRedis).url;
  const { conn, stock } = await load(mongoUrl);
  const { child, url } = await startService(mongoUrl, redisUrl);
  const pid = child.pid as number;
  const idle = memMb(pid);

  const q = (s: string) => encodeURIComponent(s);
  const endpoints = [
    '/catalog/ping',
    '/catalog/search',
    '/catalog/halls/magang/products',
    '/catalog/search?category=agri.goose&sort=price_asc',
    `/catalog/search?q=${q('马冈鹅')}`,
    `/catalog/search?q=${q('茶')}&sort=price_asc`,
    `/catalog/search?q=${q('大沙')}&town=dasha`,
    '/catalog/search?priceMin=5000&priceMax=9000&sort=price_asc',
  ];
  const http = [];
  for (const e of endpoints) {
    const m = await measure(url, e);
    http.push(m);
    console.log(JSON.stringify(m));
  }
  const afterHttp = memMb(pid);

  // Contention: 10 hot SKUs with 100 units each; ORDERS order-placed events of 1-3 lines on them,
  // published as fast as the producer can, while autocannon measures the trivial endpoint.
  const hot = buyableSyntheticIndexes(10, SKUS / 2).map((i) => ({ productId: syntheticProductId(i), skuId: syntheticSkuId(i, 0) }));
  await stock.updateMany({ _id: { $in: hot.map((h) => h.skuId) } }, { $set: { available: 100, reserved: 0, holds: [] } });
  // Orders' own bus principal: only orders may publish order-placed.
  const client = new KafkaEventClient({ ...busOptionsFrom(localBusEnv(kafka.brokers, 'orders'), PREFIX, 'bench-orders'), partitions: PARTITIONS });
  await client.connect();
  const reserveUntil = new Date(Date.now() + 30 * 60_000).toISOString();
  const orders = Array.from({ length: ORDERS }, (_, i) => {
    const lines = [...new Map(Array.from({ length: 1 + (i % 3) }, (_, k) => hot[(i * 7 + k * 3) % hot.length]).map((l) => [l.skuId, l])).values()];
    return { orderId: `bench-${PREFIX}-${i}`, buyerId: 'bench', lines: lines.map((l) => ({ ...l, quantity: 1, unitPriceFen: 100 })), reserveUntil, placedAt: new Date().toISOString() };
  });
  const pingDuring = measure(url, '/catalog/ping', Math.max(5, DURATION));
  const t0 = Date.now();
  await Promise.all(orders.map((o) => lastValueFrom(client.emit(EVENT_TYPES.OrderPlaced, createEvent(EVENT_TYPES.OrderPlaced, o.orderId, o, { source: 'orders' })))));
  const published = Date.now() - t0;
  let done = 0;
  while (done < ORDERS) {
    done = await conn.collection('reservations').countDocuments({ _id: { $regex: `^bench-${PREFIX}-` } });
    if (Date.now() - t0 > 600_000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (Date.now() - t0) / 1000;
  const ping = await pingDuring;
  const outcomes = await conn.collection('reservations').aggregate([{ $group: { _id: '$status', n: { $sum: 1 } } }]).toArray();
  const after = await stock.find({ _id: { $in: hot.map((h) => h.skuId) } }).lean<StockDoc[]>();
  const invariant = after.every((s) => s.available >= 0 && s.available + s.reserved === 100 && s.holds.length === s.reserved);
  const held = after.reduce((n, s) => n + s.reserved, 0);
  const end = memMb(pid);
  await client.close();

  console.log('\n=== catalog benchmark ===');
  console.log(`SKUs loaded: ${SKUS} (${SKUS / 2} products); autocannon 10 connections × ${DURATION} s per endpoint; service = dist/apps/catalog/main.js`);
  console.log('endpoint | p50 ms | p99 ms | req/s | items');
  for (const m of http) console.log(`${decodeURIComponent(m.path)} | ${m.p50} | ${m.p99} | ${Math.round(m.rps)} | ${m.items ?? '-'}${m.errors ? ` | ${m.errors} errors` : ''}`);
  console.log(`reservations: ${done}/${ORDERS} order-placed events handled in ${seconds.toFixed(1)} s = ${(done / seconds).toFixed(0)} orders/s (producer enqueued all in ${published} ms); outcomes ${JSON.stringify(outcomes)}`);
  console.log(`  /catalog/ping during the reservation storm | p50 ${ping.p50} ms | p99 ${ping.p99} ms | ${Math.round(ping.rps)} req/s`);
  console.log(`  hot SKUs after: ${held} of 1000 units held; invariant (available + reserved = 100, holds = reserved, never negative): ${invariant}`);
  console.log(`service RSS: idle ${idle.rss.toFixed(0)} MB, after HTTP load ${afterHttp.rss.toFixed(0)} MB, at end ${end.rss.toFixed(0)} MB, peak ${end.peak.toFixed(0)} MB`);
  await conn.close();
  await stopAll(); // the service first, so it does not log a lost Redis while shutting down
  await redis?.stop();
  await kafka.stop();
}

main().catch(async (e) => {
  console.error(e);
  await stopAll();
  await redis?.stop();
  await kafka?.stop();
  process.exit(1);
});
