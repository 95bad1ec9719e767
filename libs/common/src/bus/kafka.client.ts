import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import type { Producer } from 'kafkajs';
import { validateEvent } from '../contracts/envelope';
import { createKafka, ensureTopics, type KafkaTopicOptions } from './kafka.server';

/** Publishes events to the topic named by their type, keyed by subject (per-aggregate order). */
export class KafkaEventClient extends ClientProxy {
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private readonly knownTopics = new Set<string>();

  constructor(private readonly options: KafkaTopicOptions) {
    super();
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  connect(): Promise<Producer> {
    this.connecting ??= (async () => {
      const producer = createKafka(this.options).producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().catch((error) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
    this.connecting = undefined;
  }

  unwrap<T>(): T {
    return this.producer as T;
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('request-response is not supported: services talk through events'), isDisposed: true });
    return () => undefined;
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const event = validateEvent(packet.data);
    if (packet.pattern !== event.type) throw new Error(`pattern ${packet.pattern} does not match event type ${event.type}`);
    const producer = await this.connect();
    if (!this.knownTopics.has(event.type)) {
      await ensureTopics(createKafka(this.options), [event.type], this.options);
      this.knownTopics.add(event.type);
    }
    return (await producer.send({
      topic: event.type,
      messages: [{ key: event.subject, value: JSON.stringify(event), headers: { 'ce-id': event.id, 'ce-type': event.type } }],
    })) as T;
  }
}
