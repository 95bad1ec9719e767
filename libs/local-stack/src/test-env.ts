import { randomBytes } from 'node:crypto';
import { freshMongoUri } from '@techan/mongo-standin';
import { TEST_REDIS_URL_ENV } from './test-constants';

export { TEST_REDIS_URL_ENV };

export const TEST_JWT_SECRET = 'test-only-secret-0123456789abcdef0123456789';

/**
 * Environment for a service under test: a fresh database, the run's Redis, and an event-stream
 * prefix of its own (pass the same `eventPrefix` to services that must talk to each other).
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
    STREAM_PARTITIONS: '2',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
  };
  if (process.env['KAFKA_BROKERS']) env['KAFKA_BROKERS'] = process.env['KAFKA_BROKERS'];
  return env;
}

export function newEventPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}
