import { randomUUID } from 'node:crypto';
import type { Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { createEvent, type EventEnvelope } from '../../contracts/envelope';
import { EVENT_TYPES } from '../../contracts/registry';
import type { RetryPolicy } from '../dispatch';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { SASLOptions } from 'kafkajs';
import { KafkaEventClient } from '../kafka.client';
import { KafkaEventServer } from '../kafka.server';
import { createKafka, deadLetterTopic, topicOf } from '../kafka.shared';

export type Handler = (event: EventEnvelope<{ productId: string; name: string }>) => Promise<void>;

export interface RunningConsumer {
  server: Server;
  /** Graceful stop: finish in-flight, release. */
  stop(): Promise<void>;
}

/** A consumer in its own process that takes events and never finishes them, until it is killed. */
export interface DoomedConsumer {
  /** Ids of the events it holds unfinished. */
  holding: Set<string>;
  /** SIGKILL: no clean-up at all, as a crash; resolves once the process is gone. */
  kill(): Promise<void>;
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
  /** Joins `group` in a child process that holds the events of subjects starting with `holdPrefix`. */
  consumeInChild(group: string, holdPrefix: string): Promise<DoomedConsumer>;
  deadLetters(group: string): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

export const TEST_TYPE = EVENT_TYPES.ProductUpserted;

/** The workspace root: the child consumer runs from there with tsx and the tools' tsconfig. */
const ROOT = resolve(__dirname, '../../../../..');

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
  const children: ChildProcess[] = [];
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
      const server = new KafkaEventServer({
        ...options,
        service: group,
        retry: retry ?? { maxAttempts: 3, backoffBaseMs: 20, backoffMaxMs: 100 },
      });
      register(server, handler);
      server.listen(() => undefined);
      await server.ready();
      consumers.push(server);
      return { server, stop: () => server.close() };
    },
    async consumeInChild(group, holdPrefix) {
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'doomed-consumer.ts')], {
        cwd: ROOT,
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: join(ROOT, 'tools/tsconfig.json'),
          CONTRACT_CONSUMER: JSON.stringify({ options: { ...options, service: group }, holdPrefix }),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const stdout = child.stdout;
      if (!stdout) throw new Error('the consumer process has no stdout');
      children.push(child);
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const holding = new Set<string>();
      await new Promise<void>((ready, failed) => {
        let buffered = '';
        stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) {
            if (line === 'ready') ready();
            else if (line.startsWith('holding ')) holding.add(line.slice('holding '.length));
          }
        });
        void exited.then(() => failed(new Error(`the consumer process exited (${child.exitCode ?? child.signalCode}) before joining`)));
      });
      return {
        holding,
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
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
      for (const child of children) if (child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
      await Promise.all(consumers.map((c) => c.close()));
      await client.close();
    },
  };
}
