import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { ownerOf } from '../contracts/registry';
import { runWithTrace } from '../logging/trace-context';
import { backoffMs, DEFAULT_RETRY, errorReason, parseMessage, runHandler, sleep, sleepUnless, type RetryPolicy } from './dispatch';
import { createKafka, deadLetterTopic, ensureTopics, laneGroupOf, laneOf, topicOf, type ConsumerLane, type KafkaBusOptions } from './kafka.shared';

export { createKafka, deadLetterTopic, ensureTopics } from './kafka.shared';

export interface KafkaServerOptions extends KafkaBusOptions {
  /** The consuming service: its group (`<service>[.<namespace>]`) and dead-letter topic are named after it. */
  service: string;
  retry?: RetryPolicy;
  /** Event types this service publishes: their topics are created at start-up too. */
  publishes?: string[];
  /** Accept events whose `source` does not own their type (only the contract suite's probes). Default false. */
  acceptForeignSources?: boolean;
}

/**
 * Group timing: a crashed member is noticed after `sessionTimeout` (6 s, the smallest a stock broker
 * accepts: group.min.session.timeout.ms) and its partitions are handed over in the rebalance that
 * follows; heartbeats every second; a long poll waits at most 1 s, so heartbeats are never late.
 */
export const CONSUMER_TIMING = { sessionTimeout: 6_000, heartbeatInterval: 1_000, rebalanceTimeout: 10_000, maxWaitTimeInMs: 1_000 };

/**
 * Event consumer over Kafka (kafkajs), as a Nest custom transport. Topic = event type, key = subject.
 * Each lane (`laneOf`: certification status events apart from the rest) has its own consumer and
 * group, so a slow handler in one lane never delays the other.
 * The offset is committed only after the handler succeeded or the message was dead-lettered, so
 * nothing is lost across restarts; a failing handler is retried in place (keeping per-key order)
 * and dead-lettered after `maxAttempts`. An event whose `source` is not the owner of its type is
 * dead-lettered unhandled. With no reachable broker the server keeps retrying in the background and
 * reports itself unhealthy instead of crashing the process. kafkajs gives up on a consumer for good
 * after a non-retriable error (e.g. its re-authentication failing while the broker restarts); the
 * server then reports itself unhealthy and starts all its consumers again, as at start-up.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private readonly kafka: Kafka;
  private readonly retry: RetryPolicy;
  private consumers: Consumer[] = [];
  private producer?: Producer;
  private running = false;
  private stopping = false;
  private starting?: Promise<void>;
  private joined?: Promise<void>;
  private restarting?: Promise<void>;
  /** Ends a back-off wait at once when the service stops (no timer outlives close()). */
  private readonly stopSignal = new AbortController();

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

  /** Resolves once consuming with partitions assigned (tests wait on it). */
  async ready(): Promise<void> {
    await this.starting;
    await this.joined;
  }

  private get types(): string[] {
    return [...this.getHandlers().entries()].filter(([, h]) => h.isEventHandler).map(([p]) => p);
  }

  private async startWithRetries(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        if (this.stopping) return;
        const wait = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
        this.logger.error(`Kafka not reachable (${errorReason(error)}); retrying in ${wait} ms`);
        await this.disconnectConsumers();
        await sleepUnless(wait, this.stopSignal.signal);
      }
    }
  }

  private async start(): Promise<void> {
    const { namespace, service } = this.options;
    const types = this.types;
    await ensureTopics(this.kafka, [...types, ...(this.options.publishes ?? []), `techan.${service}.dlq`], this.options);
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    const lanes = new Map<ConsumerLane, string[]>();
    for (const type of types) lanes.set(laneOf(type), [...(lanes.get(laneOf(type)) ?? []), type]);
    const joined: Promise<void>[] = [];
    for (const [lane, laneTypes] of lanes) {
      const consumer = this.kafka.consumer({ groupId: laneGroupOf(service, lane, namespace), ...CONSUMER_TIMING });
      this.consumers.push(consumer);
      joined.push(
        new Promise<void>((resolve) => {
          consumer.on(consumer.events.GROUP_JOIN, () => resolve());
          setTimeout(resolve, 30_000).unref();
        }),
      );
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart || this.stopping) return; // kafkajs restarts it by itself
        this.logger.error(`Kafka consumer of group ${payload.groupId} stopped for good (${errorReason(payload.error)}); starting the consumers again`);
        void this.restart();
      });
      await consumer.connect();
      await consumer.subscribe({ topics: laneTypes.map((t) => topicOf(t, namespace)), fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: Math.max(1, Math.min(8, this.options.partitions * laneTypes.length)),
        eachMessage: async ({ topic, partition, message }) => {
          await this.process(topic, partition, message.offset, message.value);
        },
      });
    }
    this.joined = Promise.all(joined).then(() => undefined);
    // Closed while starting: what this start connected must not outlive close().
    if (this.stopping) throw new Error('closed while starting');
    this.running = true;
    this.logger.log(
      `Kafka consumers of ${service}: ${[...lanes].map(([lane, t]) => `group ${laneGroupOf(service, lane, namespace)} (${t.length} topics)`).join(', ') || 'none'}`,
    );
  }

  /** One restart at a time: every consumer and the producer go, then start-up runs again with its retries. */
  private restart(): Promise<void> {
    this.restarting ??= (async () => {
      this.running = false;
      await this.disconnectConsumers();
      await this.producer?.disconnect().catch(() => undefined);
      if (this.stopping) return;
      this.starting = this.startWithRetries();
      await this.starting;
    })().finally(() => (this.restarting = undefined));
    return this.restarting;
  }

  private async disconnectConsumers(): Promise<void> {
    const consumers = this.consumers.splice(0);
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined))); // waits for in-flight eachMessage
  }

  private async process(topic: string, partition: number, offset: string, value: Buffer | null): Promise<void> {
    const parsed = parseMessage(value);
    const event = parsed.event;
    if (!event) return this.deadLetter(topic, partition, offset, value, parsed.reason ?? 'invalid', 0);
    if (topicOf(event.type, this.options.namespace) !== topic) {
      return this.deadLetter(topic, partition, offset, value, `event type ${event.type} does not belong on topic ${topic}`, 0);
    }
    if (!this.options.acceptForeignSources && ownerOf(event.type) !== event.source) {
      return this.deadLetter(topic, partition, offset, value, `source ${JSON.stringify(event.source)} does not own ${event.type} (owner: ${ownerOf(event.type)})`, 0);
    }
    // A direct lookup: Nest's getHandlerByPattern tries JSON.parse on every call (a throw per event).
    const handler = this.getHandlers().get(event.type);
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
      topic: deadLetterTopic(this.options.service, this.options.namespace),
      acks: -1,
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
    this.stopSignal.abort();
    // A start or restart under way ends at its next step (bounded: shutdown must not hang on a broker).
    const underway = Promise.all([this.starting, this.restarting].map((p) => p?.catch(() => undefined)));
    const bound = new AbortController();
    await Promise.race([underway, sleepUnless(10_000, bound.signal)]);
    bound.abort();
    await this.disconnectConsumers();
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
