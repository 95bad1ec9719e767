import { Test } from '@nestjs/testing';
import { MongooseModule } from '@nestjs/mongoose';
import type { INestApplication } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import type { ClientSession } from 'mongoose';
import { startMongoStandin, type RunningMongoStandin } from '@techan/mongo-standin';
import type { EventType } from '@techan/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CATALOG_EVENTS, type CatalogEventPublisher } from '../catalog/events';
import type { Clock } from '../catalog/clock';
import type { Principal } from '../catalog/principal';

export const TEST_JWT_SECRET = 'test-secret-for-catalog-tests-only-0123456789';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private t: number) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
  set(iso: string) {
    this.t = Date.parse(iso);
  }
}

export class RecordingPublisher implements CatalogEventPublisher {
  readonly events: { type: EventType; subject: string; data: unknown }[] = [];
  async publish(type: EventType, subject: string, data: unknown, session?: ClientSession) {
    void session; // no transaction to join in tests
    this.events.push({ type, subject, data });
  }
  ofType(type: EventType) {
    return this.events.filter((e) => e.type === type);
  }
}

export function token(sub: string, roles: string[]): string {
  return jwt.sign({ sub, roles }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: '1h' });
}

export function verifyTestToken(t: string): Principal | null {
  try {
    const claims = jwt.verify(t, TEST_JWT_SECRET, { algorithms: ['HS256'] }) as { sub?: unknown; roles?: unknown };
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return null;
    return { sub: claims.sub, roles: claims.roles.filter((r): r is string => typeof r === 'string') };
  } catch {
    return null;
  }
}

export interface Harness {
  app: INestApplication;
  url: string;
  clock: TestClock;
  events: RecordingPublisher;
  mongo: RunningMongoStandin;
  close(): Promise<void>;
}

/** The catalogue's HTTP app over a fresh MongoDB stand-in, with a recording event publisher and a test clock. */
export async function startHarness(startAt = '2026-11-23T02:00:00Z'): Promise<Harness> {
  const mongo = await startMongoStandin();
  const clock = new TestClock(Date.parse(startAt));
  const events = new RecordingPublisher();
  const moduleRef = await Test.createTestingModule({
    imports: [
      MongooseModule.forRoot(mongo.uri, { dbName: `catalog_test_${process.pid}` }),
      CatalogModule.register({ events: { provide: CATALOG_EVENTS, useValue: events }, verifyToken: verifyTestToken, clock }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  app.setGlobalPrefix('api', { exclude: ['hall', 'hall/{*path}'] });
  await app.init();
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    clock,
    events,
    mongo,
    async close() {
      await app.close();
      await mongo.stop();
    },
  };
}

export async function call(
  h: Harness,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}
