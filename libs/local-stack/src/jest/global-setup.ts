import { startRedis } from '../redis';
import { TEST_REDIS_URL_ENV } from '../test-constants';

/**
 * Jest globalSetup for service tests: one throw-away redis-server (unless REDIS_URL is set) and one
 * MongoDB stand-in (unless MONGO_URL is set) per test run.
 */
module.exports = async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  await require('../../../mongo-standin/src/jest/global-setup')();
  if (process.env['REDIS_URL']) return;
  const redis = await startRedis();
  process.env[TEST_REDIS_URL_ENV] = redis.url;
  (globalThis as Record<string, unknown>)['__TECHAN_REDIS__'] = redis;
};
