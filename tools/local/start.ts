/**
 * Starts the whole system on the local stack (`npm start`): a redis-server from the OS unless
 * REDIS_URL is set, the MongoDB stand-in unless MONGO_URL is set, the Kafka stand-in unless
 * KAFKA_BROKERS is set, the Stripe stand-in unless STRIPE_SECRET_KEY is set, the demo data, the four
 * services built by Nx, and the edge (apps/gateway) that serves the front end and the APIs on one
 * origin, the only URL a person needs. Ctrl-C stops everything in reverse order. Data lives in .local/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { freePort, localBusEnv, localBusSecurity, STANDIN_WEBHOOK_SECRET, startRedis, waitHealthy, type RunningRedis } from '@techan/local-stack';

const ROOT = resolve(__dirname, '../..');
const DATA = process.env['TECHAN_DATA_DIR'] ? resolve(process.env['TECHAN_DATA_DIR']) : join(ROOT, '.local');
const SERVICES: { name: string; port: number }[] = [
  { name: 'catalog', port: 3001 },
  { name: 'orders', port: 3002 },
  { name: 'logistics', port: 3003 },
  { name: 'certification', port: 3004 },
];
/** Stop deadline per stage (services, then stores) before SIGKILL. */
const STOP_DEADLINE_MS = 10_000;

/** The one public origin (override with GATEWAY_PORT). */
let GATEWAY_PORT = Number(process.env['GATEWAY_PORT'] ?? 8080);
let PUBLIC_URL = `http://127.0.0.1:${GATEWAY_PORT}`;

const children: { name: string; child: ChildProcess }[] = [];
let redis: RunningRedis | undefined;

function say(line: string) {
  process.stdout.write(`[start] ${line}\n`);
}

/** Prefixes each line of a child's output with its name, so four services stay readable. */
function pipeWithPrefix(name: string, child: ChildProcess) {
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
    });
  }
}

function devSecret(name = 'jwt-secret'): string {
  const file = join(DATA, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function startMongoStandin(): Promise<string> {
  const port = await freePort();
  mkdirSync(join(DATA, 'mongo'), { recursive: true });
  // The compiled CLI starts in a fraction of a second; compiling TypeScript on the fly takes seconds.
  const built = join(ROOT, 'dist/libs/mongo-standin/src/cli.js');
  const entry = existsSync(built)
    ? [built]
    : [require.resolve('tsx/cli'), '--tsconfig', join(ROOT, 'tools/tsconfig.json'), join(ROOT, 'libs/mongo-standin/src/cli.ts')];
  const child = spawn(
    process.execPath,
    [...entry, '--port', String(port), '--journal', join(DATA, 'mongo/journal.ndjson')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  children.push({ name: 'mongo-standin', child });
  return new Promise((resolveUri, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /mongo-standin listening (\S+)/.exec(seen);
      if (match) resolveUri(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[mongo-standin] ${chunk}`));
    child.once('exit', (code) => reject(new Error(`the MongoDB stand-in exited with code ${code}`)));
  });
}

/** The Kafka stand-in as a child process: logs in .local/kafka, per-service SASL users and write ACLs. */
async function startKafkaStandin(): Promise<string> {
  const port = await freePort();
  mkdirSync(join(DATA, 'kafka'), { recursive: true });
  const security = join(DATA, 'kafka-security.json');
  writeFileSync(security, JSON.stringify(localBusSecurity(), null, 2), { mode: 0o600 });
  const built = join(ROOT, 'dist/libs/kafka-standin/src/cli.js');
  const entry = existsSync(built)
    ? [built]
    : [require.resolve('tsx/cli'), '--tsconfig', join(ROOT, 'tools/tsconfig.json'), join(ROOT, 'libs/kafka-standin/src/cli.ts')];
  const child = spawn(
    process.execPath,
    [...entry, '--port', String(port), '--data', join(DATA, 'kafka'), '--security', security, '--partitions', '6', '--initial-rebalance-delay-ms', '500', '--quiet', 'true'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  children.push({ name: 'kafka-standin', child });
  return new Promise((resolveBrokers, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /kafka-standin listening (\S+)/.exec(seen);
      if (match) resolveBrokers(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[kafka-standin] ${chunk}`));
    child.once('exit', (code) => reject(new Error(`the Kafka stand-in exited with code ${code}`)));
  });
}

/** The Stripe stand-in as a child process, delivering webhooks to orders (STRIPE_SECRET_KEY unset). */
async function startStripeStandinProcess(...webhookUrls: string[]): Promise<string> {
  const built = join(ROOT, 'dist/libs/stripe-standin/src/cli.js');
  const entry = existsSync(built)
    ? [built]
    : [require.resolve('tsx/cli'), '--tsconfig', join(ROOT, 'tools/tsconfig.json'), join(ROOT, 'libs/stripe-standin/src/cli.ts')];
  const child = spawn(process.execPath, [...entry, '--port', '0', ...webhookUrls.flatMap((url) => ['--webhook', `${url}=${STANDIN_WEBHOOK_SECRET}`])], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push({ name: 'stripe-standin', child });
  return new Promise((resolveUrl, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /stripe-standin listening (\S+)/.exec(seen);
      if (match) resolveUrl(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[stripe-standin] ${chunk}`));
    child.once('exit', (code) => reject(new Error(`the Stripe stand-in exited with code ${code}`)));
  });
}

/** Runs a one-shot command to completion; resolves with its standard output. */
function run(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    pipeWithPrefix(name, child);
    child.once('exit', (code) => (code === 0 ? resolveRun(output) : reject(new Error(`${name} exited with code ${code}`))));
  });
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Signals the child's whole process group (every child here is detached: its own group). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid || !alive(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function exited(child: ChildProcess): Promise<void> {
  return alive(child) ? new Promise((r) => child.once('exit', () => r())) : Promise.resolve();
}

/** SIGTERM to each group, wait up to the deadline, then SIGKILL what is left. */
async function stopGroup(group: { name: string; child: ChildProcess }[]): Promise<void> {
  for (const { child } of group) signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(group.map((g) => exited(g.child))), new Promise((r) => (timer = setTimeout(r, STOP_DEADLINE_MS)))]);
  clearTimeout(timer);
  for (const { name, child } of group) {
    if (!alive(child)) continue;
    say(`${name} did not stop within ${STOP_DEADLINE_MS / 1000} s: SIGKILL`);
    signalGroup(child, 'SIGKILL');
    await exited(child);
  }
}

function killEverything(): void {
  for (const { child } of children) signalGroup(child, 'SIGKILL');
  if (redis && redis.pid > 0) {
    try {
      process.kill(-redis.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

let stopped: Promise<void> | undefined;
/** Services first (they finish in-flight work and flush their outboxes), then the stores. Once. */
function stopAll(code: number): Promise<void> {
  stopped ??= (async () => {
    say('stopping…');
    const services = children.filter((c) => SERVICES.some((s) => s.name === c.name));
    await stopGroup(services);
    await stopGroup(children.filter((c) => !services.includes(c)));
    await redis?.stop();
    say('stopped; every port is free');
    process.exit(code);
  })();
  return stopped;
}

/** A free loopback port in 20000–32767, below Linux's default ephemeral range (32768–60999). */
async function freePortBelowEphemeral(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    const free = await new Promise<boolean>((ok) => {
      const probe = createServer();
      probe.once('error', () => ok(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => ok(true)));
    });
    if (free) return port;
  }
}

async function main() {
  mkdirSync(DATA, { recursive: true });
  // START_FREE_PORTS=1 (the signal test): services on free ports instead of 3001-3004, chosen below the
  // ephemeral range: the stores started next bind port 0, and the OS once gave one of them a port just
  // chosen here for catalog (EADDRINUSE when catalog started).
  if (process.env['START_FREE_PORTS'] === '1') {
    for (const service of SERVICES) service.port = await freePortBelowEphemeral();
    GATEWAY_PORT = await freePortBelowEphemeral();
    PUBLIC_URL = `http://127.0.0.1:${GATEWAY_PORT}`;
  }
  const localParts: string[] = [];

  let redisUrl = process.env['REDIS_URL'];
  if (!redisUrl) {
    redis = await startRedis({ dataDir: join(DATA, 'redis'), detached: true });
    redisUrl = redis.url;
    localParts.push(`Redis          redis-server ${redis.url} (data: .local/redis, append-only)   → set REDIS_URL to use your Redis`);
  }
  let mongoUrl = process.env['MONGO_URL'];
  if (!mongoUrl) {
    mongoUrl = await startMongoStandin();
    localParts.push(`MongoDB        in-repo stand-in ${mongoUrl} (journal: .local/mongo)   → set MONGO_URL to use a MongoDB replica set`);
  }
  let kafkaBrokers = process.env['KAFKA_BROKERS'];
  if (!kafkaBrokers) {
    kafkaBrokers = await startKafkaStandin();
    localParts.push(`Event bus      in-repo Kafka stand-in ${kafkaBrokers} (logs: .local/kafka, SASL per service)   → set KAFKA_BROKERS to use Kafka`);
  }
  const stripeEnv: NodeJS.ProcessEnv = {};
  // Each service authenticates to the local bus as itself (a real cluster: pass KAFKA_USERNAME/KAFKA_PASSWORD per service).
  const busEnv = (service: string): NodeJS.ProcessEnv => (process.env['KAFKA_BROKERS'] ? {} : localBusEnv(kafkaBrokers!, service));
  if (!process.env['STRIPE_SECRET_KEY']) {
    const ordersPort = SERVICES.find((s) => s.name === 'orders')?.port;
    // Checkout's webhook and institutional invoices' (invoice.paid) one.
    const stripeUrl = await startStripeStandinProcess(`http://127.0.0.1:${ordersPort}/payments/webhooks/stripe`, `http://127.0.0.1:${ordersPort}/institutional/invoices/webhooks/stripe`);
    Object.assign(stripeEnv, { STRIPE_API_URL: stripeUrl, STRIPE_WEBHOOK_SECRET: STANDIN_WEBHOOK_SECRET });
    localParts.push(`Payments       in-repo Stripe stand-in ${stripeUrl} (test cards, hosted page, signed webhooks)   → set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to use Stripe`);
  }

  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    MONGO_URL: mongoUrl,
    REDIS_URL: redisUrl,
    KAFKA_BROKERS: kafkaBrokers,
    JWT_SECRET: process.env['JWT_SECRET'] ?? devSecret(),
    HOST: '127.0.0.1',
    // QR codes point at the public origin; the edge forwards /v/… to certification.
    VERIFY_BASE_URL: process.env['VERIFY_BASE_URL'] ?? PUBLIC_URL,
    // orders: where the shopper's browser comes back after paying, and the certification it asks before capturing.
    PUBLIC_BASE_URL: process.env['PUBLIC_BASE_URL'] ?? PUBLIC_URL,
    CERTIFICATION_URL: `http://127.0.0.1:${SERVICES.find((s) => s.name === 'certification')?.port}`,
    ...stripeEnv,
  };

  // Demo data through the real paths: the catalogue's merchants and products, and the certificates
  // certification issues for them (its status events reach the catalogue over the bus once both run).
  let demoTraceCode: string | undefined;
  if (process.env['START_SKIP_DEMO'] !== '1') {
  say('loading the demo data (idempotent; the first time certification issues ~120 demo certificates, which takes a while)…');
  await run('seed', [require.resolve('tsx/cli'), '--tsconfig', 'apps/catalog/tsconfig.tsx.json', 'apps/catalog/src/seed.ts'], {
    ...baseEnv,
    ...busEnv('catalog'),
    MONGO_DB: 'techan-catalog',
  });
  const certSeed = await run('seed', [join(ROOT, 'dist/apps/certification/main.js'), 'seed-demo'], {
    ...baseEnv,
    ...busEnv('certification'),
    MONGO_DB: 'techan-certification',
  });
  demoTraceCode = /demo trace code: (\S+)/.exec(certSeed)?.[1];
  }

  const gatewayEnv: NodeJS.ProcessEnv = {
    ...baseEnv,
    HOST: '127.0.0.1',
    PUBLIC_URL,
    AUTH_MODE: process.env['AUTH_MODE'] ?? 'demo',
    SESSION_SECRET: process.env['SESSION_SECRET'] ?? devSecret('session-secret'),
    WEB_ROOT: join(ROOT, 'dist/apps/web'),
    ...Object.fromEntries(SERVICES.map((s) => [`${s.name.toUpperCase()}_URL`, `http://127.0.0.1:${s.port}`])),
  };
  for (const service of [...SERVICES, { name: 'gateway', port: GATEWAY_PORT }]) {
    const main = join(ROOT, 'dist/apps', service.name, 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm start does: nx run-many -t build)`);
    const child = spawn(process.execPath, [main], {
      cwd: ROOT,
      env: service.name === 'gateway' ? { ...gatewayEnv, PORT: String(service.port) } : { ...baseEnv, ...busEnv(service.name), PORT: String(service.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: Ctrl-C reaches only this launcher, which stops services before the stores.
      detached: true,
    });
    pipeWithPrefix(service.name, child);
    children.push({ name: service.name, child });
    child.once('exit', (code) => {
      if (!stopping) {
        say(`${service.name} exited with code ${code}; stopping the rest`);
        void stopAll(1);
      }
    });
  }
  await Promise.all(
    [...SERVICES, { name: 'gateway', port: GATEWAY_PORT }].map((s) =>
      waitHealthy(`http://127.0.0.1:${s.port}`, { child: children.find((c) => c.name === s.name)?.child }),
    ),
  );

  // Institutional buyers' demo data goes through orders' use cases, which need the catalogue that
  // orders learns from catalog's events, hence after the services are up.
  if (process.env['START_SKIP_DEMO'] !== '1') {
    say('loading the institutional demo data (idempotent)…');
    await run('seed-orders', [require.resolve('tsx/cli'), '--tsconfig', 'apps/orders/tsconfig.tsx.json', 'apps/orders/src/seed.ts'], {
      ...baseEnv,
      ...busEnv('orders'),
      MONGO_DB: 'techan-orders',
    }).catch((e: unknown) => say(`institutional demo data not loaded (the system runs without it): ${e instanceof Error ? e.message : String(e)}`));
    say('loading the 开平 demo depots and fleet (idempotent)…');
    await run('seed-logistics', [require.resolve('tsx/cli'), '--tsconfig', 'apps/logistics/tsconfig.tsx.json', 'apps/logistics/src/seed-demo.ts'], {
      ...baseEnv,
      LOGISTICS_URL: `http://127.0.0.1:${SERVICES.find((s) => s.name === 'logistics')?.port}`,
    }).catch((e: unknown) => say(`demo fleet not loaded (the system runs without it): ${e instanceof Error ? e.message : String(e)}`));
  }

  const banner = [
    '',
    '════════════════════ Techan 特产 is running on the local stack ════════════════════',
    '',
    `  Open  ${PUBLIC_URL}`,
    '',
    '  品牌馆、登录（演示用户）、商家/评定/营运控制台、扫码验真 (/v/<code>) and the APIs (/api/<service>/…)',
    '  all live on that one origin. Services behind it (for debugging): ' + SERVICES.map((s) => `${s.name} :${s.port}`).join(', '),
    demoTraceCode
      ? `  溯源验证 (verify a QR):  ${PUBLIC_URL}/v/${demoTraceCode}   (马冈鹅 demo product; every certified product's QR opens its own)`
      : `  溯源验证 (verify a QR):  ${PUBLIC_URL}/v/<trace code>  (a certified product's QR code opens it)`,
    '  API tokens for scripts:  npm run token -- merchant   (shopper, buyer, certifier, inspector, dispatcher, operator)',
    '',
    '  Local stand-ins in use (each replaced by the real server when its variable is set):',
    ...localParts.map((p) => `    ${p}`),
    '',
    '  Ctrl-C stops everything.',
    '═══════════════════════════════════════════════════════════════════════════════════',
  ];
  process.stdout.write(banner.join('\n') + '\n');
}

let stopping = false;
let signals = 0;
// If the launcher exits for any reason, do not leave detached children behind.
process.once('exit', killEverything);
// First SIGINT/SIGTERM: orderly stop with a deadline. Any further one: kill every group now.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    stopping = true;
    if (++signals === 1) {
      void stopAll(0);
      return;
    }
    say(`${signal} again: killing everything now`);
    killEverything();
    process.exit(130);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
  stopping = true;
  void stopAll(1);
});
