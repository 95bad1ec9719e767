/**
 * Event-bus and Kafka stand-in benchmark (one run, one machine; figures go in the README):
 *  1. Kafka transport (KafkaEventClient → stand-in → KafkaEventServer, one producer, one group in its own
 *     process, as services run):
 *     events/s end to end flat out, and publish→handled p50/p99 at a steady 1 000 events/s.
 *     (Until Redis Streams was retired it was measured beside Kafka here; its last figures are in
 *     libs/kafka-standin/README.md.)
 *  2. Stand-in RSS holding N retained 1 KB events (default 1 000 000) and its start-up time with that log.
 *  3. kill -9 of the stand-in during an acks=all produce burst: acknowledged messages lost (must be 0)
 *     and the time until the consumer handles new messages again.
 *
 *   [BENCH_SECTIONS=1,2,3] nice -n 10 npx tsx --tsconfig tools/tsconfig.json libs/common/bench/kafka-bus.ts [events=20000] [retained=1000000]
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { createEvent, EVENT_TYPES, KafkaEventClient, KafkaEventServer, type EventEnvelope } from '../src';
import { freePort } from '@techan/local-stack';

const TYPE = EVENT_TYPES.ProductUpserted;
const total = Number(process.argv[2] ?? 20_000);
const retained = Number(process.argv[3] ?? 1_000_000);
const CLI = resolve(__dirname, '../../kafka-standin/src/cli.ts');

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** The stand-in as its own process (as `npm start` runs it), so RSS and kill -9 are real. */
async function spawnStandin(dataDir: string, port: number): Promise<{ child: ChildProcess; startedMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--data', dataDir, '--port', String(port), '--initial-rebalance-delay-ms', '0', '--partitions', '4', '--quiet', 'true'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: resolve(__dirname, '../../..'),
  });
  await new Promise<void>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening')) res();
    });
    child.stderr!.resume();
    child.once('exit', (code) => rej(new Error(`stand-in exited ${code}`)));
  });
  return { child, startedMs: performance.now() - t0 };
}

const stopChild = (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') =>
  new Promise<void>((res) => {
    if (child.exitCode !== null || child.signalCode) return res();
    child.once('exit', () => res());
    child.kill(signal);
  });

const event = (i: number) =>
  createEvent(TYPE, `p-${i % 500}`, { productId: `p-${i % 500}`, merchantId: 'm-1', name: '马冈鹅', updatedAt: new Date().toISOString() }, { source: 'catalog' });

/** One side of a transport: the producer here, the consumer in a child process (as services run). */
interface Producing {
  emit(e: EventEnvelope): Promise<unknown>;
  close(): Promise<void>;
}
type TransportSpec = { brokers: string; namespace: string };

/** A clock both processes share (timeOrigin is wall-clock based), so publish→handled spans processes. */
const now = () => performance.timeOrigin + performance.now();

function producer(spec: TransportSpec): Producing {
  const client = new KafkaEventClient({ brokers: [spec.brokers], clientId: 'bench', partitions: 4, replicationFactor: 1, namespace: spec.namespace });
  return { emit: (e) => lastValueFrom(client.emit(TYPE, e)), close: () => client.close() };
}

/** Child-process side: consumes with the transport's server and reports [event id, handled at] in batches. */
async function consumeInChild(spec: TransportSpec) {
  const server = new KafkaEventServer({ brokers: [spec.brokers], clientId: 'bench', partitions: 4, replicationFactor: 1, namespace: spec.namespace, service: 'bench' });
  let handled: [string, number][] = [];
  server.addHandler(TYPE, async (e: EventEnvelope) => void handled.push([e.id, now()]), true);
  await new Promise<void>((r) => server.listen(() => r()));
  await server.ready();
  setInterval(() => {
    if (handled.length) process.send!(handled);
    handled = [];
  }, 20);
  process.send!('ready');
  process.on('message', async (m) => {
    if (m === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
}

async function measure(label: string, spec: TransportSpec, count: number, ratePerSec?: number) {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const consumer = fork(__filename, ['consume', JSON.stringify(spec)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(__dirname, '../../../tools/tsconfig.json') },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((res, rej) => {
    consumer.once('exit', (code) => rej(new Error(`consumer exited ${code}`)));
    consumer.on('message', (m) => {
      if (m === 'ready') return res();
      for (const [id, at] of m as [string, number][]) {
        const sent = sentAt.get(id);
        if (sent === undefined) continue;
        latencies.push(at - sent);
        if (latencies.length === count) done();
      }
    });
  });
  const t = producer(spec);
  const events = Array.from({ length: count }, (_, i) => event(i));
  await t.emit(event(-1)); // connects (and creates the topic) before the clock starts
  const started = performance.now();
  if (ratePerSec) {
    const interval = 1000 / ratePerSec;
    for (let i = 0; i < count; i++) {
      const wait = started + i * interval - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      sentAt.set(events[i].id, now());
      void t.emit(events[i]);
    }
  } else {
    // Up to 512 sends awaiting acknowledgement at once (Kafka's producer-perf-test keeps no limit at all).
    let next = 0;
    await Promise.all(
      Array.from({ length: 512 }, async () => {
        while (next < count) {
          const e = events[next++];
          sentAt.set(e.id, now());
          await t.emit(e);
        }
      }),
    );
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(40)} ${count} events in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} events/s; publish→handled p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
  consumer.removeAllListeners('exit');
  consumer.send('stop');
  await new Promise((r) => consumer.once('exit', r));
  await t.close();
}

async function transports() {
  console.log('\n## 1. Transports (one producer, one consumer group)');
  const dir = mkdtempSync(join(tmpdir(), 'bench-kafka-'));
  const port = await freePort();
  const { child } = await spawnStandin(dir, port);
  try {
    const brokers = `127.0.0.1:${port}`;
    await measure('Kafka (stand-in), flat out', { brokers, namespace: 'a' }, total);
    await measure('Kafka (stand-in), steady 1000/s', { brokers, namespace: 'b' }, Math.min(total, 10_000), 1000);
  } finally {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function retention() {
  console.log(`\n## 2. Stand-in holding ${retained} retained 1 KB events`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-kafka-retained-'));
  const port = await freePort();
  let { child } = await spawnStandin(dir, port);
  try {
    const kafka = new Kafka({ clientId: 'bench-fill', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'retained', numPartitions: 4 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const value = Buffer.alloc(1024, 'x');
    const perBatch = 10; // 10 events per record batch (the index is per batch: 100 000 entries per million)
    const t0 = performance.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < retained) {
          const n = Math.min(perBatch, retained - sent);
          sent += n;
          await producer.send({ topic: 'retained', acks: -1, messages: Array.from({ length: n }, (_, i) => ({ key: `k${(sent + i) % 1000}`, value })) });
        }
      }),
    );
    await producer.disconnect();
    console.log(`filled in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS after filling: ${rssMb(child.pid!).toFixed(0)} MB`);
    await stopChild(child);
    const restarted = await spawnStandin(dir, port);
    child = restarted.child;
    await new Promise((r) => setTimeout(r, 1000));
    console.log(`restart with that log: listening after ${restarted.startedMs.toFixed(0)} ms (includes ~0.5-1 s of Node+tsx start); RSS ${rssMb(child.pid!).toFixed(0)} MB`);
  } finally {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function crash() {
  console.log('\n## 3. kill -9 of the stand-in during an acks=all produce burst');
  const dir = mkdtempSync(join(tmpdir(), 'bench-kafka-crash-'));
  const port = await freePort();
  let { child } = await spawnStandin(dir, port);
  const kafka = new Kafka({ clientId: 'bench-crash', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'burst', numPartitions: 4 }] });
  await admin.disconnect();
  const acked = new Set<string>();
  const handled = new Set<string>();
  let lastHandledAt = 0;
  const consumer = kafka.consumer({ groupId: 'crash-group', sessionTimeout: 6000, heartbeatInterval: 1000, maxWaitTimeInMs: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'burst', fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      handled.add(String(message.value));
      lastHandledAt = performance.now();
    },
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let stop = false;
  let failed = 0;
  const burst = Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const value = `w${w}-${i}`;
        try {
          await producer.send({ topic: 'burst', acks: -1, messages: [{ key: value, value }] });
          acked.add(value);
        } catch {
          failed++;
        }
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 3000));
  const ackedBeforeKill = acked.size;
  child.kill('SIGKILL');
  const killedAt = performance.now();
  await new Promise((r) => child.once('exit', r));
  ({ child } = await spawnStandin(dir, port));
  const restartedAt = performance.now();
  const handledBefore = lastHandledAt;
  while (lastHandledAt <= Math.max(handledBefore, restartedAt)) await new Promise((r) => setTimeout(r, 20));
  const handlingAgainAt = performance.now();
  await new Promise((r) => setTimeout(r, 2000));
  stop = true;
  await burst;
  await producer.disconnect();
  const deadline = performance.now() + 30_000;
  while ([...acked].some((v) => !handled.has(v)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const lost = [...acked].filter((v) => !handled.has(v)).length;
  console.log(
    `acknowledged ${acked.size} (${ackedBeforeKill} before the kill), sends that failed ${failed}; acknowledged but lost: ${lost}; ` +
      `stand-in back after ${(restartedAt - killedAt).toFixed(0)} ms; consumer handling again ${(handlingAgainAt - killedAt).toFixed(0)} ms after the kill ` +
      `(${(handlingAgainAt - restartedAt).toFixed(0)} ms after the restart)`,
  );
  await consumer.disconnect();
  await stopChild(child);
  rmSync(dir, { recursive: true, force: true });
}

async function main() {
  console.log(`# Kafka stand-in benchmark — ${new Date().toISOString()}, node ${process.version}, ${require('node:os').cpus().length} cores (shared machine)`);
  // BENCH_SECTIONS=1,3 runs only those sections (profiling one part); default all.
  const sections = (process.env.BENCH_SECTIONS ?? '1,2,3').split(',');
  if (sections.includes('1')) await transports();
  if (sections.includes('3')) await crash();
  if (sections.includes('2')) await retention();
}

if (process.argv[2] === 'consume') {
  void consumeInChild(JSON.parse(process.argv[3]) as TransportSpec);
} else {
  main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
}
