import { testBusEnv } from '@techan/local-stack';
import type { SASLOptions } from 'kafkajs';
import type { EventEnvelope } from '../../contracts/envelope';
import { kafkaHarness, type TransportHarness } from './harness';
import { waitFor } from './wait-for';

/**
 * The event-bus contract: Kafka on the run's stand-in (SASL as the bus admin), or on the cluster
 * named by KAFKA_BROKERS. (Redis Streams passed it too until it was retired: one production transport.)
 */
function kafkaFromEnv(): { brokers: string[]; sasl?: SASLOptions } {
  const env = testBusEnv('admin');
  const sasl = env['KAFKA_SASL_MECHANISM']
    ? ({ mechanism: env['KAFKA_SASL_MECHANISM'], username: env['KAFKA_USERNAME'], password: env['KAFKA_PASSWORD'] } as SASLOptions)
    : undefined;
  return { brokers: env['KAFKA_BROKERS'].split(','), sasl };
}

type Factory = () => Promise<{ harness: TransportHarness; teardown: () => Promise<void> }>;
const transports: [string, Factory][] = [
  [
    'Kafka',
    async () => {
      const { brokers, sasl } = kafkaFromEnv();
      const harness = kafkaHarness(brokers, sasl);
      return { harness, teardown: () => harness.close() };
    },
  ],
];

describe.each(transports)('event bus contract: %s', (_name, factory) => {
  let bus: TransportHarness;
  let teardown: () => Promise<void>;
  let groupNo = 0;
  const group = () => `g${++groupNo}`;

  beforeAll(async () => ({ harness: bus, teardown } = await factory()));
  afterAll(() => teardown());

  async function twoConsumersBalanced(g: string, handler: (c: number) => (e: EventEnvelope<{ productId: string; name: string }>) => Promise<void>) {
    const a = await bus.consume(g, handler(0));
    const b = await bus.consume(g, handler(1));
    return [a, b];
  }

  it('fans out every event to each consumer group', async () => {
    const seen = { a: new Set<string>(), b: new Set<string>() };
    const ga = group(), gb = group();
    // New groups replay history (other tests' events too): each test looks only at its own subjects.
    await bus.consume(ga, async (e) => void (e.subject.startsWith('fan-') && seen.a.add(e.id)));
    await bus.consume(gb, async (e) => void (e.subject.startsWith('fan-') && seen.b.add(e.id)));
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await bus.publish(`fan-${i}`, '马冈鹅')).id);
    await waitFor('both groups to see all 20', () => seen.a.size === 20 && seen.b.size === 20);
    expect([...seen.a].sort()).toEqual([...ids].sort());
    expect([...seen.b].sort()).toEqual([...ids].sort());
  });

  it('balances load inside a group: each event handled by exactly one member', async () => {
    const handledBy: string[][] = [[], []];
    await twoConsumersBalanced(group(), (c) => async (e) => void (e.subject.startsWith('lb-') && handledBy[c].push(e.subject)));
    for (let i = 0; i < 60; i++) await bus.publish(`lb-${i}`, '大沙茶');
    await waitFor('60 events handled', () => handledBy[0].length + handledBy[1].length >= 60);
    await new Promise((r) => setTimeout(r, 300));
    const all = [...handledBy[0], ...handledBy[1]];
    expect(all).toHaveLength(60);
    expect(new Set(all).size).toBe(60);
    expect(handledBy[0].length).toBeGreaterThan(0);
    expect(handledBy[1].length).toBeGreaterThan(0);
  });

  it('redelivers after a handler failure and acknowledges only after success', async () => {
    const attempts = new Map<string, number>();
    const succeeded: string[] = [];
    const g = group();
    await bus.consume(g, async (e) => {
      if (!e.subject.startsWith('retry-')) return; // a new group replays other tests' events too
      const n = (attempts.get(e.id) ?? 0) + 1;
      attempts.set(e.id, n);
      if (n < 3) throw new Error(`transient failure ${n}`);
      succeeded.push(e.id);
    }, { maxAttempts: 5, backoffBaseMs: 10, backoffMaxMs: 50 });
    const event = await bus.publish('retry-1', '丝苗米');
    await waitFor('success on the third attempt', () => succeeded.includes(event.id));
    expect(attempts.get(event.id)).toBe(3);
    expect(await bus.deadLetters(g)).toEqual([]);
  });

  it('dead-letters after N failures and malformed messages, and keeps consuming', async () => {
    const g = group();
    const handled: string[] = [];
    let poisonAttempts = 0;
    await bus.consume(g, async (e) => {
      if (e.data.name === 'poison') {
        poisonAttempts++;
        throw new Error('cannot process poison');
      }
      handled.push(e.data.name);
    });
    await bus.publish('dlq-1', 'poison');
    await bus.publishRaw('{not json');
    await bus.publishRaw(JSON.stringify({ specversion: '1.0', id: 'x', type: 'techan.catalog.product-upserted.v1', source: 's', subject: 'p', time: new Date().toISOString(), data: { productId: 'p' } }));
    await bus.publish('dlq-1', 'after-poison');
    await waitFor('the event after the poison one', () => handled.includes('after-poison'), 15_000);
    const letters = await bus.deadLetters(g);
    expect(poisonAttempts).toBe(3);
    const reasons = letters.map((l) => l.reason).join('\n');
    expect(reasons).toMatch(/handler failed 3 times: Error: cannot process poison/);
    expect(reasons).toMatch(/not JSON/);
    expect(reasons).toMatch(/data: (merchantId|name)/);
    expect(letters).toHaveLength(3);
  });

  it('keeps per-key order under concurrency across group members', async () => {
    const seen = new Map<string, number[]>();
    await twoConsumersBalanced(group(), () => async (e) => {
      if (!e.subject.startsWith('order-')) return;
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      const [key, seq] = [e.subject, Number(e.data.name)];
      seen.set(key, [...(seen.get(key) ?? []), seq]);
    });
    const keys = Array.from({ length: 6 }, (_, k) => `order-${k}`);
    await Promise.all(keys.map(async (key) => {
      for (let seq = 0; seq < 25; seq++) await bus.publish(key, String(seq));
    }));
    await waitFor('all 150 events', () => [...seen.values()].reduce((n, s) => n + s.length, 0) >= 150, 20_000);
    for (const key of keys) expect(seen.get(key)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('replays history for a new group', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await bus.publish(`replay-${i}`, '禽蛋')).id);
    const replayed = new Set<string>();
    await bus.consume(group(), async (e) => void replayed.add(e.id));
    await waitFor('the new group to replay the 10 events', () => ids.every((id) => replayed.has(id)), 15_000);
  });

  it('loses nothing across a graceful restart or a crash of a consumer', async () => {
    const g = group();
    const handled = new Set<string>();
    let slow = true;
    const handler = async (e: EventEnvelope<{ productId: string; name: string }>) => {
      if (slow) await new Promise((r) => setTimeout(r, 20));
      handled.add(e.id);
    };
    const first = await bus.consume(g, handler);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await bus.publish(`restart-${i % 8}`, String(i))).id);
    await waitFor('some progress', () => handled.size >= 5);
    await first.stop();
    const second = await bus.consume(g, handler);
    await waitFor('the rest after a graceful restart', () => ids.every((id) => handled.has(id)), 15_000);

    // A consumer that dies (SIGKILL) holding unacknowledged messages: the next one takes them over.
    slow = false;
    const doomed = await bus.consumeInChild(g + '-crash', 'crash-');
    const crashIds: string[] = [];
    for (let i = 0; i < 10; i++) crashIds.push((await bus.publish(`crash-${i}`, String(i))).id);
    await waitFor('the doomed consumer to hold some of them', () => doomed.holding.size > 0);
    await doomed.kill();
    await bus.consume(g + '-crash', async (e) => void handled.add(`crash:${e.id}`));
    await waitFor('the dead consumer\'s messages to be reclaimed', () => crashIds.every((id) => handled.has(`crash:${id}`)), bus.failoverMs + 15_000);
    await second.stop();
  });
});
