/**
 * The parts the chaos harness runs and breaks: redis-server, the MongoDB and Kafka stand-ins (each a
 * process with its data on disk, restarted on the same port and data), the Stripe stand-in (in this
 * process, behind a TCP relay that can go dark: Stripe's books must survive its outage, as Stripe's
 * do) and the four built services. Every process is spawned detached (its own group) and stopped by
 * PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { freePort, localBusEnv, localBusSecurity, startRedis, STANDIN_WEBHOOK_SECRET, type RunningRedis } from '@techan/local-stack';
import { startStripeStandin, type RunningStripeStandin } from '@techan/stripe-standin';

export const ROOT = join(__dirname, '../..');
export const SERVICE_NAMES = ['catalog', 'orders', 'logistics', 'certification'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A part that can be killed with SIGKILL and started again on the same port with the same data. */
export interface Part {
  name: string;
  pid(): number | undefined;
  start(): Promise<void>;
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after a deadline. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(child: ChildProcess | undefined): child is ChildProcess {
  return !!child && child.exitCode === null && child.signalCode === null;
}

function exited(child: ChildProcess): Promise<void> {
  return alive(child) ? new Promise((r) => child.once('exit', () => r())) : Promise.resolve();
}

async function terminate(child: ChildProcess | undefined, deadlineMs = 8_000): Promise<void> {
  if (!alive(child)) return;
  child.kill('SIGCONT'); // a paused process cannot handle SIGTERM
  child.kill('SIGTERM');
  const timer = setTimeout(() => alive(child) && child.kill('SIGKILL'), deadlineMs);
  await exited(child);
  clearTimeout(timer);
}

function logTo(file: string, child: ChildProcess): void {
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => appendFileSync(file, chunk));
}

/** A stand-in CLI (built under dist/ by the launcher) that prints "<name> listening <address>". */
class StandinProcess implements Part {
  private child?: ChildProcess;
  constructor(
    readonly name: string,
    private readonly cli: string,
    private readonly args: string[],
    private readonly logFile: string,
  ) {}
  pid() {
    return alive(this.child) ? this.child.pid : undefined;
  }
  async start(): Promise<void> {
    const built = join(ROOT, 'dist', this.cli.replace(/\.ts$/, '.js'));
    const entry = existsSync(built) ? [built] : [require.resolve('tsx/cli'), '--tsconfig', join(ROOT, 'tools/tsconfig.json'), join(ROOT, this.cli)];
    for (let attempt = 1; ; attempt++) {
      const child = spawn(process.execPath, [...entry, ...this.args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      this.child = child;
      logTo(this.logFile, child);
      const ok = await new Promise<boolean>((resolve) => {
        let seen = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes(`${this.name} listening`)) resolve(true);
        });
        child.once('exit', () => resolve(false));
      });
      if (ok) return;
      // The port of a killed process can take a moment to be free again.
      if (attempt >= 20) throw new Error(`${this.name} did not start (see ${this.logFile})`);
      await sleep(250);
    }
  }
  async kill9() {
    const child = this.child;
    if (!alive(child)) return;
    child.kill('SIGKILL');
    await exited(child);
  }
  stop() {
    return terminate(this.child);
  }
}

class RedisPart implements Part {
  readonly name = 'redis';
  private running?: RunningRedis;
  constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}
  pid() {
    return this.running && this.running.pid > 0 ? this.running.pid : undefined;
  }
  async start() {
    for (let attempt = 1; ; attempt++) {
      try {
        this.running = await startRedis({ port: this.port, dataDir: this.dataDir, detached: true });
        return;
      } catch (e) {
        if (attempt >= 20) throw e;
        await sleep(250);
      }
    }
  }
  async kill9() {
    const pid = this.pid();
    if (!pid) return;
    process.kill(pid, 'SIGKILL');
    // stop() of the old handle resolves at once once the process is gone.
    await this.running?.stop();
  }
  async stop() {
    await this.running?.stop();
  }
}

/**
 * A service process, supervised like a platform would: an exit the harness did not cause is recorded
 * as a crash (the audit fails on it) and the service is started again, so the run goes on.
 */
class ServicePart implements Part {
  private child?: ChildProcess;
  private expectExit = false;
  private stopped = false;
  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    private readonly onCrash: (line: string) => void,
  ) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  pid() {
    return alive(this.child) ? this.child.pid : undefined;
  }
  async start() {
    const main = join(ROOT, 'dist/apps', this.name, 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm run chaos does)`);
    this.expectExit = false;
    const child = spawn(process.execPath, [main], { cwd: ROOT, env: { ...this.env, PORT: String(this.port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    logTo(this.logFile, child);
    let tail = '';
    child.stderr?.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-2_000)));
    child.once('exit', (code, signal) => {
      if (this.expectExit || this.stopped || child !== this.child) return;
      const firstLine = tail.split('\n').find((l) => /Error|error/.test(l))?.trim() ?? '';
      this.onCrash(`${this.name} exited by itself (code ${code}, signal ${signal}) at ${new Date().toISOString()}: ${firstLine.slice(0, 200)}`);
      setTimeout(() => void (this.stopped || this.child !== child ? undefined : this.start()), 1_000);
    });
  }
  async kill9() {
    const child = this.child;
    if (!alive(child)) return;
    this.expectExit = true;
    child.kill('SIGKILL');
    await exited(child);
  }
  pause() {
    if (alive(this.child)) this.child.kill('SIGSTOP');
  }
  resume() {
    if (alive(this.child)) this.child.kill('SIGCONT');
  }
  stop() {
    this.stopped = true;
    return terminate(this.child);
  }
}

/**
 * A TCP relay in front of the Stripe stand-in: "down" closes the listener and every connection
 * (orders sees Stripe unreachable), "up" listens again on the same port. The stand-in's records stay.
 */
class StripeRelay implements Part {
  readonly name = 'stripe';
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}
  pid() {
    return undefined;
  }
  async start() {
    const server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.once('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(this.port, '127.0.0.1', () => resolve());
        });
        break;
      } catch (e) {
        if (attempt >= 20) throw e;
        await sleep(250);
      }
    }
    this.server = server;
  }
  async kill9() {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
  stop() {
    return this.kill9();
  }
}

export interface LocalSystem {
  parts: Map<string, Part>;
  services: Map<ServiceName, ServicePart>;
  /** Where each service answers (run here, or named by CATALOG_URL, … for a deployment). */
  urls: Record<ServiceName, string>;
  stripe?: RunningStripeStandin;
  env: { mongoUrl: string; redisUrl: string; kafkaBrokers: string; jwtSecret: string };
  /** Times the Stripe stand-in saw each payment captured (ms), by PaymentIntent id. */
  capturedAt: Map<string, number>;
  /** Exits of services the harness did not cause (each restarted). */
  crashes: string[];
  /** Loads orders' institutional demo data (needs orders' catalogue projection: run once it sells); absent for a deployment. */
  seedOrders?: () => Promise<void>;
  stopAll(): Promise<void>;
  killAllNow(): void;
}

/**
 * Starts what the variables do not name (MONGO_URL, REDIS_URL, KAFKA_BROKERS) on free loopback ports
 * under `dataDir`, loads the demo data through the real paths, then starts the four services.
 */
export async function startLocalSystem(dataDir: string, say: (line: string) => void): Promise<LocalSystem> {
  const logs = join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const parts = new Map<string, Part>();
  const services = new Map<ServiceName, ServicePart>();
  const capturedAt = new Map<string, number>();
  const crashes: string[] = [];
  let stripe: RunningStripeStandin | undefined;

  const stopAll = async () => {
    // Services first (they flush their outboxes), then the stores.
    await Promise.all([...services.values()].map((s) => s.stop()));
    await Promise.all([...parts.values()].filter((p) => !services.has(p.name as ServiceName)).map((p) => p.stop()));
    await stripe?.stop();
  };
  const killAllNow = () => {
    for (const p of parts.values()) {
      const pid = p.pid();
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  };
  const system: LocalSystem = { parts, services, urls: {} as Record<ServiceName, string>, stripe, env: { mongoUrl: '', redisUrl: '', kafkaBrokers: '', jwtSecret: '' }, capturedAt, crashes, stopAll, killAllNow };

  let redisUrl = process.env['REDIS_URL'];
  if (!redisUrl) {
    const redis = new RedisPart(await freePort(), join(dataDir, 'redis'));
    parts.set('redis', redis);
    await redis.start();
    redisUrl = `redis://127.0.0.1:${redis.port}`;
  }
  let mongoUrl = process.env['MONGO_URL'];
  if (!mongoUrl) {
    const port = await freePort();
    mkdirSync(join(dataDir, 'mongo'), { recursive: true });
    const mongo = new StandinProcess('mongo-standin', 'libs/mongo-standin/src/cli.ts', ['--port', String(port), '--journal', join(dataDir, 'mongo/journal.ndjson')], join(logs, 'mongo.log'));
    parts.set('mongo', mongo);
    await mongo.start();
    mongoUrl = `mongodb://127.0.0.1:${port}/?replicaSet=rs0`;
    // The stand-in prints its URI; read it from the log to get the exact form it expects.
    const printed = /mongo-standin listening (\S+)/.exec(readFileSync(join(logs, 'mongo.log'), 'utf8'))?.[1];
    if (printed) mongoUrl = printed;
  }
  let kafkaBrokers = process.env['KAFKA_BROKERS'];
  if (!kafkaBrokers) {
    const port = await freePort();
    mkdirSync(join(dataDir, 'kafka'), { recursive: true });
    const security = join(dataDir, 'kafka-security.json');
    writeFileSync(security, JSON.stringify(localBusSecurity()), { mode: 0o600 });
    const kafka = new StandinProcess(
      'kafka-standin',
      'libs/kafka-standin/src/cli.ts',
      ['--port', String(port), '--data', join(dataDir, 'kafka'), '--security', security, '--partitions', '6', '--initial-rebalance-delay-ms', '500', '--quiet', 'true'],
      join(logs, 'kafka.log'),
    );
    parts.set('kafka', kafka);
    await kafka.start();
    kafkaBrokers = `127.0.0.1:${port}`;
  }
  const jwtSecret = process.env['JWT_SECRET'] ?? `chaos-${Math.random().toString(36).slice(2)}-0123456789abcdef0123456789`;
  system.env = { mongoUrl, redisUrl, kafkaBrokers, jwtSecret };
  const busEnv = (principal: string) => (process.env['KAFKA_BROKERS'] ? {} : localBusEnv(kafkaBrokers!, principal));

  const ports = new Map<ServiceName, number>();
  for (const name of SERVICE_NAMES) ports.set(name, await freePort());
  const ordersUrl = `http://127.0.0.1:${ports.get('orders')}`;

  const stripeEnv: Record<string, string> = {};
  if (!process.env['STRIPE_SECRET_KEY']) {
    stripe = await startStripeStandin({
      retryBaseMs: 200,
      webhooks: [
        { url: `${ordersUrl}/payments/webhooks/stripe`, secret: STANDIN_WEBHOOK_SECRET },
        { url: `${ordersUrl}/institutional/invoices/webhooks/stripe`, secret: STANDIN_WEBHOOK_SECRET, events: ['invoice.paid'] },
      ],
    });
    system.stripe = stripe;
    // When each capture happened, for "no capture after a block" (the stand-in keeps no capture time).
    const capture = stripe.engine.captureIntent.bind(stripe.engine);
    stripe.engine.captureIntent = (id, params) => {
      const pi = capture(id, params);
      capturedAt.set(id, Date.now());
      return pi;
    };
    const relay = new StripeRelay(await freePort(), stripe.port);
    parts.set('stripe', relay);
    await relay.start();
    Object.assign(stripeEnv, { STRIPE_API_URL: `http://127.0.0.1:${relay.port}`, STRIPE_WEBHOOK_SECRET: STANDIN_WEBHOOK_SECRET });
  }

  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    MONGO_URL: mongoUrl,
    REDIS_URL: redisUrl,
    KAFKA_BROKERS: kafkaBrokers,
    JWT_SECRET: jwtSecret,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PUBLIC_BASE_URL: 'http://shop.chaos.test',
    VERIFY_BASE_URL: 'http://shop.chaos.test',
    // orders asks certification itself before capturing (and fails closed while it is killed).
    CERTIFICATION_URL: `http://127.0.0.1:${ports.get('certification')}`,
  };
  const run = (name: string, args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<void>((ok, fail) => {
      const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      logTo(join(logs, `${name}.log`), child);
      child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`${name} exited with code ${code} (see ${join(logs, `${name}.log`)})`))));
    });
  say('loading the demo data through the real paths (catalog seed, certification issues the certificates)…');
  await run('seed-catalog', [require.resolve('tsx/cli'), '--tsconfig', 'apps/catalog/tsconfig.tsx.json', 'apps/catalog/src/seed.ts'], { ...baseEnv, ...busEnv('catalog'), MONGO_DB: 'techan-catalog' });
  await run('seed-certification', [join(ROOT, 'dist/apps/certification/main.js'), 'seed-demo'], { ...baseEnv, ...busEnv('certification'), MONGO_DB: 'techan-certification' });

  system.seedOrders = () => run('seed-orders', [require.resolve('tsx/cli'), '--tsconfig', 'apps/orders/tsconfig.tsx.json', 'apps/orders/src/seed.ts'], { ...baseEnv, ...busEnv('orders'), MONGO_DB: 'techan-orders' });

  const serviceEnv: Record<ServiceName, NodeJS.ProcessEnv> = {
    catalog: { RESERVATION_SWEEP_MS: '2000' },
    // A short checkout deadline: abandoned checkouts end within the run (the audit waits for them).
    orders: { ...stripeEnv, CHECKOUT_SWEEP_MS: '2000', CHECKOUT_TIMEOUT_MS: '45000', LOGISTICS_URL: `http://127.0.0.1:${ports.get('logistics')}` },
    logistics: {},
    certification: {},
  };
  for (const name of SERVICE_NAMES) {
    const part = new ServicePart(name, ports.get(name)!, { ...baseEnv, ...busEnv(name), ...serviceEnv[name] }, join(logs, `${name}.log`), (line) => {
      crashes.push(line);
      say(`CRASH: ${line}; restarting it`);
    });
    services.set(name, part);
    parts.set(name, part);
    system.urls[name] = part.url;
    await part.start();
  }
  return system;
}

/**
 * A deployment (compose, Kubernetes) named by the variables: the harness drives and audits it but
 * runs and kills nothing (its faults are the platform's to inject), and cannot read the payment
 * provider's books, so the money checks are left out.
 */
export function deployedSystem(env: NodeJS.ProcessEnv): LocalSystem {
  const missing = ['CATALOG_URL', 'ORDERS_URL', 'LOGISTICS_URL', 'CERTIFICATION_URL', 'MONGO_URL', 'KAFKA_BROKERS', 'JWT_SECRET'].filter((v) => !env[v]);
  if (missing.length) throw new Error(`a deployment needs ${missing.join(', ')} as well (see tools/chaos/README.md)`);
  const urls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, env[`${s.toUpperCase()}_URL`]!.replace(/\/$/, '')])) as Record<ServiceName, string>;
  return {
    parts: new Map(),
    services: new Map(),
    urls,
    env: { mongoUrl: env['MONGO_URL']!, redisUrl: env['REDIS_URL'] ?? '', kafkaBrokers: env['KAFKA_BROKERS']!, jwtSecret: env['JWT_SECRET']! },
    capturedAt: new Map(),
    crashes: [],
    stopAll: async () => undefined,
    killAllNow: () => undefined,
  };
}

export type { ServicePart };
