/**
 * Starts the whole system on the local stack (`npm start`): a redis-server from the OS unless
 * REDIS_URL is set, the MongoDB stand-in unless MONGO_URL is set, the Kafka stand-in unless KAFKA_BROKERS is set, the catalog demo data, and the
 * four services built by Nx. Ctrl-C stops everything in reverse order. Data lives in .local/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, localBusEnv, localBusSecurity, startRedis, waitHealthy, type RunningRedis } from '@techan/local-stack';

const ROOT = resolve(__dirname, '../..');
const DATA = join(ROOT, '.local');
const SERVICES = [
  { name: 'catalog', port: 3001 },
  { name: 'orders', port: 3002 },
  { name: 'logistics', port: 3003 },
  { name: 'certification', port: 3004 },
] as const;

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

function devSecret(): string {
  const file = join(DATA, 'jwt-secret');
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

function run(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    pipeWithPrefix(name, child);
    child.once('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${name} exited with code ${code}`))));
  });
}

async function stopAll(code: number) {
  say('stopping…');
  for (const { child } of [...children].reverse()) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  await redis?.stop();
  process.exit(code);
}

async function main() {
  mkdirSync(DATA, { recursive: true });
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
  // Each service authenticates to the local bus as itself (a real cluster: pass KAFKA_USERNAME/KAFKA_PASSWORD per service).
  const busEnv = (service: string): NodeJS.ProcessEnv => (process.env['KAFKA_BROKERS'] ? {} : localBusEnv(kafkaBrokers!, service));
  if (!process.env['STRIPE_SECRET_KEY']) {
    localParts.push('Payments       no Stripe calls yet (orders has no checkout yet)   → STRIPE_SECRET_KEY will select Stripe');
  }

  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    MONGO_URL: mongoUrl,
    REDIS_URL: redisUrl,
    KAFKA_BROKERS: kafkaBrokers,
    JWT_SECRET: process.env['JWT_SECRET'] ?? devSecret(),
    HOST: '127.0.0.1',
    VERIFY_BASE_URL: process.env['VERIFY_BASE_URL'] ?? 'http://127.0.0.1:3004',
  };

  say('loading the catalog demo data (idempotent)…');
  await run('seed', [require.resolve('tsx/cli'), '--tsconfig', 'apps/catalog/tsconfig.tsx.json', 'apps/catalog/src/seed.ts'], {
    ...baseEnv,
    ...busEnv('catalog'),
    MONGO_DB: 'techan-catalog',
  });

  for (const service of SERVICES) {
    const main = join(ROOT, 'dist/apps', service.name, 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm start does: nx run-many -t build)`);
    const child = spawn(process.execPath, [main], {
      cwd: ROOT,
      env: { ...baseEnv, ...busEnv(service.name), PORT: String(service.port) },
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
    SERVICES.map((s) => waitHealthy(`http://127.0.0.1:${s.port}`, { child: children.find((c) => c.name === s.name)?.child })),
  );

  const banner = [
    '',
    '════════════════════ Techan 特产 is running on the local stack ════════════════════',
    ...SERVICES.map((s) => `  ${s.name.padEnd(14)} http://127.0.0.1:${s.port}   health: http://127.0.0.1:${s.port}/health   ✓`),
    '',
    '  品牌馆 (brand hall):     http://127.0.0.1:3001/hall',
    '  溯源验证 (verify a QR):  http://127.0.0.1:3004/v/<trace code>  (a certified product\'s QR code opens it)',
    '  API tokens for demo users:  npm run token -- merchant   (shopper, buyer, certifier, inspector, dispatcher, operator)',
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
// If the launcher dies abruptly, do not leave detached children behind.
process.once('exit', () => {
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    void stopAll(0);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
  stopping = true;
  void stopAll(1);
});
