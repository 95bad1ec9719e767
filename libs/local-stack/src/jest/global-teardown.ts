import type { RunningRedis } from '../redis';

module.exports = async () => {
  const redis = (globalThis as Record<string, unknown>)['__TECHAN_REDIS__'] as RunningRedis | undefined;
  await redis?.stop();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  await require('../../../mongo-standin/src/jest/global-teardown')();
};
