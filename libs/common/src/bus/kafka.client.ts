import type { Producer } from 'kafkajs';
import type { EventEnvelope } from '../contracts/envelope';
import { EventClientBase } from './event-client.base';
import { createKafka, ensureTopics, topicOf, type KafkaBusOptions } from './kafka.shared';

/** Publishes events to the topic named by their type, keyed by subject (per-aggregate order). */
export class KafkaEventClient extends EventClientBase {
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  /** Topic creation once per type, shared by concurrent first sends. */
  private readonly topicsReady = new Map<string, Promise<void>>();

  constructor(private readonly options: KafkaBusOptions) {
    super();
  }

  connect(): Promise<Producer> {
    this.connecting ??= (async () => {
      // Idempotent with acks=all: a retried send is written once, and an acknowledged one is durable.
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

  protected async deliver(event: EventEnvelope, body: string): Promise<unknown> {
    const producer = await this.connect();
    let ready = this.topicsReady.get(event.type);
    if (!ready) {
      ready = ensureTopics(createKafka(this.options), [event.type], this.options);
      this.topicsReady.set(event.type, ready);
      ready.catch(() => this.topicsReady.delete(event.type));
    }
    await ready;
    return producer.send({
      topic: topicOf(event.type, this.options.namespace),
      acks: -1,
      messages: [{ key: event.subject, value: body, headers: { 'ce-id': event.id, 'ce-type': event.type, 'ce-source': event.source } }],
    });
  }
}
