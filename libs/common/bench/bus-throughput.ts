/**
 * Redis Streams transport benchmark: one producer, one consumer group (one consumer), real
 * redis-server. Prints end-to-end throughput and publish-to-handled latency (p50/p99), both
 * flat out (throughput; latency then includes queueing) and at a steady rate below saturation.
 *
 *   npx tsx --tsconfig tools/tsconfig.json libs/common/bench/bus-throughput.ts [events=20000]
 */
import { lastValueFrom } from 'rxjs';
import { startRedis } from '@techan/local-stack';
import { createEvent, EVENT_TYPES, RedisStreamsClient, RedisStreamsServer, type EventEnvelope } from '../src';

const TYPE = EVENT_TYPES.ProductUpserted;
const total = Number(process.argv[2] ?? 20_000);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(label: string, redisUrl: string, prefix: string, count: number, ratePerSec?: number) {
  const client = new RedisStreamsClient({ redisUrl, partitions: 4, prefix });
  const server = new RedisStreamsServer({ redisUrl, group: 'bench', partitions: 4, prefix });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  server.addHandler(TYPE, async (e: EventEnvelope) => {
    latencies.push(performance.now() - (sentAt.get(e.id) ?? NaN));
    if (latencies.length === count) done();
  }, true);
  await new Promise<void>((r) => server.listen(() => r()));
  await client.connect();

  const events = Array.from({ length: count }, (_, i) =>
    createEvent(TYPE, `p-${i % 500}`, { productId: `p-${i % 500}`, merchantId: 'm-1', name: '马冈鹅', updatedAt: new Date().toISOString() }, { source: 'bench' }),
  );
  const started = performance.now();
  if (ratePerSec) {
    const interval = 1000 / ratePerSec;
    for (let i = 0; i < count; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      sentAt.set(events[i].id, performance.now());
      void lastValueFrom(client.emit(TYPE, events[i]));
    }
  } else {
    const inFlight = 64; // publishers pipeline like the outbox relay would across services
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const e = events[next++];
        sentAt.set(e.id, performance.now());
        await lastValueFrom(client.emit(TYPE, e));
      }
    }));
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(28)} ${count} events in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} events/s; ` +
      `latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
  );
  await server.close();
  await client.close();
}

async function main() {
  const redis = await startRedis();
  try {
    await run('flat out', redis.url, 'bench-a', total);
    await run('steady 1000 events/s', redis.url, 'bench-b', Math.min(total, 10_000), 1000);
  } finally {
    await redis.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
