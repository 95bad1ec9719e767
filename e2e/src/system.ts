import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ownerOf, type EventEnvelope } from '@techan/common';
import { publishTestEvent } from '@techan/common/testing';
import { startKafkaStandin, type RunningBroker } from '@techan/kafka-standin';
import { freePort, localBusEnv, localBusSecurity, startRedis, waitHealthy, type RunningRedis } from '@techan/local-stack';
import { startMongoStandin, type RunningMongoStandin } from '@techan/mongo-standin';

const ROOT = resolve(__dirname, '../..');
export const E2E_JWT_SECRET = 'e2e-only-secret-0123456789abcdef0123456789';

export interface RunningService {
  name: string;
  url: string;
  child: ChildProcess;
  output: string[];
}

export interface RunningSystem {
  services: Record<string, RunningService>;
  /** The throw-away stores: Redis (queues, caches) for tests that play a service; MongoDB for tools that load data directly. */
  mongoUri: string;
  redisUrl: string;
  /** Publishes an event as the service that owns its type would (its bus credentials), for tests that play that service. */
  publish(event: EventEnvelope): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the built services (dist/apps/<name>/main.js) on a throw-away local stack. */
export async function startSystem(names: string[], extraEnv: Record<string, string> = {}): Promise<RunningSystem> {
  const redis: RunningRedis = await startRedis();
  const mongo: RunningMongoStandin = await startMongoStandin();
  // The bus: the Kafka stand-in with per-service SASL users and write ACLs, unless KAFKA_BROKERS is set.
  const kafka: RunningBroker | undefined = process.env['KAFKA_BROKERS']
    ? undefined
    : await startKafkaStandin({ ...localBusSecurity(), initialRebalanceDelayMs: 0, log: (level, m) => level === 'warn' && process.stderr.write(`[kafka-standin] ${m}\n`) });
  const services: Record<string, RunningService> = {};
  const ports: Record<string, number> = {};
  for (const name of names) ports[name] = await freePort();
  for (const name of names) {
    const main = join(ROOT, 'dist/apps', name, 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npx nx build ${name}`);
    const port = ports[name];
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        PORT: String(port),
        MONGO_URL: mongo.uri,
        REDIS_URL: redis.url,
        ...(kafka ? localBusEnv(kafka.bootstrap, name) : {}),
        JWT_SECRET: E2E_JWT_SECRET,
        LOG_LEVEL: 'warn',
        // QR links point at the certification service's public verification page.
        VERIFY_BASE_URL: `http://127.0.0.1:${ports['certification'] ?? port}`,
        // orders asks certification before money moves; without it in the system a test plays its
        // status endpoint (startCertificationStatus, passed in extraEnv) or nothing answers (no capture).
        CERTIFICATION_URL: `http://127.0.0.1:${ports['certification'] ?? 1}`,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    services[name] = { name, url, child, output };
  }
  try {
    await Promise.all(Object.values(services).map((s) => waitHealthy(s.url, { child: s.child, describe: () => s.output.join('').slice(-3000) })));
  } catch (error) {
    // Leave nothing running when start-up fails (a slow machine, a broken build).
    for (const s of Object.values(services)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await mongo.stop();
    await redis.stop();
    await kafka?.stop();
    throw error;
  }
  return {
    services,
    mongoUri: mongo.uri,
    redisUrl: redis.url,
    async publish(event) {
      const owner = ownerOf(event.type) ?? 'test';
      const busEnv = kafka ? localBusEnv(kafka.bootstrap, owner) : { KAFKA_BROKERS: process.env['KAFKA_BROKERS'] ?? '' };
      await publishTestEvent(busEnv, extraEnv['EVENT_PREFIX'] ?? 'techan', event);
    },
    async stop() {
      await Promise.all(
        Object.values(services).map(
          (s) =>
            new Promise((r) => {
              if (s.child.exitCode !== null) return r(null);
              s.child.once('exit', r);
              s.child.kill('SIGTERM');
            }),
        ),
      );
      await mongo.stop();
      await redis.stop();
      await kafka?.stop();
    },
  };
}
