import type { ClientProxy, CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { ServiceConfig, ServiceDefinition } from '../service/service-definition';
import type { SASLOptions } from 'kafkajs';
import { KafkaEventClient } from './kafka.client';
import type { KafkaBusOptions } from './kafka.shared';
import { KafkaEventServer } from './kafka.server';

export type EventServer = Server & CustomTransportStrategy & { isHealthy(): boolean };

/** Kafka connection options from the service's configuration (SASL when a mechanism is set). */
export function kafkaOptions(definition: ServiceDefinition, config: ServiceConfig, clientId: string): KafkaBusOptions {
  const mechanism = config.KAFKA_SASL_MECHANISM;
  if (mechanism && (!config.KAFKA_USERNAME || !config.KAFKA_PASSWORD)) {
    throw new Error('KAFKA_SASL_MECHANISM is set: KAFKA_USERNAME and KAFKA_PASSWORD are required');
  }
  return {
    brokers: config.KAFKA_BROKERS.split(','),
    clientId,
    partitions: config.KAFKA_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    // The default prefix means production names; tests pass their own to isolate their topics and groups.
    namespace: config.EVENT_PREFIX === 'techan' ? '' : config.EVENT_PREFIX,
    sasl: mechanism ? ({ mechanism, username: config.KAFKA_USERNAME!, password: config.KAFKA_PASSWORD! } as SASLOptions) : undefined,
  };
}

/** Services talk over Kafka only (the local stand-in, or the cluster in KAFKA_BROKERS). */
export function createEventServer(definition: ServiceDefinition, config: ServiceConfig): EventServer {
  return new KafkaEventServer({ ...kafkaOptions(definition, config, definition.name), service: definition.name, publishes: definition.publishes });
}

export function createEventClient(definition: ServiceDefinition, config: ServiceConfig): ClientProxy {
  return new KafkaEventClient(kafkaOptions(definition, config, `${definition.name}-producer`));
}
