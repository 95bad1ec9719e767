import type { RunningRedis } from '../redis';

module.exports = async () => {
  const redis = (globalThis as Record<string, unknown>)['__TECHAN_REDIS__'] as RunningRedis | undefined;
  await redis?.stop();
  const kafka = (globalThis as Record<string, unknown>)['__TECHAN_KAFKA__'] as { stop(): Promise<void> } | undefined;
  await kafka?.stop();
  // A relative path on purpose: Jest runs global setup outside its module mapper, so aliases do not resolve here.
  // eslint-disable-next-line @nx/enforce-module-boundaries
  await require('../../../mongo-standin/src/jest/global-teardown')();
};
