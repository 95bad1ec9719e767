/**
 * Certification benchmark, one run:
 *  1. public verify (`GET /verify/:code`, served from the Redis cache) requests/s and p99, next to
 *     the trivial `GET /ping` of the same app, same connections and duration;
 *  2. red warning → status event handled by a consumer: from the reply of the red-warning API call
 *     to a consumer (own consumer group on the bus) having applied the event, p50/p99.
 *
 *   npx tsx --tsconfig apps/certification/tsconfig.tsx.json apps/certification/bench/verify.ts [--duration 10] [--connections 50] [--rounds 2] [--warnings 100]
 *
 *   (after `npx nx build certification`: the service runs from dist/apps/certification/main.js)
 *
 * Processes: the MongoDB stand-in (or MONGO_URL), a throw-away redis-server (or REDIS_URL), the
 * certification service (the production build of src/main.ts) and this driver. Every child is
 * stopped by its PID at the end.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DEMO_USERS, signToken } from '@techan/common';
import type { AuthUser } from '@techan/common';
import { freePort, localBusEnv, startLocalKafka, startRedis, TEST_KAFKA_BROKERS_ENV, waitHealthy } from '@techan/local-stack';
import type { RunningRedis } from '@techan/local-stack';
import { EVIDENCE_KINDS, planFor } from '../src/domain';
import { startStatusProbe } from '../src/test/status-probe';

const ROOT = join(__dirname, '../../..');
const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const DURATION = arg('duration', 10);
const CONNECTIONS = arg('connections', 50);
const WARNINGS = arg('warnings', 100);
const ROUNDS = arg('rounds', 2);
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const PREFIX = `bench${randomBytes(3).toString('hex')}`;
const PARTITIONS = 4;

const children: ChildProcess[] = [];
let redis: RunningRedis | undefined;
let kafka: Awaited<ReturnType<typeof startLocalKafka>> | undefined;
process.on('exit', () => {
  for (const child of children) if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
});

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

async function startService(mongoUrl: string, redisUrl: string): Promise<string> {
  const port = await freePort();
  // The production build (webpack + tsc): tsx's esbuild transform drops the constructor-parameter
  // metadata Nest injects by, so the service is benchmarked as it is deployed.
  const main = join(ROOT, 'dist/apps/certification/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build certification\` first`);
  const child = fork(main, [], {
    execArgv: ['--max-old-space-size=1024'],
    env: {
      ...process.env,
      PORT: String(port),
      MONGO_URL: mongoUrl,
      MONGO_DB: `certification_bench_${PREFIX}`,
      REDIS_URL: redisUrl,
      JWT_SECRET: SECRET,
      EVENT_PREFIX: PREFIX,
      KAFKA_PARTITIONS: String(PARTITIONS),
      ...localBusEnv(kafka!.brokers, 'certification'),
      LOG_LEVEL: 'error',
      // The benchmark measures throughput from one client address: lift the per-client limit.
      VERIFY_RATE_LIMIT_PER_MINUTE: '10000000',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, { child });
  return url;
}

function client(url: string) {
  return async (method: string, path: string, user: AuthUser, body?: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${signToken(SECRET, user)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** Register 马冈鹅 and certify it 3★ through the real workflow (the on-site inspection is 1.5 s ahead). */
async function seed(url: string, productId: string) {
  const call = client(url);
  const { merchant, certifier, inspector } = DEMO_USERS;
  const merchantId = merchant.merchantIds[0];
  await call('PUT', `/products/${productId}`, merchant, {
    merchantId,
    merchantName: '开平市马冈鹅养殖专业合作社',
    name: '马冈鹅（冰鲜整鹅）',
    origin: { town: 'magang', inKaiping: true, degree: 'fully_local' },
  });
  for (const kind of EVIDENCE_KINDS) await call('POST', `/merchants/${merchantId}/records/evidence`, merchant, { kind, reference: `oss://${kind}.pdf` });
  await call('PUT', `/merchants/${merchantId}/records/traceability`, merchant, { traceability: 'production_and_circulation' });
  const target = { scheme: 'otop', level: 3 } as const;
  const application = await call('POST', '/applications', merchant, { productId, target });
  const step = (path: string, user: AuthUser, body?: unknown) => call('POST', `/applications/${application.id}/${path}`, user, body);
  await step('evidence-check', certifier);
  await step('sample/request', certifier, { instructions: '寄样 2 份' });
  await step('sample/mailed', merchant, { carrier: '顺丰速运', trackingNumber: 'SF1234567890' });
  await step('sample/received', certifier, { receivedAt: new Date().toISOString() });
  const scheduledFor = new Date(Date.now() + 1500);
  await step('review', certifier, { method: 'expert_on_site', inspectorId: inspector.userId, scheduledFor: scheduledFor.toISOString() });
  await new Promise((r) => setTimeout(r, scheduledFor.getTime() - Date.now() + 50));
  const approved = await step('review/result', inspector, { checks: planFor(target).requiredChecks.map((check) => ({ check, passed: true })) });
  const trace = await call('POST', `/products/${productId}/trace-codes`, merchant, {});
  return { certificateId: approved.certificateId as string, code: trace.code as string };
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

async function throughput(url: string, path: string, service: ChildProcess, mongo?: ChildProcess) {
  const target = url + path;
  const first = await fetch(target);
  if (first.status !== 200) throw new Error(`${path} answered ${first.status}`);
  await autocannon({ url: target, connections: CONNECTIONS, duration: 2 }); // warm-up
  const [serviceCpu, mongoCpu] = [cpuSeconds(service.pid), cpuSeconds(mongo?.pid)];
  const r = await autocannon({ url: target, connections: CONNECTIONS, duration: DURATION });
  return {
    path: path.length > 24 ? `${path.slice(0, 21)}…` : path,
    rps: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    errors: r.errors + r.non2xx,
    // Shows the cache at work: a verify served from Redis costs the database nothing.
    service_cpu_s: +(cpuSeconds(service.pid) - serviceCpu).toFixed(1),
    mongo_cpu_s: mongo ? +(cpuSeconds(mongo.pid) - mongoCpu).toFixed(1) : 'n/a',
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const mongoUrl = await startStandin();
  const redisUrl = process.env['REDIS_URL'] ?? (redis = await startRedis()).url;
  kafka = await startLocalKafka();
  process.env[TEST_KAFKA_BROKERS_ENV] ??= kafka.brokers; // the status probe reads the bus as a test would
  const url = await startService(mongoUrl, redisUrl);
  const productId = `p-bench-${PREFIX}`;
  const { certificateId, code } = await seed(url, productId);
  console.log(`service ${url}; product ${productId} certified 3★, trace code ${code}`);

  // 1. verify vs trivial endpoint, same run
  // Alternate the two endpoints so that load from elsewhere on the machine hits both alike.
  const [mongo, service] = [children.length > 1 ? children[0] : undefined, children[children.length - 1]];
  const rows = [];
  for (let round = 0; round < ROUNDS; round++) {
    rows.push(await throughput(url, `/verify/${code}`, service, mongo));
    rows.push(await throughput(url, '/ping', service, mongo));
  }
  console.log(`\nthroughput (${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} alternating rounds)`);
  console.table(rows);

  // 2. red warning → consumer handled
  const probe = await startStatusProbe({ prefix: PREFIX, group: `bench-consumer-${PREFIX}` }); // needs the Kafka stand-in (TECHAN_TEST_KAFKA_BROKERS) or KAFKA_BROKERS
  await probe.until('the consumer to catch up', () => probe.projection.get(productId) !== undefined, 30_000);
  const call = client(url);
  const latencies: number[] = [];
  for (let i = 0; i < WARNINGS; i++) {
    // The event may reach the consumer before the reply reaches us: take the version first.
    const expected = (probe.projection.get(productId)?.version ?? 0) + 1;
    const red = await call('POST', `/products/${productId}/warnings/red`, DEMO_USERS.certifier, { reason: `抽检风险 #${i}` });
    const repliedAt = performance.now();
    if (!Array.isArray(red)) throw new Error('unexpected red-warning reply');
    await probe.until(`red warning #${i}`, () => probe.projection.get(productId)?.version === expected && probe.projection.get(productId)?.purchasable === false);
    latencies.push((probe.handledAt.get(`${productId}@${expected}`) ?? performance.now()) - repliedAt);
    await call('POST', `/certificates/${certificateId}/retests`, DEMO_USERS.inspector, { passed: true });
    await probe.until(`reinstatement #${i}`, () => probe.projection.get(productId)?.version === expected + 1);
  }
  latencies.sort((a, b) => a - b);
  const fmt = (n: number) => Math.max(0, n).toFixed(1);
  const early = latencies.filter((l) => l <= 0).length;
  console.log(`\nred warning API reply → status event handled by a consumer (${WARNINGS} warnings; ${early} handled before the reply arrived, counted as 0)`);
  console.table([{ p50_ms: fmt(percentile(latencies, 50)), p99_ms: fmt(percentile(latencies, 99)), max_ms: fmt(latencies[latencies.length - 1]) }]);
  await probe.close();
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    // Stop the service first (it flushes its outbox), then its Redis and MongoDB.
    for (const child of [...children].reverse()) {
      await new Promise<void>((resolve) => {
        if (!child.pid || child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(child.pid, 'SIGTERM');
      });
    }
    await redis?.stop();
    await kafka?.stop();
    setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
  });
