import type { ClientProxy, CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { ServiceConfig, ServiceDefinition } from '../service/service-definition';
import type { SASLOptions } from 'kafkajs';
import { KafkaEventClient } from './kafka.client';
import type { KafkaBusOptions } from './kafka.shared';
import { KafkaEventServer } from './kafka.server';
import { RedisStreamsClient } from './redis-streams.client';
import { RedisStreamsServer } from './redis-streams.server';

export type EventServer = Server & CustomTransportStrategy & { isHealthy(): boolean };

/** Kafka when KAFKA_BROKERS is set, otherwise Redis Streams: the same handlers run on either. */
export function transportName(config: ServiceConfig): 'kafka' | 'redis-streams' {
  return config.KAFKA_BROKERS ? 'kafka' : 'redis-streams';
}

/** Kafka connection options from the service's configuration (SASL when a mechanism is set). */
export function kafkaOptions(definition: ServiceDefinition, config: ServiceConfig, clientId: string): KafkaBusOptions {
  const mechanism = config.KAFKA_SASL_MECHANISM;
  if (mechanism && (!config.KAFKA_USERNAME || !config.KAFKA_PASSWORD)) {
    throw new Error('KAFKA_SASL_MECHANISM is set: KAFKA_USERNAME and KAFKA_PASSWORD are required');
  }
  return {
    brokers: (config.KAFKA_BROKERS ?? '').split(','),
    clientId,
    partitions: config.KAFKA_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    // The default prefix means production names; tests pass their own to isolate their topics and groups.
    namespace: config.EVENT_PREFIX === 'techan' ? '' : config.EVENT_PREFIX,
    sasl: mechanism ? ({ mechanism, username: config.KAFKA_USERNAME!, password: config.KAFKA_PASSWORD! } as SASLOptions) : undefined,
  };
}

export function createEventServer(definition: ServiceDefinition, config: ServiceConfig): EventServer {
  if (config.KAFKA_BROKERS) {
    return new KafkaEventServer({ ...kafkaOptions(definition, config, definition.name), service: definition.name, publishes: definition.publishes });
  }
  return new RedisStreamsServer({
    redisUrl: config.REDIS_URL,
    group: definition.name,
    partitions: config.STREAM_PARTITIONS,
    prefix: config.EVENT_PREFIX,
  });
}

export function createEventClient(definition: ServiceDefinition, config: ServiceConfig): ClientProxy {
  if (config.KAFKA_BROKERS) {
    return new KafkaEventClient(kafkaOptions(definition, config, `${definition.name}-producer`));
  }
  return new RedisStreamsClient({ redisUrl: config.REDIS_URL, partitions: config.STREAM_PARTITIONS, prefix: config.EVENT_PREFIX });
}
