import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { runWithTrace } from '../logging/trace-context';
import { backoffMs, DEFAULT_RETRY, errorReason, parseMessage, runHandler, sleep, type RetryPolicy } from './dispatch';

export interface KafkaTopicOptions {
  brokers: string[];
  clientId: string;
  partitions: number;
  replicationFactor: number;
}

export interface KafkaServerOptions extends KafkaTopicOptions {
  /** Consumer group: one per service. */
  group: string;
  retry?: RetryPolicy;
  /** Event types this service publishes: their topics are created at start-up too. */
  publishes?: string[];
}

export const deadLetterTopic = (group: string) => `techan.dlq.${group}`;

export function createKafka(options: Pick<KafkaTopicOptions, 'brokers' | 'clientId'>): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
}

/** Creates topics that do not exist yet; existing ones are left as they are (idempotent). */
export async function ensureTopics(kafka: Kafka, topics: string[], options: KafkaTopicOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: options.partitions,
          replicationFactor: options.replicationFactor,
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Event consumer over Kafka (kafkajs), as a Nest custom transport. Topic = event type, key = subject.
 * The offset is committed only after the handler succeeded or the message was dead-lettered, so
 * nothing is lost across restarts; a failing handler is retried in place (keeping per-key order)
 * and dead-lettered after `maxAttempts`. With no reachable broker the server keeps retrying in the
 * background and reports itself unhealthy instead of crashing the process.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private readonly kafka: Kafka;
  private readonly retry: RetryPolicy;
  private consumer?: Consumer;
  private producer?: Producer;
  private running = false;
  private stopping = false;
  private starting?: Promise<void>;

  constructor(private readonly options: KafkaServerOptions) {
    super();
    this.kafka = createKafka(options);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  listen(callback: () => void): void {
    this.starting = this.startWithRetries();
    callback();
  }

  isHealthy(): boolean {
    return this.running && !this.stopping;
  }

  /** Resolves once consuming (tests wait on it). */
  ready(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  private async startWithRetries(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        const wait = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
        this.logger.error(`Kafka not reachable (${errorReason(error)}); retrying in ${wait} ms`);
        await this.consumer?.disconnect().catch(() => undefined);
        await sleep(wait);
      }
    }
  }

  private async start(): Promise<void> {
    const types = [...this.getHandlers().entries()].filter(([, h]) => h.isEventHandler).map(([p]) => p);
    await ensureTopics(this.kafka, [...types, ...(this.options.publishes ?? []), deadLetterTopic(this.options.group)], this.options);
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: this.options.group });
    await this.consumer.connect();
    if (types.length) await this.consumer.subscribe({ topics: types, fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: Math.max(1, Math.min(8, this.options.partitions)),
      eachMessage: async ({ topic, partition, message }) => {
        await this.process(topic, partition, message.offset, message.value);
      },
    });
    this.running = true;
    this.logger.log(`Kafka consumer of group ${this.options.group}: ${types.length} topics`);
  }

  private async process(topic: string, partition: number, offset: string, value: Buffer | null): Promise<void> {
    const parsed = parseMessage(value);
    const event = parsed.event;
    if (!event) return this.deadLetter(topic, partition, offset, value, parsed.reason ?? 'invalid', 0);
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await runWithTrace(event.correlationId ?? event.id, () => runHandler(handler, event));
        return;
      } catch (error) {
        const reason = errorReason(error);
        if (attempt >= this.retry.maxAttempts) {
          return this.deadLetter(topic, partition, offset, value, `handler failed ${attempt} times: ${reason}`, attempt);
        }
        this.logger.warn(`${event.type} ${event.id} attempt ${attempt}/${this.retry.maxAttempts} failed: ${reason}`);
        // Throwing during shutdown leaves the offset uncommitted: the message is redelivered later.
        if (this.stopping) throw error;
        await sleep(backoffMs(this.retry, attempt));
      }
    }
  }

  private async deadLetter(topic: string, partition: number, offset: string, value: Buffer | null, reason: string, attempts: number) {
    this.logger.error(`dead-lettered ${topic}[${partition}]@${offset}: ${reason}`);
    await this.producer!.send({
      topic: deadLetterTopic(this.options.group),
      messages: [
        {
          key: `${topic}:${partition}:${offset}`,
          value: value ?? '',
          headers: { topic, partition: String(partition), offset, reason, attempts: String(attempts), failedAt: new Date().toISOString() },
        },
      ],
    });
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => undefined); // waits for in-flight eachMessage
    await this.producer?.disconnect().catch(() => undefined);
    this.running = false;
  }

  on(): void {
    throw new Error('KafkaEventServer does not support status listeners');
  }

  unwrap<T>(): T {
    return this.kafka as T;
  }
}
