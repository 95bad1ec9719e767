import type { ClientProxy, CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { ServiceConfig, ServiceDefinition } from '../service/service-definition';
import { KafkaEventClient } from './kafka.client';
import { KafkaEventServer } from './kafka.server';
import { RedisStreamsClient } from './redis-streams.client';
import { RedisStreamsServer } from './redis-streams.server';

export type EventServer = Server & CustomTransportStrategy & { isHealthy(): boolean };

/** Kafka when KAFKA_BROKERS is set, otherwise Redis Streams: the same handlers run on either. */
export function transportName(config: ServiceConfig): 'kafka' | 'redis-streams' {
  return config.KAFKA_BROKERS ? 'kafka' : 'redis-streams';
}

export function createEventServer(definition: ServiceDefinition, config: ServiceConfig): EventServer {
  if (config.KAFKA_BROKERS) {
    return new KafkaEventServer({
      brokers: config.KAFKA_BROKERS.split(','),
      clientId: definition.name,
      group: definition.name,
      partitions: config.KAFKA_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      publishes: definition.publishes,
    });
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
    return new KafkaEventClient({
      brokers: config.KAFKA_BROKERS.split(','),
      clientId: `${definition.name}-producer`,
      partitions: config.KAFKA_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    });
  }
  return new RedisStreamsClient({ redisUrl: config.REDIS_URL, partitions: config.STREAM_PARTITIONS, prefix: config.EVENT_PREFIX });
}
