import type { INestApplication } from '@nestjs/common';
import type { ClientSession } from 'mongoose';
import { Outbox, type AuthUser, type EventType } from '@techan/common';
import { startTestService, type TestService } from '@techan/common/testing';
import { testServiceEnv } from '@techan/local-stack';
import { AppModule } from '../app/app.module';
import { CLOCK, type Clock } from '../catalog/clock';
import { CATALOG_EVENTS, OutboxEventPublisher, type CatalogEventPublisher } from '../catalog/events';
import { CATALOG_SERVICE } from '../service';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private t: number) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

/** The real outbox publisher, plus a record of what was published (for assertions). */
export class RecordingPublisher implements CatalogEventPublisher {
  readonly events: { type: EventType; subject: string; data: unknown }[] = [];
  constructor(private readonly inner: CatalogEventPublisher) {}
  async publish(type: EventType, subject: string, data: unknown, session?: ClientSession) {
    await this.inner.publish(type, subject, data, session);
    this.events.push({ type, subject, data });
  }
  transaction<R>(work: (session?: ClientSession) => Promise<R>): Promise<R> {
    return this.inner.transaction(work);
  }
  ofType(type: EventType) {
    return this.events.filter((e) => e.type === type);
  }
}

export interface Harness {
  svc: TestService;
  app: INestApplication;
  clock: TestClock;
  events: RecordingPublisher;
  token(userId: string, roles: AuthUser['roles'], merchantIds?: string[]): string;
  close(): Promise<void>;
}

/** The catalogue service (AppModule, shared plumbing, outbox, bus) on the local stack, with a test clock. */
export async function startHarness(startAt = '2026-11-23T02:00:00Z', env: Record<string, string> = {}): Promise<Harness> {
  const clock = new TestClock(Date.parse(startAt));
  let events: RecordingPublisher | undefined;
  const svc = await startTestService(CATALOG_SERVICE, AppModule, { ...testServiceEnv('catalog'), RESERVATION_SWEEP_MS: '0', ...env }, (b) =>
    b
      .overrideProvider(CLOCK)
      .useValue(clock)
      .overrideProvider(CATALOG_EVENTS)
      .useFactory({ inject: [Outbox], factory: (outbox: Outbox) => (events = new RecordingPublisher(new OutboxEventPublisher(outbox))) }),
  );
  if (!events) throw new Error('publisher override not applied');
  return {
    svc,
    app: svc.app,
    clock,
    events,
    token: (userId, roles, merchantIds = []) => svc.token({ userId, roles, merchantIds, buyerOrgIds: [] }),
    close: () => svc.stop(),
  };
}

export async function call(
  h: Harness,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${h.svc.url}${path}`, {
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
