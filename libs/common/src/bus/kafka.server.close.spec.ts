import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafkaStandin, type RunningBroker } from '@techan/kafka-standin';
import { lastValueFrom } from 'rxjs';
import { createEvent, type EventEnvelope } from '../contracts/envelope';
import { EVENT_TYPES } from '../contracts/registry';
import { sleep } from './dispatch';
import { KafkaEventClient } from './kafka.client';
import { KafkaEventServer } from './kafka.server';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/**
 * A service stopped while its bus consumers were still starting (the broker not there yet, or coming
 * back after a restart) must not start consuming afterwards: close() used to return at once while the
 * start went on in the background and connected consumers after the service had stopped.
 */
describe('KafkaEventServer.close() while starting', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'techan-kafka-close-'));
  let broker: RunningBroker | undefined;
  let client: KafkaEventClient | undefined;
  afterAll(async () => {
    await client?.close();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('waits for the start under way to end, and nothing consumes after it returned', async () => {
    const port = await freePort();
    const options = { brokers: [`127.0.0.1:${port}`], clientId: 'close-test', partitions: 1, replicationFactor: 1 };
    const handled: string[] = [];
    const server = new KafkaEventServer({ ...options, service: 'closing' });
    server.addHandler(EVENT_TYPES.ProductUpserted, async (e: EventEnvelope) => void handled.push(e.subject), true);
    server.listen(() => undefined); // nobody listens on the port yet: kafkajs keeps retrying
    await sleep(500);
    broker = await startKafkaStandin({ port, dataDir, initialRebalanceDelayMs: 0, log: () => undefined });
    await server.close(); // the service stops while its start is still under way

    client = new KafkaEventClient(options);
    const subject = 'after-close';
    await lastValueFrom(client.emit(EVENT_TYPES.ProductUpserted, createEvent(EVENT_TYPES.ProductUpserted, subject, { productId: subject, merchantId: 'm-1', name: subject, updatedAt: new Date().toISOString() }, { source: 'catalog' })), { defaultValue: undefined });
    await sleep(5_000); // ample for a consumer that kept running to join and take it
    expect(handled).toEqual([]);
    expect(server.isHealthy()).toBe(false);
  }, 90_000);
});
