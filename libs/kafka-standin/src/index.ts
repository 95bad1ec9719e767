export { startKafkaStandin } from './lib/broker';
export type { BrokerOptions, RunningBroker, WriteAcl } from './lib/broker';
export { TEST_KAFKA_BROKERS_ENV } from './testing';
