import { spawn } from 'node:child_process';
import * as path from 'node:path';
import mongoose from 'mongoose';
import { freshMongoUri } from '../testing';

/**
 * What mongod does with the open transaction of a client that died (kill -9): nothing, until
 * transactionLifetimeLimitSeconds. A closed connection does not end the session; a plain write to a
 * document the dead transaction wrote waits until the transaction is aborted for its age, then
 * succeeds, and the dead transaction's write is gone.
 */
describe('a crashed client with an open transaction', () => {
  const uri = freshMongoUri('deadclient');
  let client: InstanceType<typeof mongoose.mongo.MongoClient>;
  let previousLimit = 60;

  beforeAll(async () => {
    client = await new mongoose.mongo.MongoClient(uri).connect();
    const admin = client.db('admin');
    previousLimit = ((await admin.command({ getParameter: 1, transactionLifetimeLimitSeconds: 1 }))['transactionLifetimeLimitSeconds'] as number) ?? 60;
    await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 2 });
  });
  afterAll(async () => {
    await client.db('admin').command({ setParameter: 1, transactionLifetimeLimitSeconds: previousLimit });
    await client.db().dropDatabase();
    await client.close();
  });

  /** Starts a process that opens a transaction writing `stock: 0` to the document, then is killed with SIGKILL. */
  async function crashInsideTransaction(): Promise<void> {
    const script = `
      const { MongoClient } = require('mongodb');
      (async () => {
        const client = await new MongoClient(${JSON.stringify(uri)}).connect();
        const session = client.startSession();
        session.startTransaction();
        await client.db().collection('stock').updateOne({ _id: 'goose' }, { $set: { stock: 0, by: 'dead client' } }, { session });
        process.stdout.write('in transaction\\n');
        setInterval(() => undefined, 1000);
      })();`;
    const child = spawn(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../../../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('in transaction') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    await new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  it('keeps blocking plain writes to its documents until the lifetime limit, then aborts it', async () => {
    const stock = client.db().collection<{ _id: string; stock: number; by?: string }>('stock');
    await stock.insertOne({ _id: 'goose', stock: 10 });
    await crashInsideTransaction();
    const started = Date.now();
    await stock.updateOne({ _id: 'goose' }, { $inc: { stock: -1 } });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThan(300); // it waited for the dead transaction ...
    expect(waited).toBeLessThan(15_000); // ... until the 2 s lifetime limit, not the default 60 s
    expect(await stock.findOne({ _id: 'goose' })).toEqual({ _id: 'goose', stock: 9 }); // the dead write is gone
  });
});
