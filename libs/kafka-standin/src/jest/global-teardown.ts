import type { RunningBroker } from '../lib/broker';

/** Jest globalTeardown: stops the stand-in started by global-setup. */
module.exports = async () => {
  const running = (globalThis as Record<string, unknown>)['__TECHAN_KAFKA_STANDIN__'] as RunningBroker | undefined;
  if (running) await running.stop();
};
