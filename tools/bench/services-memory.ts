/**
 * Resident memory of each service at idle and under load, on the local stack.
 * Starts redis-server, the MongoDB and Kafka stand-ins and the four built services (run `npx nx run-many -t build`
 * first), measures RSS after start-up, then drives load for LOAD_SECONDS: events on the bus that the
 * services consume (product-status-changed → catalog, product-upserted → certification) at the
 * rate of the bus benchmark, plus HTTP requests against each service; prints peak RSS per service.
 *
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/services-memory.ts [loadSeconds=20] [eventsPerSecond=1000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { lastValueFrom } from 'rxjs';
import { createEvent, EVENT_TYPES, KafkaEventClient, signToken, DEMO_USERS } from '@techan/common';
import { busOptionsFrom } from '@techan/common/testing';
import { startMongoStandin } from '@techan/mongo-standin';
import { freePort, localBusEnv, startLocalKafka, startRedis, waitHealthy } from '@techan/local-stack';

const ROOT = resolve(__dirname, '../..');
const LOAD_SECONDS = Number(process.argv[2] ?? 20);
const RATE = Number(process.argv[3] ?? 1000);
const SECRET = 'bench-secret-0123456789abcdef0123456789';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main() {
  const redis = await startRedis();
  const mongo = await startMongoStandin();
  const kafka = await startLocalKafka();
  const services = ['catalog', 'orders', 'logistics', 'certification'];
  const running: { name: string; url: string; child: ChildProcess }[] = [];
  const ports = new Map<string, number>();
  for (const name of services) ports.set(name, await freePort());
  for (const name of services) {
    const port = ports.get(name)!;
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps', name, 'main.js')], {
      env: { ...process.env, PORT: String(port), MONGO_URL: mongo.uri, REDIS_URL: redis.url, ...localBusEnv(kafka.brokers, name), JWT_SECRET: SECRET, LOG_LEVEL: 'warn', SWEEP_INTERVAL_MS: '0', CERTIFICATION_URL: `http://127.0.0.1:${ports.get('certification')}` },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    running.push({ name, url: `http://127.0.0.1:${port}`, child });
  }
  await Promise.all(running.map((s) => waitHealthy(s.url, { child: s.child })));
  await new Promise((r) => setTimeout(r, 5_000));
  const idle = Object.fromEntries(running.map((s) => [s.name, rssMb(s.child.pid!)]));

  const peak = { ...idle };
  const sampler = setInterval(() => {
    for (const s of running) peak[s.name] = Math.max(peak[s.name], rssMb(s.child.pid!));
  }, 200);

  // The bus admin stands in for catalog and certification (their events, with their names as source).
  const client = new KafkaEventClient(busOptionsFrom(localBusEnv(kafka.brokers, 'admin'), 'techan', 'bench'));
  let published = 0;
  const publisher = (async () => {
    const end = Date.now() + LOAD_SECONDS * 1000;
    const start = Date.now();
    while (Date.now() < end) {
      const i = published++;
      const now = new Date().toISOString();
      const productId = `bench-p-${i % 2000}`;
      const event = i % 2
        ? createEvent(EVENT_TYPES.ProductUpserted, productId, { productId, merchantId: 'm-bench', name: `马冈鹅 ${i}`, updatedAt: now }, { source: 'catalog' })
        : createEvent(EVENT_TYPES.ProductStatusChanged, productId, { productId, merchantId: 'm-bench', version: i + 1, certificates: [], purchasable: false, reason: 'no_certificate', changedAt: now }, { source: 'certification' });
      void lastValueFrom(client.emit(event.type, event));
      const due = start + (published * 1000) / RATE;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
  })();
  const token = signToken(SECRET, DEMO_USERS['operator']);
  const http = Promise.all(
    running.map((s) =>
      autocannon({ url: `${s.url}/health`, connections: 4, duration: LOAD_SECONDS, headers: { authorization: `Bearer ${token}` } }),
    ),
  );
  const results = await http;
  await publisher;
  await new Promise((r) => setTimeout(r, 2_000));
  clearInterval(sampler);

  console.log(`load: ${LOAD_SECONDS} s, ${published} events at ~${RATE}/s on the bus + HTTP /health on each service (4 connections each)`);
  console.log('service         idle RSS   peak RSS under load   HTTP req/s');
  running.forEach((s, i) =>
    console.log(`${s.name.padEnd(15)} ${idle[s.name].toFixed(0).padStart(5)} MB   ${peak[s.name].toFixed(0).padStart(8)} MB            ${Math.round(results[i].requests.average)}`),
  );
  for (const s of running) s.child.kill('SIGTERM');
  await Promise.all(running.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
  await client.close();
  await mongo.stop();
  await kafka.stop();
  await redis.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
