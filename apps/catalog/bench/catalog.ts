/**
 * Catalogue benchmark: browse/search latency with 100 000 SKUs loaded, reservation throughput under
 * contention, each next to a trivial endpoint in the same run, and the service's resident memory.
 *
 *   npx tsx --tsconfig apps/catalog/tsconfig.tsx.json apps/catalog/bench/catalog.ts [--skus 100000] [--duration 8]
 *
 * Processes: the MongoDB stand-in (or MONGO_URL), the catalogue service (bench/serve.ts) and this
 * driver (autocannon), all on this machine. Every child is stopped by its PID at the end.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { DEMO_MERCHANTS } from '../src/domain';
import { demoMerchantId, demoOwnerId } from '../src/catalog/seed.service';
import { buyableSyntheticIndexes, syntheticProductId, syntheticProducts, syntheticSkuId } from './synthetic';
import { ProductSchema, StockSchema, type ProductDoc, type StockDoc } from '../src/persistence/schemas';

const ROOT = join(__dirname, '../../..');
const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SKUS = arg('skus', 100_000);
const DURATION = arg('duration', 8);
const DB = 'catalog_bench';
const children: ChildProcess[] = [];

function stopAll() {
  for (const c of children) if (c.pid && c.exitCode === null) c.kill('SIGTERM');
}
process.on('exit', stopAll);

async function startStandin(): Promise<string> {
  if (process.env['MONGO_URL']) return process.env['MONGO_URL'];
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'libs/mongo-standin/src/cli.ts'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
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
  const now = new Date();
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
  for (const { product, stock: s } of syntheticProducts(SKUS / 2, now)) {
    batchP.push(product);
    batchS.push(...s);
    if (batchP.length >= 1000) await flush();
  }
  await flush();
  const loaded = await stock.countDocuments();
  console.log(`loaded ${await products.countDocuments()} products / ${loaded} SKUs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { conn, stock };
}

async function startService(uri: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(join(__dirname, 'serve.ts'), [], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=1024'],
    env: { ...process.env, MONGO_URL: uri, MONGO_DB: DB, PORT: '0', TSX_TSCONFIG_PATH: join(ROOT, 'apps/catalog/tsconfig.tsx.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url?: string }) => (m.url ? resolve(m.url.replace('[::1]', '127.0.0.1')) : reject(new Error('no url'))));
    child.once('exit', (code) => reject(new Error(`service exited ${code}`)));
  });
  return { child, url };
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function measure(url: string, path: string) {
  const target = `${url}${path}`;
  const warm = await fetch(target);
  if (warm.status !== 200) throw new Error(`${path} answered ${warm.status}: ${(await warm.text()).slice(0, 200)}`);
  const body = (await warm.json()) as { items?: unknown[] };
  await autocannon({ url: target, connections: 10, duration: 2 });
  const r = await autocannon({ url: target, connections: 10, duration: DURATION });
  return { path, p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors: r.errors + r.non2xx, items: body.items?.length };
}

async function reservationRun(child: ChildProcess, hot: { productId: string; skuId: string }[], orders: number, concurrency: number) {
  const list = Array.from({ length: orders }, (_, i) => {
    const n = 1 + (i % 3);
    const lines = Array.from({ length: n }, (_, k) => hot[(i * 7 + k * 3) % hot.length]);
    const unique = [...new Map(lines.map((l) => [l.skuId, l])).values()];
    return { orderId: `bench-${Date.now()}-${i}`, lines: unique.map((l) => ({ ...l, quantity: 1 })) };
  });
  return new Promise<Record<string, unknown>>((resolve) => {
    child.once('message', (m: Record<string, unknown>) => resolve(m));
    child.send({ cmd: 'reserve', orders: list, concurrency });
  });
}

async function main() {
  const uri = await startStandin();
  const { conn, stock } = await load(uri);
  const { child, url } = await startService(uri);
  const idle = rssMb(child.pid as number);

  const q = (s: string) => encodeURIComponent(s);
  const endpoints = [
    '/api/catalog/ping',
    '/api/catalog/search',
    '/api/catalog/halls/magang/products',
    '/api/catalog/search?category=agri.goose&sort=price_asc',
    `/api/catalog/search?q=${q('马冈鹅')}`,
    `/api/catalog/search?q=${q('茶')}&sort=price_asc`,
    `/api/catalog/search?q=${q('大沙')}&town=dasha`,
    '/api/catalog/search?priceMin=5000&priceMax=9000&sort=price_asc',
  ];
  const http = [];
  for (const e of endpoints) {
    const m = await measure(url, e);
    http.push(m);
    console.log(JSON.stringify(m));
  }
  const afterHttp = rssMb(child.pid as number);

  // Contention: 10 hot SKUs with 100 units each, 2000 orders of 1-3 lines, 100 in flight.
  const hot = buyableSyntheticIndexes(10, SKUS / 2).map((i) => ({ productId: syntheticProductId(i), skuId: syntheticSkuId(i, 0) }));
  await stock.updateMany({ _id: { $in: hot.map((h) => h.skuId) } }, { $set: { available: 100, reserved: 0, holds: [] } });
  const ping = await measure(url, '/api/catalog/ping');
  const contention = await reservationRun(child, hot, 2000, 100);
  const after = await stock.find({ _id: { $in: hot.map((h) => h.skuId) } }).lean<StockDoc[]>();
  const invariant = after.every((s) => s.available >= 0 && s.available + s.reserved === 100 && s.holds.length === s.reserved);
  const sold = after.reduce((n, s) => n + s.reserved, 0);
  const end = rssMb(child.pid as number);

  console.log('\n=== catalog benchmark ===');
  console.log(`SKUs loaded: ${SKUS} (${SKUS / 2} products), autocannon 10 connections × ${DURATION} s per endpoint`);
  console.log('endpoint | p50 ms | p99 ms | req/s | items');
  for (const m of http) console.log(`${decodeURIComponent(m.path)} | ${m.p50} | ${m.p99} | ${Math.round(m.rps)} | ${m.items ?? '-'}`);
  console.log(`ping (same run, before reservations) | ${ping.p50} | ${ping.p99} | ${Math.round(ping.rps)}`);
  console.log(`reservations: ${JSON.stringify(contention)}`);
  console.log(`hot SKUs after: units held ${sold} of 1000, invariant (available + reserved = 100, holds = reserved, never negative): ${invariant}`);
  console.log(`service RSS: idle ${idle.rss.toFixed(0)} MB, after HTTP load ${afterHttp.rss.toFixed(0)} MB, at end ${end.rss.toFixed(0)} MB, peak ${end.peak.toFixed(0)} MB`);
  await conn.close();
  stopAll();
}

main().catch((e) => {
  console.error(e);
  stopAll();
  process.exit(1);
});
