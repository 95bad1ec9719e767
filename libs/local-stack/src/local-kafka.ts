import { startKafkaStandin } from '@techan/kafka-standin';
import { localBusSecurity } from './kafka';

/**
 * (Its own file: Jest's global setup loads `./kafka` without the module mapper, so that file
 * imports the stand-in for types only.)
 *
 * A Kafka stand-in with the local bus security, for benchmarks and tools that start services as
 * processes themselves (KAFKA_BROKERS set → that cluster, and `stop` does nothing). Logs in a
 * temporary folder removed at stop.
 */
export async function startLocalKafka(): Promise<{ brokers: string; stop(): Promise<void> }> {
  const real = process.env['KAFKA_BROKERS'];
  if (real) return { brokers: real, stop: async () => undefined };
  const broker = await startKafkaStandin({ ...localBusSecurity(), initialRebalanceDelayMs: 0 });
  return { brokers: broker.bootstrap, stop: () => broker.stop() };
}
