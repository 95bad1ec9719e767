import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import mongoose, { Schema } from 'mongoose';
import { RunningMongoStandin, startMongoStandin } from './server';

const { MongoClient } = mongoose.mongo;
const { Decimal128 } = mongoose.mongo.BSON;

/** Behaviour specific to the stand-in (refusals, clocks, journal): runs against its own instance. */
describe('mongo-standin specifics', () => {
  let clockMs = Date.UTC(2026, 10, 23, 12, 0, 0);
  let standin: RunningMongoStandin;
  let client: InstanceType<typeof MongoClient>;

  beforeAll(async () => {
    standin = await startMongoStandin({ now: () => clockMs, transactionLifetimeLimitSeconds: 60 });
    client = await new MongoClient(standin.uri).connect();
  });
  afterAll(async () => {
    await client.close();
    await standin.stop();
  });

  it('drops a connection that sends malformed BSON and keeps serving others', async () => {
    const socket = net.connect(standin.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const garbage = Buffer.alloc(40, 0xff);
    garbage.writeInt32LE(40, 0);
    garbage.writeInt32LE(2013, 12); // OP_MSG
    garbage.writeUInt32LE(0, 16);
    garbage[20] = 0; // body section with a nonsense document
    socket.write(garbage);
    await closed;
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
  });

  it('publishes a replica-set URI without a database name', () => {
    expect(standin.uri).toBe(`mongodb://127.0.0.1:${standin.port}/?replicaSet=rs0`);
  });

  it.each([
    ['$text', { $text: { $search: '鹅' } }, /\$text/],
    ['$where', { $where: 'this.a > 1' }, /\$where/],
    ['$jsonSchema', { $jsonSchema: { required: ['a'] } }, /\$jsonSchema/],
    ['$near', { loc: { $near: [0, 0] } }, /geospatial/],
  ])('refuses %s queries loudly', async (_name, filter, message) => {
    const coll = client.db('refusals').collection('c');
    await coll.insertOne({ a: 1 });
    await expect(coll.find(filter).toArray()).rejects.toMatchObject({ code: 238, codeName: 'NotImplemented', message });
  });

  it('refuses collation, change streams, validators, text indexes and $out', async () => {
    const db = client.db('refusals');
    const coll = db.collection('c');
    await expect(coll.find({}, { collation: { locale: 'zh' } }).toArray()).rejects.toThrow(/collation/);
    await expect(coll.updateOne({ a: 1 }, { $set: { b: 1 } }, { collation: { locale: 'zh' } })).rejects.toThrow(/collation/);
    await expect(coll.aggregate([{ $changeStream: {} }]).toArray()).rejects.toThrow(/change streams/);
    const stream = coll.watch();
    await expect(stream.tryNext()).rejects.toThrow(/change streams/);
    await stream.close().catch(() => undefined);
    await expect(db.createCollection('validated', { validator: { $jsonSchema: { required: ['a'] } } })).rejects.toThrow(/validator/);
    await expect(coll.createIndex({ body: 'text' })).rejects.toThrow(/text/);
    await expect(coll.aggregate([{ $out: 'copy' }]).toArray()).rejects.toThrow(/\$out/);
    await expect(db.command({ mapReduce: 'c' })).rejects.toThrow(/mapReduce/);
  });

  it('refuses Decimal128 values instead of storing them wrongly', async () => {
    const coll = client.db('refusals').collection('money');
    await expect(coll.insertOne({ price: Decimal128.fromString('9.99') })).rejects.toThrow(/Decimal128/);
    expect(await coll.countDocuments()).toBe(0);
  });

  it('fails clearly when the URI carries credentials', async () => {
    const withCredentials = standin.uri.replace('mongodb://', 'mongodb://alice:secret@');
    const authClient = new MongoClient(withCredentials, { serverSelectionTimeoutMS: 2000 });
    await expect(authClient.connect()).rejects.toThrow(/does not implement authentication/);
    await authClient.close();
  });

  it('expires documents through TTL indexes (injected clock)', async () => {
    const coll = client.db('ttl').collection('sessions');
    await coll.createIndex({ lastSeen: 1 }, { expireAfterSeconds: 3600 });
    await coll.insertMany([
      { who: 'old', lastSeen: new Date(clockMs - 2 * 3600_000) },
      { who: 'fresh', lastSeen: new Date(clockMs - 60_000) },
      { who: 'no-date', lastSeen: 'yesterday' },
    ]);
    expect(standin.runTtlMonitor()).toBe(1);
    expect((await coll.find().toArray()).map((d) => d['who']).sort()).toEqual(['fresh', 'no-date']);
    clockMs += 3600_000;
    expect(standin.runTtlMonitor()).toBe(1);
    expect((await coll.find().toArray()).map((d) => d['who'])).toEqual(['no-date']);
  });

  it('aborts transactions that outlive the lifetime limit', async () => {
    const coll = client.db('lifetime').collection('c');
    await coll.insertOne({ _id: 'x' as never, v: 1 });
    const session = client.startSession();
    try {
      session.startTransaction();
      await coll.updateOne({ _id: 'x' as never }, { $set: { v: 2 } }, { session });
      clockMs += 61_000;
      expect(standin.expireTransactions()).toBe(1);
      const error = await coll.updateOne({ _id: 'x' as never }, { $set: { v: 3 } }, { session }).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: 251, message: expect.stringMatching(/transactionLifetimeLimitSeconds/) });
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect((await coll.findOne({ _id: 'x' as never }))?.['v']).toBe(1);
    // A plain write to the row is no longer blocked by the dead transaction.
    await coll.updateOne({ _id: 'x' as never }, { $set: { v: 4 } });
    expect((await coll.findOne({ _id: 'x' as never }))?.['v']).toBe(4);
  });

  it('drops a plain write parked behind a transaction when its client disconnects (mongod kills its operation)', async () => {
    const coll = client.db('parked').collection('c');
    await coll.insertOne({ _id: 'held' as never, v: 1 });
    const session = client.startSession();
    try {
      session.startTransaction();
      await coll.updateOne({ _id: 'held' as never }, { $set: { v: 2 } }, { session });
      const other = await new MongoClient(standin.uri).connect();
      const parked = other
        .db('parked')
        .collection('c')
        .updateOne({ _id: 'held' as never }, { $set: { v: 99 } })
        .then(() => 'written', () => 'failed');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await other.close(); // closes the connection the parked write is waiting on
      expect(await parked).toBe('failed');
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // parked writes resume on the next turn
    expect((await coll.findOne({ _id: 'held' as never }))?.['v']).toBe(2);
  });

  it('lets a multi-document plain write that already changed documents win over a transaction (documented divergence)', async () => {
    const coll = client.db('plainwins').collection('c');
    await coll.insertMany([{ _id: 'free' as never, v: 1 }, { _id: 'held' as never, v: 1 }]);
    const session = client.startSession();
    try {
      session.startTransaction();
      await coll.updateOne({ _id: 'held' as never }, { $set: { v: 2 } }, { session });
      await coll.updateMany({}, { $set: { v: 10 } }); // writes 'free' first, then meets 'held'
      const error = await session.commitTransaction().then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: 112 });
      expect((error as { hasErrorLabel(l: string): boolean }).hasErrorLabel('TransientTransactionError')).toBe(true);
    } finally {
      await session.endSession();
    }
    expect((await coll.find().toArray()).map((d) => d['v'])).toEqual([10, 10]);
  });
});

describe('journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mongo-standin-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function withConnection<T>(journalPath: string, work: (conn: mongoose.Connection) => Promise<T>): Promise<[T, RunningMongoStandin]> {
    const standin = await startMongoStandin({ journalPath });
    const conn = await mongoose.createConnection(standin.uri, { dbName: 'shop' }).asPromise();
    try {
      return [await work(conn), standin];
    } finally {
      await conn.close();
    }
  }

  const productSchema = new Schema({ sku: { type: String, unique: true }, stock: Number });

  it('replays data, indexes and committed transactions after a clean restart, and compacts the file', async () => {
    const journalPath = path.join(dir, 'journal.ndjson');
    const [, first] = await withConnection(journalPath, async (conn) => {
      const Product = conn.model('Product', productSchema);
      await Product.init();
      await Product.create([{ sku: 'goose', stock: 10 }, { sku: 'rice', stock: 3 }]);
      for (let i = 0; i < 20; i++) await Product.updateOne({ sku: 'goose' }, { $inc: { stock: -1 } });
      await conn.transaction(async (session) => {
        await Product.updateOne({ sku: 'rice' }, { $inc: { stock: 100 } }, { session });
      });
      await Product.deleteOne({ sku: 'nothing' });
    });
    const linesBefore = fs.readFileSync(journalPath, 'utf8').trim().split('\n').length;
    await first.stop();
    const linesAfter = fs.readFileSync(journalPath, 'utf8').trim().split('\n').length;
    expect(linesAfter).toBeLessThan(linesBefore);

    const [state, second] = await withConnection(journalPath, async (conn) => {
      const Product = conn.model('Product', productSchema);
      const docs = await Product.find().sort({ sku: 1 }).lean();
      const duplicate = await Product.create({ sku: 'goose', stock: 1 }).then(() => undefined, (e: unknown) => e);
      return { docs: docs.map((d) => [d.sku, d.stock]), duplicate };
    });
    await second.stop();
    expect(state.docs).toEqual([
      ['goose', -10],
      ['rice', 103],
    ]);
    expect(state.duplicate).toMatchObject({ code: 11000 });
  });

  it('survives a crash: every acknowledged write is replayed and a torn last line is ignored', async () => {
    const journalPath = path.join(dir, 'crash.ndjson');
    const [, crashed] = await withConnection(journalPath, async (conn) => {
      const Product = conn.model('Product', productSchema);
      await Product.init();
      await Product.create({ sku: 'tea', stock: 5 });
      await Product.updateOne({ sku: 'tea' }, { $set: { stock: 6 } });
    });
    // Simulate a crash: copy the journal as it is now, without the compaction of a clean stop.
    const crashCopy = path.join(dir, 'crash-copy.ndjson');
    fs.copyFileSync(journalPath, crashCopy);
    fs.appendFileSync(crashCopy, '{"op":"writes","writes":[{"db":"sh');
    await crashed.stop();
    const [docs, recovered] = await withConnection(crashCopy, async (conn) => conn.model('Product', productSchema).find().lean());
    await recovered.stop();
    expect(docs.map((d) => [d.sku, d.stock])).toEqual([['tea', 6]]);
  });
});

describe('cli', () => {
  it('prints its URI when ready and stops on SIGTERM', async () => {
    const cli = path.join(__dirname, '..', 'cli.ts');
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.once('exit', (code) => reject(new Error(`cli exited early with ${code}`)));
    });
    expect(line).toMatch(/^mongo-standin listening mongodb:\/\/127\.0\.0\.1:\d+\/\?replicaSet=rs0$/);
    const uri = line.replace('mongo-standin listening ', '');
    const client = await new MongoClient(uri).connect();
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    await client.close();
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(exitCode).toBe(0);
  });
});
