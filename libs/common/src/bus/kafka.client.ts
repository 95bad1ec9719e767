import type { Message, Producer } from 'kafkajs';
import type { EventEnvelope } from '../contracts/envelope';
import { EventClientBase } from './event-client.base';
import { createKafka, ensureTopics, MAX_EVENT_BYTES, topicOf, type KafkaBusOptions } from './kafka.shared';

interface Pending {
  topic: string;
  message: Message;
  bytes: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Publishes events to the topic named by their type, keyed by subject (per-aggregate order).
 *
 * Sends are batched the way Kafka's own producer lingers: while one produce request is in flight,
 * the events emitted meanwhile wait and leave together in the next request (at most ~1 MB). An
 * idle client sends at once, so batching adds no latency; a busy one makes one round trip per
 * batch instead of one per event. Each emit resolves only when its own batch is acknowledged
 * (acks=all), so the outbox still marks an event sent only after the broker has it.
 */
export class KafkaEventClient extends EventClientBase {
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  /** Topic creation once per type, shared by concurrent first sends. */
  private readonly topicsReady = new Map<string, Promise<void>>();
  private queue: Pending[] = [];
  private sending = false;

  constructor(private readonly options: KafkaBusOptions) {
    super();
  }

  connect(): Promise<Producer> {
    this.connecting ??= (async () => {
      // Idempotent with acks=all: a retried send is written once, and an acknowledged one is durable.
      // One request in flight keeps per-key order across retries; batching makes up the throughput.
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
    await this.connect();
    let ready = this.topicsReady.get(event.type);
    if (!ready) {
      ready = ensureTopics(createKafka(this.options), [event.type], this.options);
      this.topicsReady.set(event.type, ready);
      ready.catch(() => this.topicsReady.delete(event.type));
    }
    await ready;
    return new Promise((resolve, reject) => {
      this.queue.push({
        topic: topicOf(event.type, this.options.namespace),
        message: { key: event.subject, value: body, headers: { 'ce-id': event.id, 'ce-type': event.type, 'ce-source': event.source } },
        bytes: Buffer.byteLength(body),
        resolve,
        reject,
      });
      void this.flush();
    });
  }

  /** Sends what is queued, one request at a time, until the queue is empty. */
  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length) {
        const batch = takeBatch(this.queue, MAX_EVENT_BYTES);
        try {
          const producer = await this.connect();
          const byTopic = new Map<string, Message[]>();
          for (const p of batch) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.message]);
          const result = await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
          for (const p of batch) p.resolve(result);
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.sending = false;
    }
  }
}

/** Removes and returns the oldest queued events that fit in `maxBytes` together (always at least one). */
export function takeBatch<T extends { bytes: number }>(queue: T[], maxBytes: number): T[] {
  let count = 0;
  let bytes = 0;
  while (count < queue.length && (count === 0 || bytes + queue[count].bytes <= maxBytes)) bytes += queue[count++].bytes;
  return queue.splice(0, count);
}
