import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import Redis from 'ioredis';
import { validateEvent } from '../contracts/envelope';
import { partitionOf } from './dispatch';
import { StreamKeys } from './redis-streams.keys';

export interface RedisStreamsClientOptions {
  redisUrl: string;
  partitions: number;
  prefix?: string;
}

/** Publishes events to the partition stream of their subject (the aggregate id). */
export class RedisStreamsClient extends ClientProxy {
  private redis?: Redis;
  private readonly keys: StreamKeys;

  constructor(private readonly options: RedisStreamsClientOptions) {
    super();
    this.keys = new StreamKeys(options.prefix);
    this.initializeSerializer({});
    this.initializeDeserializer({});
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

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('request-response is not supported: services talk through events'), isDisposed: true });
    return () => undefined;
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const event = validateEvent(packet.data);
    if (packet.pattern !== event.type) throw new Error(`pattern ${packet.pattern} does not match event type ${event.type}`);
    const redis = await this.connect();
    const stream = this.keys.stream(event.type, partitionOf(event.subject, this.options.partitions));
    return (await redis.xadd(stream, '*', 'event', JSON.stringify(event))) as T;
  }
}
