import { randomUUID } from 'node:crypto';
import type { Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { createEvent, type EventEnvelope } from '../../contracts/envelope';
import { EVENT_TYPES } from '../../contracts/registry';
import type { RetryPolicy } from '../dispatch';
import { createConnection, type Socket } from 'node:net';
import type { ISocketFactory, SASLOptions } from 'kafkajs';
import { KafkaEventClient } from '../kafka.client';
import { KafkaEventServer } from '../kafka.server';
import { createKafka, deadLetterTopic, topicOf } from '../kafka.shared';

export type Handler = (event: EventEnvelope<{ productId: string; name: string }>) => Promise<void>;

export interface RunningConsumer {
  server: Server;
  /** Graceful stop: finish in-flight, release. */
  stop(): Promise<void>;
  /** Dies without any clean-up, as a killed process would. */
  crash(): Promise<void>;
}

export interface DeadLetter {
  reason: string;
  body: string;
}

/** What the contract suite needs from a transport. */
export interface TransportHarness {
  name: string;
  /** Long enough for a transport to notice a dead consumer. */
  failoverMs: number;
  publish(subject: string, name: string): Promise<EventEnvelope>;
  publishRaw(body: string): Promise<void>;
  consume(group: string, handler: Handler, retry?: RetryPolicy): Promise<RunningConsumer>;
  deadLetters(group: string): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

export const TEST_TYPE = EVENT_TYPES.ProductUpserted;

export function productEvent(subject: string, name: string): EventEnvelope {
  return createEvent(
    TEST_TYPE,
    subject,
    { productId: subject, merchantId: 'm-1', name, updatedAt: new Date().toISOString() },
    { source: 'catalog' }, // the owner of the test type: consumers refuse other sources
  );
}

function register(server: Server, handler: Handler) {
  server.addHandler(TEST_TYPE, (event: EventEnvelope) => handler(event as never), true);
}

/**
 * The Kafka transport as services use it, on the run's stand-in (or KAFKA_BROKERS). The harness acts as
 * the bus `admin` (it writes raw and forged messages); the events it publishes come from `catalog`,
 * the owner of the test type, so consumers accept them.
 */
export function kafkaHarness(brokers: string[], sasl?: SASLOptions): TransportHarness {
  const namespace = `c${randomUUID().slice(0, 8)}`;
  const options = { brokers, clientId: `contract-${namespace}`, partitions: 4, replicationFactor: 1, namespace, sasl };
  const client = new KafkaEventClient(options);
  const consumers: KafkaEventServer[] = [];
  return {
    name: 'Kafka',
    failoverMs: 15_000,
    async publish(subject, name) {
      const event = productEvent(subject, name);
      await lastValueFrom(client.emit(TEST_TYPE, event));
      return event;
    },
    async publishRaw(body) {
      const producer = await client.connect();
      await producer.send({ topic: topicOf(TEST_TYPE, namespace), messages: [{ key: 'raw', value: body }] });
    },
    async consume(group, handler, retry) {
      // Sockets through this factory can be cut at once, as when the process is killed.
      const sockets = new Set<Socket>();
      let dead = false;
      const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
        const socket = createConnection({ host, port }, onConnect);
        if (dead) socket.destroy();
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        return socket;
      };
      const server = new KafkaEventServer({
        ...options,
        socketFactory,
        service: group,
        retry: retry ?? { maxAttempts: 3, backoffBaseMs: 20, backoffMaxMs: 100 },
      });
      register(server, handler);
      server.listen(() => undefined);
      await server.ready();
      consumers.push(server);
      return {
        server,
        stop: () => server.close(),
        crash: async () => {
          // No LeaveGroup, no commit: the broker notices only when the session times out.
          dead = true;
          consumers.splice(consumers.indexOf(server), 1);
          for (const s of sockets) s.destroy();
        },
      };
    },
    async deadLetters(group) {
      const kafka = createKafka({ brokers, clientId: `dlq-reader-${namespace}`, sasl });
      const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
      const letters: DeadLetter[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: deadLetterTopic(group, namespace), fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          letters.push({ reason: String(message.headers?.['reason'] ?? ''), body: String(message.value ?? '') });
        },
      });
      await new Promise((r) => setTimeout(r, 3_000));
      await consumer.disconnect();
      return letters;
    },
    async close() {
      await Promise.all(consumers.map((c) => c.close()));
      await client.close();
    },
  };
}
