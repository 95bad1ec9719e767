import { randomBytes } from 'node:crypto';
import { freshMongoUri } from '@techan/mongo-standin';
import { BUS_SERVICES, localBusEnv } from './kafka';
import { TEST_KAFKA_BROKERS_ENV, TEST_REDIS_URL_ENV } from './test-constants';

export { TEST_KAFKA_BROKERS_ENV, TEST_REDIS_URL_ENV };

/**
 * The bus for a test acting as `principal` (a service name, or `admin` for probes that write anything):
 * the run's Kafka stand-in with that principal's local credentials, or the cluster in KAFKA_BROKERS
 * (then with KAFKA_SASL_MECHANISM and the password in KAFKA_PASSWORD_<PRINCIPAL>, if set).
 */
export function testBusEnv(principal: string): Record<string, string> {
  const real = process.env['KAFKA_BROKERS'];
  if (real) {
    const mechanism = process.env['KAFKA_SASL_MECHANISM'];
    const password = process.env[`KAFKA_PASSWORD_${principal.toUpperCase()}`];
    return mechanism && password ? { KAFKA_BROKERS: real, KAFKA_SASL_MECHANISM: mechanism, KAFKA_USERNAME: principal, KAFKA_PASSWORD: password } : { KAFKA_BROKERS: real };
  }
  const standin = process.env[TEST_KAFKA_BROKERS_ENV];
  if (!standin) throw new Error('no Kafka: set KAFKA_BROKERS or use libs/local-stack/src/jest/global-setup.ts as the jest globalSetup');
  return localBusEnv(standin, principal);
}

export const TEST_JWT_SECRET = 'test-only-secret-0123456789abcdef0123456789';

/**
 * Environment for a service under test: a fresh database, the run's Redis, the run's Kafka with the
 * service's own bus credentials, and a bus namespace of its own (pass the same `eventPrefix` to
 * services that must talk to each other).
 */
export function testServiceEnv(service: string, options: { eventPrefix?: string } = {}): Record<string, string> {
  const redisUrl = process.env['REDIS_URL'] || process.env[TEST_REDIS_URL_ENV];
  if (!redisUrl) {
    throw new Error(`testServiceEnv: set REDIS_URL or use libs/local-stack/src/jest/global-setup.ts as the jest globalSetup`);
  }
  const mongoUrl = freshMongoUri(service);
  const env: Record<string, string> = {
    MONGO_URL: mongoUrl,
    // The service picks its database by MONGO_DB (its default would be shared by every test file).
    MONGO_DB: /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(mongoUrl)?.[1] ?? `test_${service}`,
    REDIS_URL: redisUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    EVENT_PREFIX: options.eventPrefix ?? newEventPrefix(),
    KAFKA_PARTITIONS: '2',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    // A service without a bus principal of its own (plumbing tests) acts as the bus admin.
    ...testBusEnv((BUS_SERVICES as readonly string[]).includes(service) ? service : 'admin'),
    // orders asks certification before money moves; a service test runs no certification, so the
    // address is one nothing answers on (placing falls back to the projection, captures wait). Tests
    // that pay start a stand-in for certification's status endpoint and pass its URL instead.
    ...(service === 'orders' ? { CERTIFICATION_URL: 'http://127.0.0.1:1' } : {}),
  };
  return env;
}

export function newEventPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}
