import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafkaStandin, type RunningBroker } from '@techan/kafka-standin';
import { lastValueFrom } from 'rxjs';
import { createEvent, type EventEnvelope } from '../contracts/envelope';
import { EVENT_TYPES } from '../contracts/registry';
import { waitFor } from './contract/wait-for';
import { KafkaEventClient } from './kafka.client';
import { KafkaEventServer } from './kafka.server';

/**
 * Found by the chaos harness (issue 15): Kafka restarted while a consumer re-authenticated, kafkajs
 * crashed the consumer with a non-retriable SASL error and never restarted it; the service kept
 * answering healthy and stopped consuming for good. Here the broker comes back refusing the
 * service's password for a while, then accepting it again.
 */
describe('Kafka consumer after kafkajs gives up on it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'techan-kafka-restart-'));
  let broker: RunningBroker;
  let port: number;
  const start = (password: string) =>
    startKafkaStandin({ port, dataDir, users: { catalog: password }, superUsers: ['catalog'], initialRebalanceDelayMs: 0, log: () => undefined });
  const options = () => ({
    brokers: [`127.0.0.1:${port}`],
    clientId: 'restart-test',
    partitions: 1,
    replicationFactor: 1,
    sasl: { mechanism: 'scram-sha-256' as const, username: 'catalog', password: 'right' },
  });
  let server: KafkaEventServer;
  let client: KafkaEventClient;
  const handled: string[] = [];
  const publish = (subject: string) =>
    lastValueFrom(client.emit(EVENT_TYPES.ProductUpserted, createEvent(EVENT_TYPES.ProductUpserted, subject, { productId: subject, merchantId: 'm-1', name: subject, updatedAt: new Date().toISOString() }, { source: 'catalog' })), { defaultValue: undefined });

  beforeAll(async () => {
    broker = await startKafkaStandin({ dataDir, users: { catalog: 'right' }, superUsers: ['catalog'], initialRebalanceDelayMs: 0, log: () => undefined });
    port = broker.port;
    server = new KafkaEventServer({ ...options(), service: 'restart' });
    server.addHandler(EVENT_TYPES.ProductUpserted, async (e: EventEnvelope) => void handled.push(e.subject), true);
    server.listen(() => undefined);
    await server.ready();
    client = new KafkaEventClient(options());
  });
  afterAll(async () => {
    await server?.close();
    await client?.close();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports itself unhealthy, then consumes again once the broker accepts it', async () => {
    await publish('before');
    await waitFor('the first event', () => handled.includes('before'), 20_000);
    expect(server.isHealthy()).toBe(true);

    await broker.stop();
    broker = await start('changed'); // the consumer's re-authentication fails: kafkajs gives up
    await waitFor('the server to report the dead consumer', () => !server.isHealthy(), 30_000);

    await broker.stop();
    broker = await start('right');
    await publish('after');
    await waitFor('the event after the broker accepts the service again', () => handled.includes('after'), 60_000);
    expect(server.isHealthy()).toBe(true);
  }, 120_000);
});
