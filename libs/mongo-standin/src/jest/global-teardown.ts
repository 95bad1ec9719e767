import type { RunningMongoStandin } from '../lib/server';

/** Jest globalTeardown: stops the stand-in started by global-setup. */
module.exports = async () => {
  const running = (globalThis as Record<string, unknown>)['__TECHAN_MONGO_STANDIN__'] as RunningMongoStandin | undefined;
  if (running) await running.stop();
};
