import { startRedis } from '../redis';
import { TEST_REDIS_URL_ENV } from '../test-constants';

/**
 * Jest globalSetup for service tests: one throw-away redis-server (unless REDIS_URL is set) and one
 * MongoDB stand-in (unless MONGO_URL is set) per test run.
 */
module.exports = async () => {
  // A relative path on purpose: Jest runs global setup outside its module mapper, so aliases do not resolve here.
  // eslint-disable-next-line @nx/enforce-module-boundaries
  await require('../../../mongo-standin/src/jest/global-setup')();
  if (process.env['REDIS_URL']) return;
  const redis = await startRedis();
  process.env[TEST_REDIS_URL_ENV] = redis.url;
  (globalThis as Record<string, unknown>)['__TECHAN_REDIS__'] = redis;
};
