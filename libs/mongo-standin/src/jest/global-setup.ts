import { startMongoStandin } from '../lib/server';
import { TEST_MONGO_URL_ENV } from '../testing';

/** Jest globalSetup: one stand-in per test run, unless MONGO_URL points at a real server. */
module.exports = async () => {
  if (process.env['MONGO_URL']) return;
  const running = await startMongoStandin();
  process.env[TEST_MONGO_URL_ENV] = running.uri;
  (globalThis as Record<string, unknown>)['__TECHAN_MONGO_STANDIN__'] = running;
};
