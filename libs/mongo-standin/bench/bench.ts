/**
 * Benchmark of the MongoDB stand-in, run as a separate server process so its memory is measured alone:
 *   npx tsx libs/mongo-standin/bench/bench.ts [--docs 100000]
 * Prints inserts/s, findOne by _id/s, indexed equality query/s at N documents, transaction commits/s
 * with 1 and 20 concurrent clients, and the server's resident memory holding the N ~1 KB documents.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BSON, MongoClient, ObjectId } from 'mongodb';

const argDocs = process.argv.indexOf('--docs');
const DOCS = argDocs > 0 ? Number(process.argv[argDocs + 1]) : 100_000;
const FILLER = '丝苗米产自开平，米粒细长，晶莹透亮，煮饭香软。马冈鹅肉质鲜美，大沙茶甘醇回甘。'.repeat(8);

function makeDoc(i: number) {
  return {
    _id: new ObjectId(),
    sku: `SKU-${String(i).padStart(7, '0')}`,
    hall: `hall-${i % 50}`,
    name: `开平优品 ${i}`,
    priceFen: 1000 + (i % 5000),
    stock: i % 300,
    tags: ['开平', i % 2 ? '粮油' : '禽类', `t${i % 17}`],
    origin: { province: '广东', city: '江门', county: '开平' },
    description: FILLER.slice(0, 300 + (i % 20)),
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
  };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function timed(label: string, ops: number, run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = Math.round(ops / seconds);
  console.log(`${label.padEnd(52)} ${String(rate).padStart(8)} ops/s  (${ops} ops in ${seconds.toFixed(2)} s)`);
  return rate;
}

/** Runs `total` operations with `concurrency` workers pulling from a shared counter. */
async function pool(total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
}

async function main(): Promise<void> {
  const cli = path.join(__dirname, '..', 'src', 'cli.ts');
  const server = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /mongo-standin listening (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const pid = server.pid ?? 0;
  console.log(`mongo-standin at ${uri} (pid ${pid}), idle RSS ${rssMb(pid)} MB, ${DOCS} documents of ~${BSON.calculateObjectSize(makeDoc(1))} bytes BSON`);
  const client = await new MongoClient(uri, { maxPoolSize: 20 }).connect();
  try {
    const coll = client.db('bench').collection('products');
    await coll.createIndex({ sku: 1 }, { unique: true });
    await coll.createIndex({ hall: 1, priceFen: -1 });

    await timed('insertOne, 8 concurrent clients (first 10 000)', 10_000, () =>
      pool(10_000, 8, async (i) => {
        await coll.insertOne(makeDoc(i));
      }),
    );
    await timed(`insertMany batches of 1 000 (to ${DOCS} docs)`, DOCS - 10_000, async () => {
      for (let i = 10_000; i < DOCS; i += 1000) {
        await coll.insertMany(Array.from({ length: Math.min(1000, DOCS - i) }, (_, k) => makeDoc(i + k)));
      }
    });
    const rss = rssMb(pid);
    const ids = (await coll.find({}, { projection: { _id: 1 } }).limit(5000).toArray()).map((d) => d._id);

    await timed(`findOne by _id at ${DOCS} docs, 8 clients`, 10_000, () =>
      pool(10_000, 8, async (i) => {
        if (!(await coll.findOne({ _id: ids[(i * 7919) % ids.length] }))) throw new Error('missing');
      }),
    );
    await timed(`indexed equality findOne({sku}) at ${DOCS} docs, 8 clients`, 10_000, () =>
      pool(10_000, 8, async (i) => {
        const sku = `SKU-${String((i * 7919) % DOCS).padStart(7, '0')}`;
        if (!(await coll.findOne({ sku }))) throw new Error('missing');
      }),
    );
    await timed(`indexed hall + sort priceFen limit 20 at ${DOCS} docs`, 1_000, () =>
      pool(1_000, 8, async (i) => {
        await coll.find({ hall: `hall-${i % 50}` }).sort({ priceFen: -1 }).limit(20).toArray();
      }),
    );
    await timed(`UNINDEXED equality (full scan) at ${DOCS} docs`, 20, () =>
      pool(20, 1, async (i) => {
        await coll.findOne({ name: `开平优品 ${DOCS - 1 - i}` });
      }),
    );

    await timed(`updateOne by _id ($inc, $set, $push + $slice) at ${DOCS} docs, 8 clients`, 10_000, () =>
      pool(10_000, 8, async (i) => {
        const r = await coll.updateOne(
          { _id: ids[(i * 7919) % ids.length] },
          { $inc: { stock: 1 }, $set: { 'origin.town': `town-${i % 6}` }, $push: { tags: { $each: [`u${i % 9}`], $slice: -5 } } },
        );
        if (r.matchedCount !== 1) throw new Error('missing');
      }),
    );
    await timed(`updateOne by sku, positional tags.$, 8 clients`, 5_000, () =>
      pool(5_000, 8, async (i) => {
        const sku = `SKU-${String((i * 7919) % DOCS).padStart(7, '0')}`;
        await coll.updateOne({ sku, tags: '开平' }, { $set: { 'tags.$': '开平' } });
      }),
    );

    const wallets = client.db('bench').collection('wallets');
    await wallets.insertMany(Array.from({ length: 40 }, (_, i) => ({ _id: i as never, fen: 1_000_000 })));
    const transfer = async (from: number, to: number) => {
      const session = client.startSession();
      try {
        await session.withTransaction(async () => {
          await wallets.updateOne({ _id: from as never }, { $inc: { fen: -1 } }, { session });
          await wallets.updateOne({ _id: to as never }, { $inc: { fen: 1 } }, { session });
        });
      } finally {
        await session.endSession();
      }
    };
    await timed('transaction commits (2 updates each), 1 client', 1_000, () => pool(1_000, 1, (i) => transfer(i % 2, 1 - (i % 2))));
    await timed('transaction commits, 20 clients (disjoint documents)', 2_000, () =>
      pool(2_000, 20, (i) => transfer(2 * (i % 20), 2 * (i % 20) + 1)),
    );
    await timed('transaction commits, 20 clients (one hot pair, retries)', 500, () => pool(500, 20, () => transfer(0, 1)));
    const total = (await wallets.find().toArray()).reduce((sum, w) => sum + (w['fen'] as number), 0);
    if (total !== 40_000_000) throw new Error(`money was created or lost: ${total}`);

    const mem = (await client.db('admin').command({ serverStatus: 1 }))['mem'] as { heapUsed: number };
    console.log(
      `server RSS holding ${await coll.countDocuments()} documents: ${rss} MB after load, ${rssMb(pid)} MB at the end ` +
        `(V8 heap in use ${mem.heapUsed} MB, garbage included)`,
    );
  } finally {
    await client.close();
    server.kill('SIGTERM');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
