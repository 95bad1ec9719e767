import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { EVENT_TYPES } from '../contracts/registry';

/** Kafka's default max.message.bytes is 1 MB: an event must fit in one message, envelope included. */
export const MAX_EVENT_BYTES = 1_000_000;

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  partitions: number;
  replicationFactor: number;
  /**
   * Appended to topic and group names (`<type>.<namespace>`): tests isolate themselves this way.
   * Empty in production, so topics are the event types and prefixed ACLs (`techan.<service>.`) apply.
   */
  namespace?: string;
  sasl?: SASLOptions;
}

export const topicOf = (type: string, namespace = '') => (namespace ? `${type}.${namespace}` : type);
export const groupOf = (service: string, namespace = '') => (namespace ? `${service}.${namespace}` : service);
/** Dead letters of a service: under its own topic prefix, so its write ACL covers them. */
export const deadLetterTopic = (service: string, namespace = '') => topicOf(`techan.${service}.dlq`, namespace);

/**
 * Consumer lanes. kafkajs fetches from a broker, hands the batches to its workers and fetches again
 * only when every batch of that fetch is handled, so one slow handler (a checkout step calling
 * Stripe) holds back every other topic of the group. Certification status events block sales: they
 * get a lane of their own (its own consumer and group, hence its own fetch loop), so a red warning
 * never waits behind order traffic. Per-key order holds in each lane (one topic never spans lanes).
 */
export const PRIORITY_EVENT_TYPES: readonly string[] = [EVENT_TYPES.ProductStatusChanged];
export type ConsumerLane = 'main' | 'status';
export const laneOf = (type: string): ConsumerLane => (PRIORITY_EVENT_TYPES.includes(type) ? 'status' : 'main');
/** The group that consumes `type` for `service`: `<service>` (main lane) or `<service>.status` (`.<namespace>` appended in tests). */
export const consumerGroupOf = (service: string, type: string, namespace = '') => laneGroupOf(service, laneOf(type), namespace);
export const laneGroupOf = (service: string, lane: ConsumerLane, namespace = '') => groupOf(lane === 'main' ? service : `${service}.${lane}`, namespace);

/** Status topics: keyed by product and compacted, so a replay rebuilds the latest status of every product. */
export const COMPACTED_EVENT_TYPES: readonly string[] = [EVENT_TYPES.ProductStatusChanged];

/** Dead letters are kept 14 days and at most 256 MB per partition (then the oldest segments go). */
export const DEAD_LETTER_RETENTION = { ms: 14 * 24 * 3600 * 1000, bytes: 256 * 1024 * 1024 };

export function topicConfigEntries(type: string): { name: string; value: string }[] {
  if (COMPACTED_EVENT_TYPES.includes(type)) return [{ name: 'cleanup.policy', value: 'compact' }];
  if (/^techan\.[a-z]+\.dlq$/.test(type)) {
    return [
      { name: 'retention.ms', value: String(DEAD_LETTER_RETENTION.ms) },
      { name: 'retention.bytes', value: String(DEAD_LETTER_RETENTION.bytes) },
    ];
  }
  return [];
}

export function createKafka(options: Pick<KafkaBusOptions, 'brokers' | 'clientId' | 'sasl'>): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    sasl: options.sasl,
    logLevel: logLevel.ERROR,
    // kafkajs's 1 s default trips on a busy machine; a broker that answers in 5 s is slow, not gone.
    connectionTimeout: 5_000,
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
}

/**
 * Creates the topics of these event types (or dead-letter topics) that do not exist yet; existing ones
 * are left as they are. `types` are logical names; the namespace is applied here.
 */
export async function ensureTopics(kafka: Kafka, types: string[], options: KafkaBusOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(types)].filter((t) => !existing.has(topicOf(t, options.namespace)));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((type) => ({
          topic: topicOf(type, options.namespace),
          numPartitions: options.partitions,
          replicationFactor: options.replicationFactor,
          configEntries: topicConfigEntries(type),
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
