/**
 * Test support for service specs (not for production code): starts a service app in-process on a
 * free loopback port against the local stack, with its configuration given explicitly.
 */
import { execFile } from 'node:child_process';
import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { signToken } from './auth/jwt';
import type { AuthUser } from './auth/roles';
import type { EventServer } from './bus/event-transport';
import type { SASLOptions } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { KafkaEventClient } from './bus/kafka.client';
import type { KafkaBusOptions } from './bus/kafka.shared';
import type { EventEnvelope } from './contracts/envelope';
import { JsonLogger } from './logging/json-logger';
import { attachServicePlumbing } from './service/bootstrap';
import { loadServiceConfig, type ServiceConfig, type ServiceDefinition } from './service/service-definition';
import { SERVICE_CONFIG } from './service/tokens';

export interface TestService {
  app: INestApplication;
  url: string;
  config: ServiceConfig;
  server: EventServer;
  /** A bearer token for this user, signed with the service's key. */
  token(user: AuthUser): string;
  /** fetch against the service with an optional user: `svc.request('/products', { user, method, body })`. */
  request(path: string, init?: { user?: AuthUser; method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startTestService(
  definition: ServiceDefinition,
  rootModule: Type<unknown>,
  env: Record<string, string>,
  customize?: (builder: ReturnType<typeof Test.createTestingModule>) => ReturnType<typeof Test.createTestingModule>,
): Promise<TestService> {
  const config = loadServiceConfig(definition, env);
  let builder = Test.createTestingModule({ imports: [rootModule] }).overrideProvider(SERVICE_CONFIG).useValue(config);
  if (customize) builder = customize(builder);
  const moduleRef = await builder.compile();
  const logger = new JsonLogger(definition.name, (env['LOG_LEVEL'] as never) ?? 'warn');
  const app = moduleRef.createNestApplication({ logger, rawBody: true });
  const { server, shutdown } = await attachServicePlumbing(app, definition, config, logger);
  // Kafka: wait until the consumer group has its partitions, so events published next are handled.
  await (server as EventServer & { ready?: () => Promise<void> }).ready?.();
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const token = (user: AuthUser) => signToken(config.JWT_SECRET, user);
  return {
    app,
    url,
    config,
    server,
    token,
    request: (path, init = {}) =>
      fetch(url + path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(init.user ? { authorization: `Bearer ${token(init.user)}` } : {}),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
    stop: shutdown,
  };
}

/**
 * Bus options for a test probe from a bus environment (`testBusEnv(principal)` of @techan/local-stack)
 * and the namespace of the services under test (their EVENT_PREFIX).
 */
export function busOptionsFrom(busEnv: Record<string, string>, eventPrefix: string, clientId: string): KafkaBusOptions {
  const mechanism = busEnv['KAFKA_SASL_MECHANISM'];
  return {
    brokers: busEnv['KAFKA_BROKERS'].split(','),
    clientId,
    partitions: 2,
    replicationFactor: 1,
    namespace: eventPrefix === 'techan' ? '' : eventPrefix,
    sasl: mechanism ? ({ mechanism, username: busEnv['KAFKA_USERNAME'], password: busEnv['KAFKA_PASSWORD'] } as SASLOptions) : undefined,
  };
}

/**
 * Publishes an event as a test acting for another service: `busEnv` carries that principal's bus
 * credentials (`testBusEnv(ownerOf(type))`), and the event's `source` should be the owner too, or
 * consumers dead-letter it.
 */
export async function publishTestEvent(busEnv: Record<string, string>, eventPrefix: string, event: EventEnvelope): Promise<void> {
  const client = new KafkaEventClient(busOptionsFrom(busEnv, eventPrefix, 'test-publisher'));
  try {
    await lastValueFrom(client.emit(event.type, event));
  } finally {
    await client.close();
  }
}

/**
 * A service's `GET /openapi.json`, validated as an OpenAPI 3 document (swagger-parser: the
 * specification's JSON Schema plus its semantic rules; throws naming the problem). Returns the
 * operations it lists as `METHOD /path` strings, for tests to check the routes are there.
 */
export async function validOpenApiOperations(baseUrl: string): Promise<{ document: Record<string, unknown>; operations: string[] }> {
  const res = await fetch(`${baseUrl}/openapi.json`);
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}: ${await res.text()}`);
  const document = (await res.json()) as Record<string, unknown>;
  // swagger-parser's dependencies are ES modules, which Jest's CommonJS runtime cannot load: validate in a plain node.
  const script = `const p=require('@apidevtools/swagger-parser');let t='';process.stdin.on('data',d=>t+=d).on('end',()=>p.validate(JSON.parse(t)).then(()=>process.exit(0),e=>{console.error(e.message);process.exit(1)}))`;
  await new Promise<void>((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', script], { timeout: 60_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`invalid OpenAPI document: ${stderr || error.message}`)) : resolve(),
    );
    child.stdin?.end(JSON.stringify(document));
  });
  if (!String(document['openapi']).startsWith('3.')) throw new Error(`not OpenAPI 3: ${String(document['openapi'])}`);
  const operations = Object.entries(document['paths'] as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => ['get', 'put', 'post', 'delete', 'patch'].includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
  return { document, operations };
}
