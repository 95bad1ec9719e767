import { Body, Controller, Get, Injectable, Module, Param, Post } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectConnection } from '@nestjs/mongoose';
import { startMongoStandin } from '@techan/mongo-standin';
import type { Connection } from 'mongoose';
import { testServiceEnv } from '@techan/local-stack';
import { z } from 'zod';
import { assertActsForMerchant, CurrentUser, Roles } from '../auth/auth.guard';
import { DEMO_USERS } from '../auth/demo-users';
import type { AuthUser } from '../auth/roles';
import { waitFor } from '../bus/contract/wait-for';
import { ConfigError } from '../config/config';
import type { EventEnvelope } from '../contracts/envelope';
import { EVENT_TYPES } from '../contracts/registry';
import { ZodPipe } from '../http/errors';
import { Inbox, Outbox } from '../outbox/outbox';
import { startTestService, type TestService } from '../testing';
import { CoreModule } from './core.module';
import { loadServiceConfig, type ServiceDefinition } from './service-definition';

// catalog: the owner of product-upserted (consumers refuse an event whose source does not own its type).
const DEFINITION: ServiceDefinition = { name: 'catalog', defaultPort: 3999, publishes: [EVENT_TYPES.ProductUpserted] };

@Injectable()
class Handled {
  readonly names: string[] = [];
}

const ThingBody = z.strictObject({ merchantId: z.string().min(1), name: z.string().min(1).max(50) });

@Controller('things')
class ThingsController {
  constructor(
    private readonly outbox: Outbox,
    @InjectConnection() private readonly connection: Connection,
  ) {}

  @Roles('merchant')
  @Get(':merchantId')
  get(@Param('merchantId') merchantId: string, @CurrentUser() user: AuthUser) {
    assertActsForMerchant(user, merchantId);
    return { merchantId };
  }

  @Roles('merchant')
  @Post()
  async create(@Body(new ZodPipe(ThingBody)) body: z.infer<typeof ThingBody>) {
    const event = await this.outbox.transaction((session) =>
      this.outbox.record(session, EVENT_TYPES.ProductUpserted, `p-${body.name}`, {
        productId: `p-${body.name}`, merchantId: body.merchantId, name: body.name, updatedAt: new Date().toISOString(),
      }),
    );
    return { eventId: event.id };
  }

  @Roles('merchant')
  @Get('count/all')
  async count() {
    return { count: await this.connection.collection('things').countDocuments() };
  }

  @Roles('merchant')
  @Get('boom/now')
  boom(): never {
    throw new Error('secret internal detail');
  }
}

@Controller()
class ThingsConsumer {
  constructor(private readonly inbox: Inbox, private readonly handled: Handled) {}

  @EventPattern(EVENT_TYPES.ProductUpserted)
  async onUpserted(@Payload() event: EventEnvelope<{ name: string }>) {
    await this.inbox.once(event, async () => void this.handled.names.push(event.data.name));
  }
}

@Module({ imports: [CoreModule.forRoot(DEFINITION)], controllers: [ThingsController, ThingsConsumer], providers: [Handled] })
class TestAppModule {}

describe('CoreModule: a service with config, auth, errors, health, outbox → bus → inbox', () => {
  let svc: TestService;
  const merchant = DEMO_USERS['merchant'];

  beforeAll(async () => {
    svc = await startTestService(DEFINITION, TestAppModule, testServiceEnv('core'));
  });
  afterAll(() => svc.stop());

  it('reports health of MongoDB, Redis and the event bus', async () => {
    const res = await svc.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      checks: { mongodb: { status: 'up' }, redis: { status: 'up' }, eventBus: { status: 'up', detail: 'kafka' } },
    });
  });

  it('answers 401 without or with a bad token, 403 for a wrong role or someone else\'s merchant', async () => {
    expect((await svc.request(`/things/${merchant.merchantIds[0]}`)).status).toBe(401);
    expect((await svc.request(`/things/x`, { headers: { authorization: 'Bearer not.a.jwt' } })).status).toBe(401);
    expect((await svc.request(`/things/x`, { user: DEMO_USERS['shopper'] })).status).toBe(403);
    expect((await svc.request(`/things/m-someone-else`, { user: merchant })).status).toBe(403);
    expect((await svc.request(`/things/${merchant.merchantIds[0]}`, { user: merchant })).status).toBe(200);
  });

  it('rejects bad input with a 400 naming the field, and hides internal errors', async () => {
    const bad = await svc.request('/things', { user: merchant, body: { merchantId: 'm', name: '', $where: '1' } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { message: string };
    expect(body.message).toMatch(/name/);
    expect(JSON.stringify(body)).toMatch(/\$where/);
    const boom = await svc.request('/things/boom/now', { user: merchant });
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toMatch(/secret internal detail|at .*\.ts/);
    expect(JSON.parse(text).traceId).toBe(boom.headers.get('x-request-id'));
  });

  it('answers 413 with a clear message for a body over the 100 KB limit (issue 9, item 9)', async () => {
    const res = await svc.request('/things', { user: merchant, body: { merchantId: 'm-1', name: 'x'.repeat(120 * 1024) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ statusCode: 413, message: expect.stringContaining('100 KB') });
  });

  it('refuses NUL, control and bidi-override characters in any text field, naming it (issue 9, item 13)', async () => {
    for (const name of ['马冈\u0000鹅', '马冈\u202E鹅', 'a\u0007b', '\u2066x']) {
      const res = await svc.request('/things', { user: merchant, body: { merchantId: 'm-1', name } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/^name: /);
    }
    const param = await svc.request(`/things/${encodeURIComponent('m-1\u202E')}`, { user: merchant });
    expect(param.status).toBe(400);
    // Ordinary Chinese text with punctuation and line breaks passes.
    expect((await svc.request('/things', { user: merchant, body: { merchantId: 'm-1', name: '马冈鹅（整只）\n冰鲜' } })).status).toBe(201);
  });

  it('publishes through the outbox and handles the event once, even when redelivered', async () => {
    const res = await svc.request('/things', { user: merchant, body: { merchantId: 'm-1', name: '马冈鹅' } });
    expect(res.status).toBe(201);
    const handled = svc.app.get(Handled);
    await waitFor('the event to come back through the bus', () => handled.names.includes('马冈鹅'));
    // Redeliver the very same envelope, as an at-least-once bus may.
    const { outboxModels } = await import('../outbox/outbox.model');
    const { getConnectionToken } = await import('@nestjs/mongoose');
    const record = await outboxModels(svc.app.get(getConnectionToken())).outbox.findById(((await res.json()) as { eventId: string }).eventId).lean();
    const { lastValueFrom } = await import('rxjs');
    const { EVENT_CLIENT } = await import('./tokens');
    await lastValueFrom(svc.app.get(EVENT_CLIENT).emit(record!.type, record!.envelope));
    await new Promise((r) => setTimeout(r, 300));
    expect(handled.names.filter((n) => n === '马冈鹅')).toHaveLength(1);
  });
});

describe('MongoDB outage (issue 9, item 7)', () => {
  it('answers 503 with Retry-After, not 500, while MongoDB is unreachable', async () => {
    const mongo = await startMongoStandin();
    const env = { ...testServiceEnv('core_outage'), MONGO_URL: mongo.uri, MONGO_DB: 'core_outage' };
    const svc = await startTestService(DEFINITION, TestAppModule, env);
    try {
      expect((await svc.request('/things/count/all', { user: DEMO_USERS['merchant'] })).status).toBe(200);
      await mongo.stop();
      const res = await svc.request('/things/count/all', { user: DEMO_USERS['merchant'] });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    } finally {
      await svc.stop().catch(() => undefined);
    }
  }, 60_000);
});

describe('service configuration', () => {
  const good = { MONGO_URL: 'mongodb://127.0.0.1:1/', REDIS_URL: 'redis://127.0.0.1:2', KAFKA_BROKERS: '127.0.0.1:9092', JWT_SECRET: 'x'.repeat(32) };

  it('applies defaults', () => {
    const config = loadServiceConfig(DEFINITION, good);
    expect(config).toMatchObject({ PORT: 3999, MONGO_DB: 'techan-catalog', KAFKA_PARTITIONS: 6, HOST: '127.0.0.1' });
  });

  it('names a missing or malformed variable in one line, without echoing secrets', () => {
    expect(() => loadServiceConfig(DEFINITION, { ...good, MONGO_URL: undefined })).toThrow(new ConfigError('Configuration error: MONGO_URL is missing'));
    expect(() => loadServiceConfig(DEFINITION, { ...good, JWT_SECRET: 'short-secret' })).toThrow(/JWT_SECRET is invalid: must be at least 32 characters/);
    expect(() => loadServiceConfig(DEFINITION, { ...good, JWT_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => loadServiceConfig(DEFINITION, { ...good, PORT: 'eighty' })).toThrow(/PORT is invalid/);
    expect(() => loadServiceConfig(DEFINITION, { ...good, KAFKA_BROKERS: 'kafka' })).toThrow(/KAFKA_BROKERS is invalid/);
    // Kafka is the only transport: no silent fallback to another bus.
    expect(() => loadServiceConfig(DEFINITION, { ...good, KAFKA_BROKERS: undefined })).toThrow(new ConfigError('Configuration error: KAFKA_BROKERS is missing'));
  });
});
