/**
 * Call-off generation benchmark (issue 12): 2 000 active contracts × 5 sites delivering on one date
 * = 10 000 call-offs. Prints the time of one run, then the duplicates (must be 0) after
 *   (a) two runs at the same time (two processes, as two BullMQ workers running the job twice), and
 *   (b) a run killed with SIGKILL mid-way and run again (a crashed worker, the job retried).
 *
 *   nice -n 10 npx tsx --tsconfig apps/orders/tsconfig.tsx.json apps/orders/bench/call-off-generation.ts [--contracts 2000] [--sites 5]
 *
 * Uses the MongoDB stand-in (spawned here) unless MONGO_URL is set. Children are stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { CallOffSchema, ContractSchema, type ContractDoc } from '../src/app/persistence/institutional.schemas';
import { CatalogueItemSchema } from '../src/app/persistence/catalogue.schema';

const ROOT = join(__dirname, '../../..');
const TSX_CONFIG = join(ROOT, 'apps/orders/tsconfig.tsx.json');
const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const CONTRACTS = arg('contracts', 2000);
const SITES = arg('sites', 5);
const DB = `techan-orders-bench-${Date.now().toString(36)}`;
const DATE = '2026-12-07'; // a Monday
const NOW = '2026-12-03T02:00:00.000Z';
const children: ChildProcess[] = [];

function stopAll(): void {
  for (const c of children) if (c.pid && c.exitCode === null) c.kill('SIGTERM');
}
process.on('exit', stopAll);

async function startStandin(): Promise<string> {
  if (process.env['MONGO_URL']) return process.env['MONGO_URL'];
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), '--tsconfig', join(ROOT, 'tools/tsconfig.json'), join(ROOT, 'libs/mongo-standin/src/cli.ts'), '--port', '0'], {
    cwd: ROOT,
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

function worker(uri: string): { child: ChildProcess; done: Promise<{ created: number; existing: number; ms: number } | null> } {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), '--tsconfig', TSX_CONFIG, join(__dirname, 'generate-worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, MONGO_URL: uri, MONGO_DB: DB, DATE, NOW, BATCH: '200' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  const done = new Promise<{ created: number; existing: number; ms: number } | null>((resolve) =>
    child.once('exit', (code) => resolve(code === 0 ? JSON.parse(out.trim().split('\n').pop() as string) : null)),
  );
  return { child, done };
}

async function main() {
  const uri = await startStandin();
  const conn = await mongoose.createConnection(uri, { dbName: DB }).asPromise();
  const contracts = conn.model('InstitutionalContract', ContractSchema);
  const callOffs = conn.model('InstitutionalCallOff', CallOffSchema);
  const items = conn.model('CatalogueItem', CatalogueItemSchema);
  await Promise.all([contracts.createIndexes(), callOffs.createIndexes(), items.createIndexes()]);

  // Fixture: three certified products and the contracts (written directly: this measures generation).
  const cert = { certificateId: 'c', mark: 'kaiping', status: 'active', colour: 'green', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2099-01-01T00:00:00.000Z' };
  const products = ['rice', 'eggs', 'veg'].map((k, i) => ({ _id: `p-${k}`, merchantId: 'm', nameZh: k, categoryId: `agri.${k}`, temperatureClass: 'chilled', listed: true, skus: [{ skuId: `s-${k}`, specZh: '件', unit: '件', priceFen: 1000 + i }], certVersion: 1, certificates: [cert] }));
  await items.insertMany(products);
  const t0 = performance.now();
  const docs: ContractDoc[] = [];
  for (let c = 0; c < CONTRACTS; c++) {
    docs.push({
      _id: `ct-${String(c).padStart(5, '0')}`,
      orgId: `org-${c}`,
      number: `BENCH-${c}`,
      titleZh: '基准合同',
      status: 'active',
      validFrom: '2026-01-01',
      validUntil: '2027-12-31',
      lines: products.map((p) => ({ lineId: p._id, productId: p._id, skuId: p.skus[0].skuId, nameZh: p.nameZh, specZh: '件', categoryId: p.categoryId, temperatureClass: 'chilled', unitPriceFen: 2000, minQuantity: 1, maxQuantity: 100, unitGrams: 1000 })),
      substitutionPolicy: 'approve',
      schedules: Array.from({ length: SITES }, (_, s) => ({ scheduleId: `s${s}`, siteId: `site-${c}-${s}`, frequency: 'daily' as const, weekdays: [1, 2, 3, 4, 5], window: { from: '06:30', until: '08:00' }, cutoff: { daysBefore: 1, time: '16:00' }, quantities: products.map((p) => ({ lineId: p._id, quantity: 5 })) })),
      history: [],
      version: 1,
      createdAt: new Date(),
    });
    if (docs.length === 500) await contracts.insertMany(docs.splice(0));
  }
  if (docs.length) await contracts.insertMany(docs);
  const expected = CONTRACTS * SITES;
  console.log(`fixture: ${CONTRACTS} contracts × ${SITES} sites (${expected} call-offs expected for ${DATE}) loaded in ${Math.round(performance.now() - t0)} ms`);

  const duplicates = async () =>
    (await callOffs.aggregate([{ $group: { _id: { c: '$contractId', s: '$siteId', d: '$deliveryDate', ch: '$channel' }, n: { $sum: 1 } } }, { $match: { n: { $gt: 1 } } }]).exec()).length;
  const count = () => callOffs.countDocuments({ deliveryDate: DATE }).exec();
  const reset = () => callOffs.deleteMany({}).exec();

  // 1. One run.
  const single = await worker(uri).done;
  console.log(`single run: ${single?.created} created in ${single?.ms} ms (${single ? Math.round((single.created / single.ms) * 1000) : 0} call-offs/s); count ${await count()}, duplicates ${await duplicates()}`);
  const rerun = await worker(uri).done;
  console.log(`same job again: ${rerun?.created} created, ${rerun?.existing} found existing, ${rerun?.ms} ms; count ${await count()}, duplicates ${await duplicates()}`);

  // 2. Two runs at once.
  await reset();
  const [a, b] = await Promise.all([worker(uri).done, worker(uri).done]);
  console.log(`two concurrent runs: created ${a?.created} + ${b?.created} = ${(a?.created ?? 0) + (b?.created ?? 0)} (slowest ${Math.max(a?.ms ?? 0, b?.ms ?? 0)} ms); count ${await count()}, duplicates ${await duplicates()}`);

  // 3. kill -9 mid-run, then the retry.
  await reset();
  const victim = worker(uri);
  for (;;) {
    const n = await count();
    if (n >= expected / 3) break;
    if (victim.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  victim.child.kill('SIGKILL');
  await victim.done;
  const atKill = await count();
  const retry = await worker(uri).done;
  console.log(`kill -9 at ${atKill}/${expected}, then a retry: created ${retry?.created}, existing ${retry?.existing}; count ${await count()}, duplicates ${await duplicates()}`);

  await conn.dropDatabase();
  await conn.close();
}

main().then(
  () => {
    stopAll();
    process.exit(0);
  },
  (e) => {
    console.error(e);
    stopAll();
    process.exit(1);
  },
);
