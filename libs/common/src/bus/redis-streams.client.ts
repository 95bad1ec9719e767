import Redis from 'ioredis';
import type { EventEnvelope } from '../contracts/envelope';
import { partitionOf } from './dispatch';
import { EventClientBase } from './event-client.base';
import { StreamKeys } from './redis-streams.keys';

export interface RedisStreamsClientOptions {
  redisUrl: string;
  partitions: number;
  prefix?: string;
}

/** Publishes events to the partition stream of their subject (the aggregate id). */
export class RedisStreamsClient extends EventClientBase {
  private redis?: Redis;
  private readonly keys: StreamKeys;

  constructor(private readonly options: RedisStreamsClientOptions) {
    super();
    this.keys = new StreamKeys(options.prefix);
  }

  async connect(): Promise<Redis> {
    if (!this.redis) {
      this.redis = new Redis(this.options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
      // Errors surface on the publish that fails (the outbox retries it); no unhandled-error noise.
      this.redis.on('error', () => undefined);
      await this.redis.connect();
    }
    return this.redis;
  }

  async close(): Promise<void> {
    if (this.redis?.status === 'ready') await this.redis.quit().catch(() => undefined);
    else this.redis?.disconnect();
    this.redis = undefined;
  }

  unwrap<T>(): T {
    return this.redis as T;
  }

  protected async deliver(event: EventEnvelope): Promise<unknown> {
    const redis = await this.connect();
    const stream = this.keys.stream(event.type, partitionOf(event.subject, this.options.partitions));
    return redis.xadd(stream, '*', 'event', JSON.stringify(event));
  }
}
