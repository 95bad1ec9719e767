import { randomUUID } from 'node:crypto';
import { testBusEnv } from '@techan/local-stack';
import type { SASLOptions } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { createEvent, type EventEnvelope } from '../contracts/envelope';
import { EVENT_TYPES } from '../contracts/registry';
import { waitFor } from './contract/wait-for';
import { KafkaEventClient } from './kafka.client';
import { KafkaEventServer } from './kafka.server';
import { consumerGroupOf, laneOf } from './kafka.shared';

/**
 * Issue 11: a certification status event (a red warning) must not wait behind a slow handler of
 * another topic. kafkajs fetches again only when every batch of the last fetch is handled, so in a
 * single consumer a status event published while an order-side handler is busy waits for it.
 */
describe('Kafka consumer lanes', () => {
  it('puts certification status events in their own group and everything else in the service group', () => {
    expect(laneOf(EVENT_TYPES.ProductStatusChanged)).toBe('status');
    expect(laneOf(EVENT_TYPES.StockReserved)).toBe('main');
    expect(consumerGroupOf('orders', EVENT_TYPES.ProductStatusChanged)).toBe('orders.status');
    expect(consumerGroupOf('orders', EVENT_TYPES.StockReserved)).toBe('orders');
    expect(consumerGroupOf('orders', EVENT_TYPES.ProductStatusChanged, 'ns1')).toBe('orders.status.ns1');
  });

  describe('on the run’s broker', () => {
    const env = testBusEnv('admin');
    const sasl = env['KAFKA_SASL_MECHANISM']
      ? ({ mechanism: env['KAFKA_SASL_MECHANISM'], username: env['KAFKA_USERNAME'], password: env['KAFKA_PASSWORD'] } as SASLOptions)
      : undefined;
    const namespace = `l${randomUUID().slice(0, 8)}`;
    const options = { brokers: env['KAFKA_BROKERS'].split(','), clientId: `lanes-${namespace}`, partitions: 2, replicationFactor: 1, namespace, sasl };
    const client = new KafkaEventClient(options);
    const server = new KafkaEventServer({ ...options, service: 'lanes', retry: { maxAttempts: 3, backoffBaseMs: 20, backoffMaxMs: 100 } });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    const statusHandled: string[] = [];

    beforeAll(async () => {
      // A slow order-side handler (as a checkout step calling Stripe under load) and a status handler.
      server.addHandler(
        EVENT_TYPES.ProductUpserted,
        async (e: EventEnvelope) => {
          started.push(e.subject);
          await released;
        },
        true,
      );
      server.addHandler(EVENT_TYPES.ProductStatusChanged, async (e: EventEnvelope) => void statusHandled.push(e.subject), true);
      server.listen(() => undefined);
      await server.ready();
    });
    afterAll(async () => {
      release();
      await server.close();
      await client.close();
    });

    it('handles a red warning while a handler of another topic is still busy', async () => {
      const upsert = createEvent(
        EVENT_TYPES.ProductUpserted,
        'p-slow',
        { productId: 'p-slow', merchantId: 'm-1', name: '马冈鹅', updatedAt: new Date().toISOString() },
        { source: 'catalog' },
      );
      await lastValueFrom(client.emit(upsert.type, upsert));
      await waitFor('the slow handler to start', () => started.length === 1, 30_000);

      const now = Date.now();
      const red = createEvent(
        EVENT_TYPES.ProductStatusChanged,
        'p-red',
        {
          productId: 'p-red',
          merchantId: 'm-1',
          version: 2,
          certificates: [
            {
              certificateId: 'cert-1',
              mark: 'magang',
              status: 'red_warning',
              colour: 'red',
              validFrom: new Date(now - 86_400_000).toISOString(),
              validUntil: new Date(now + 86_400_000).toISOString(),
            },
          ],
          purchasable: false,
          changedAt: new Date(now).toISOString(),
        },
        { source: 'certification' },
      );
      await lastValueFrom(client.emit(red.type, red));
      await waitFor('the red warning to be handled', () => statusHandled.includes('p-red'), 15_000);
      expect(started).toEqual(['p-slow']); // the slow handler is still running: the lanes are independent
    });
  });
});
