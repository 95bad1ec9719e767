import { startRedis } from '../redis';
import { localBusSecurity } from '../kafka';
import { TEST_KAFKA_BROKERS_ENV, TEST_REDIS_URL_ENV } from '../test-constants';

/**
 * Jest globalSetup for service tests: one throw-away redis-server (unless REDIS_URL is set), one
 * MongoDB stand-in (unless MONGO_URL is set) and one Kafka stand-in with per-service SASL users and
 * write ACLs (unless KAFKA_BROKERS is set) per test run.
 */
module.exports = async () => {
  // Relative paths on purpose: Jest runs global setup outside its module mapper, so aliases do not resolve here.
  // eslint-disable-next-line @nx/enforce-module-boundaries
  await require('../../../mongo-standin/src/jest/global-setup')();
  if (!process.env['KAFKA_BROKERS']) {
    // eslint-disable-next-line @nx/enforce-module-boundaries
    const { startKafkaStandin } = require('../../../kafka-standin/src/lib/broker') as typeof import('@techan/kafka-standin');
    const kafka = await startKafkaStandin({
      ...localBusSecurity(),
      initialRebalanceDelayMs: 0,
      log: (level, message) => {
        if (level === 'warn' && process.env['KAFKA_STANDIN_LOG']) process.stderr.write(`kafka-standin: ${message}\n`);
      },
    });
    process.env[TEST_KAFKA_BROKERS_ENV] = kafka.bootstrap;
    (globalThis as Record<string, unknown>)['__TECHAN_KAFKA__'] = kafka;
  }
  if (process.env['REDIS_URL']) return;
  const redis = await startRedis();
  process.env[TEST_REDIS_URL_ENV] = redis.url;
  (globalThis as Record<string, unknown>)['__TECHAN_REDIS__'] = redis;
};
