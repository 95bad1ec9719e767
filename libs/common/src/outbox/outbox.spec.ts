import { createHook } from 'node:async_hooks';
import { freshMongoUri } from '@techan/mongo-standin';
import { newEventPrefix, testBusEnv } from '@techan/local-stack';
import mongoose, { type Connection } from 'mongoose';
import { Observable, throwError, of } from 'rxjs';
import type { EventEnvelope } from '../contracts/envelope';
import { EVENT_TYPES } from '../contracts/registry';
import { KafkaEventClient } from '../bus/kafka.client';
import { KafkaEventServer } from '../bus/kafka.server';
import { busOptionsFrom } from '../testing';
import { waitFor } from '../bus/contract/wait-for';
import { Inbox, Outbox } from './outbox';
import { outboxModels } from './outbox.model';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const product = (name: string) => ({ productId: 'p-1', merchantId: 'm-1', name, updatedAt: new Date().toISOString() });

describe('transactional outbox and inbox', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose.createConnection(freshMongoUri('outbox')).asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('relays an event committed just before a crash, when the next process starts', async () => {
    const prefix = newEventPrefix();
    const client = new KafkaEventClient(busOptionsFrom(testBusEnv('catalog'), prefix, 'outbox-test'));
    const crashed = new Outbox(connection, 'catalog', client, quiet); // its relay never runs: the process "died"
    const Things = connection.model('Thing', new mongoose.Schema({ name: String }));
    const event = await crashed.transaction(async (session) => {
      await Things.create([{ name: '马冈鹅' }], { session });
      return crashed.record(session, EVENT_TYPES.ProductUpserted, 'p-1', product('马冈鹅'));
    });

    const received: EventEnvelope[] = [];
    const consumer = new KafkaEventServer({ ...busOptionsFrom(testBusEnv('orders'), prefix, 'orders'), service: 'orders' });
    consumer.addHandler(EVENT_TYPES.ProductUpserted, async (e: EventEnvelope) => void received.push(e), true);
    consumer.listen(() => undefined);
    await consumer.ready();

    const restarted = new Outbox(connection, 'catalog', client, quiet, { pollMs: 20 });
    restarted.start();
    await waitFor('the relayed event', () => received.length === 1);
    expect(received[0].id).toBe(event.id);
    expect(received[0].data).toEqual(event.data);
    await restarted.stop();
    await consumer.close();
    await client.close();
    expect(await outboxModels(connection).outbox.countDocuments({ status: 'pending' })).toBe(0);
  });

  it('stores nothing when the transaction aborts', async () => {
    const emitted: unknown[] = [];
    const outbox = new Outbox(connection, 'catalog', { emit: (_p, e) => (emitted.push(e), of(undefined)) }, quiet);
    const before = await outboxModels(connection).outbox.countDocuments();
    await expect(
      outbox.transaction(async (session) => {
        await outbox.record(session, EVENT_TYPES.ProductUpserted, 'p-2', product('大沙茶'));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await outboxModels(connection).outbox.countDocuments()).toBe(before);
    expect(await outbox.relayOnce()).toBe(0);
    expect(emitted).toEqual([]);
    await outbox.stop();
  });

  it('leaves no timer running once stopped, so a stopped service can exit at once', async () => {
    const outbox = new Outbox(connection, 'catalog', { emit: () => of(undefined) }, quiet, { pollMs: 20 });
    outbox.start();
    await new Promise((r) => setTimeout(r, 100));
    // Timers our code created while stopping that neither fired nor were cleared (async hooks see both
    // as destroy). The MongoDB driver's own pool maintenance timers come and go on their own.
    const pending = new Map<number, string>();
    const createdBy = (stack: string) => stack.split('\n').find((line, i, lines) => i > 0 && /at setTimeout \(node:timers/.test(lines[i - 1])) ?? '';
    const hook = createHook({
      init: (id, type) => {
        const stack = new Error().stack ?? '';
        if (type === 'Timeout' && !createdBy(stack).includes('node_modules')) pending.set(id, stack);
      },
      destroy: (id) => void pending.delete(id),
    }).enable();
    await outbox.stop();
    await new Promise((r) => setImmediate(r)); // destroy hooks are emitted asynchronously
    hook.disable();
    expect([...pending.values()]).toEqual([]);
  });

  it('refuses to record a malformed event', async () => {
    const outbox = new Outbox(connection, 'catalog', { emit: () => of(undefined) }, quiet);
    await expect(
      outbox.transaction((session) => outbox.record(session, EVENT_TYPES.ProductUpserted, 'p-3', { productId: 'p-3' })),
    ).rejects.toThrow(/merchantId/);
  });

  it('retries failed publishes in order: a later event of the same subject never overtakes, other subjects go on', async () => {
    const { outbox: records } = outboxModels(connection);
    await records.deleteMany({});
    let failures = 2;
    const published: string[] = [];
    const flaky = {
      emit: (_pattern: string, data: unknown): Observable<unknown> => {
        const e = data as EventEnvelope<{ name: string }>;
        if (e.data.name === 'first' && failures > 0) {
          failures--;
          return throwError(() => new Error('broker unavailable'));
        }
        published.push(e.data.name);
        return of(undefined);
      },
    };
    const outbox = new Outbox(connection, 'catalog', flaky, quiet, {
      retry: { maxAttempts: Infinity, backoffBaseMs: 10, backoffMaxMs: 20 },
    });
    await outbox.transaction(async (session) => {
      await outbox.record(session, EVENT_TYPES.ProductUpserted, 'p-4', product('first'));
      await outbox.record(session, EVENT_TYPES.ProductUpserted, 'p-4', product('second'));
      await outbox.record(session, EVENT_TYPES.ProductUpserted, 'p-other', product('other'));
    });
    for (let i = 0; i < 50 && published.length < 3; i++) {
      await outbox.relayOnce();
      await new Promise((r) => setTimeout(r, 15));
    }
    await outbox.stop();
    expect(published).toEqual(['other', 'first', 'second']);
    const first = await records.findOne({ 'envelope.data.name': 'first' }).lean();
    expect(first?.attempts).toBe(2);
    expect(first?.status).toBe('published');
  });

  it('publishes different subjects together but never two events of one subject at once', async () => {
    const { outbox: records } = outboxModels(connection);
    await records.deleteMany({});
    const inFlight: { name: string; ack: () => void }[] = [];
    const acked: string[] = [];
    const held = {
      emit: (_pattern: string, data: unknown): Observable<unknown> =>
        new Observable((subscriber) => {
          const name = (data as EventEnvelope<{ name: string }>).data.name;
          inFlight.push({ name, ack: () => (acked.push(name), subscriber.next(undefined), subscriber.complete()) });
        }),
    };
    const outbox = new Outbox(connection, 'catalog', held, quiet);
    await outbox.transaction(async (session) => {
      await outbox.record(session, EVENT_TYPES.ProductUpserted, 'p-a', product('a1'));
      await outbox.record(session, EVENT_TYPES.ProductUpserted, 'p-a', product('a2'));
      await outbox.record(session, EVENT_TYPES.ProductUpserted, 'p-b', product('b1'));
    });
    const relayed = outbox.relayOnce(true);
    // The heads of both subjects leave together; a2 waits for a1's acknowledgement.
    await waitFor('both subjects in flight', () => inFlight.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(inFlight.map((f) => f.name)).toEqual(['a1', 'b1']);
    inFlight.splice(0).forEach((f) => f.ack());
    await waitFor('a2 in flight', () => inFlight.length === 1);
    expect(inFlight[0].name).toBe('a2');
    inFlight.splice(0).forEach((f) => f.ack());
    expect(await relayed).toBe(3);
    expect(acked).toEqual(['a1', 'b1', 'a2']);
    expect(await records.countDocuments({ status: 'pending' })).toBe(0);
    await outbox.stop();
  });

  it('inbox: a redelivered event changes nothing', async () => {
    const inbox = new Inbox(connection, 'catalog-test');
    const Counter = connection.model('Counter', new mongoose.Schema({ _id: String, n: Number }));
    const event = { id: 'evt-1', type: EVENT_TYPES.ProductUpserted, subject: 'p-5' } as EventEnvelope;
    const apply = () => inbox.once(event, async (session) => {
      await Counter.updateOne({ _id: 'c' }, { $inc: { n: 1 } }, { upsert: true, session });
    });
    expect(await apply()).toBe(true);
    expect(await apply()).toBe(false);
    expect(await Promise.all([apply(), apply()])).toEqual([false, false]);
    expect((await Counter.findById('c').lean())?.n).toBe(1);
  });

  it('inbox: a failed handler leaves no trace, so the redelivery runs it again', async () => {
    const inbox = new Inbox(connection, 'catalog-test');
    const event = { id: 'evt-2', type: EVENT_TYPES.ProductUpserted, subject: 'p-6' } as EventEnvelope;
    await expect(inbox.once(event, async () => { throw new Error('db hiccup'); })).rejects.toThrow('db hiccup');
    let ran = 0;
    expect(await inbox.once(event, async () => void ran++)).toBe(true);
    expect(ran).toBe(1);
  });
});
