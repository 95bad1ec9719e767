import { startKafkaStandin } from '../lib/broker';
import { TEST_KAFKA_BROKERS_ENV } from '../testing';

/** Jest globalSetup: one stand-in per test run (throw-away logs), unless KAFKA_BROKERS points at a real cluster. */
module.exports = async () => {
  if (process.env['KAFKA_BROKERS']) return;
  const running = await startKafkaStandin({ initialRebalanceDelayMs: 0, log: (level, m) => level === 'warn' && process.env['KAFKA_STANDIN_LOG'] && process.stderr.write(`kafka-standin: ${m}\n`) });
  process.env[TEST_KAFKA_BROKERS_ENV] = running.bootstrap;
  (globalThis as Record<string, unknown>)['__TECHAN_KAFKA_STANDIN__'] = running;
};
