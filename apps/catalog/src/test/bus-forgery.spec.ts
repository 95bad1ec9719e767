import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { createEvent, deadLetterTopic, EVENT_TYPES, type ProductStatusChangedV1 } from '@techan/common';
import { publishTestEvent } from '@techan/common/testing';
import { testBusEnv } from '@techan/local-stack';
import { SeedService, demoProductId, demoSkuId } from '../catalog/seed.service';
import { call, startHarness, type Harness } from './harness';

/**
 * Issue 10's probe: a forged `product-status-changed` with version 999 once made a revoked product
 * buyable for good. Now the bus refuses a writer that does not own the type (ACL), the consumer
 * refuses a source that does not own it (dead letter with the reason), and the real revocation wins.
 */
describe('catalog: forged status events cannot override certification', () => {
  let h: Harness;
  let db: Connection;
  const tea = demoProductId('tea-black');
  const teaSku = demoSkuId('tea-black', '250');

  beforeAll(async () => {
    h = await startHarness(new Date().toISOString());
    await h.app.get(SeedService).seed();
    db = h.app.get(getConnectionToken());
  });
  afterAll(() => h?.close());

  const status = (version: number, certStatus: 'active' | 'revoked'): ProductStatusChangedV1 => ({
    productId: tea,
    merchantId: 'm_demodashatea',
    version,
    certificates: [
      {
        certificateId: 'cert-forgery',
        mark: 'dasha',
        status: certStatus,
        colour: certStatus === 'active' ? 'green' : 'grey',
        validFrom: new Date(Date.now() - 86_400_000).toISOString(),
        validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
      },
    ],
    purchasable: certStatus === 'active',
    changedAt: new Date().toISOString(),
  } as ProductStatusChangedV1);
  const availability = async () => (await call(h, 'GET', `/catalog/products/${tea}`)).body.availability as { buyable: boolean };
  async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('forged v999 (by another service, then with a foreign source), then the real revocation: not buyable', async () => {
    const prefix = h.svc.config.EVENT_PREFIX;
    const type = EVENT_TYPES.ProductStatusChanged;
    await publishTestEvent(testBusEnv('certification'), prefix, createEvent(type, tea, status(10, 'active'), { source: 'certification' }));
    await until('the real active status', async () => (await availability()).buyable);

    // 1. Orders' credentials cannot write certification's topic: the broker refuses the write.
    await expect(
      publishTestEvent(testBusEnv('orders'), prefix, createEvent(type, tea, status(999, 'active'), { source: 'certification' })),
    ).rejects.toThrow(/not authorized|TOPIC_AUTHORIZATION_FAILED/i);

    // 2. A writer past the ACL (the bus admin) with a source that does not own the type: dead-lettered.
    const forged = createEvent(type, tea, status(999, 'active'), { source: 'orders' });
    await publishTestEvent(testBusEnv('admin'), prefix, forged);

    // 3. The real revocation (certification's next version) is applied.
    await publishTestEvent(testBusEnv('certification'), prefix, createEvent(type, tea, status(11, 'revoked'), { source: 'certification' }));
    await until('the revocation', async () => !(await availability()).buyable);
    expect(await db.collection('inbox').countDocuments({ _id: forged.id } as never)).toBe(0);

    // The forged event is in catalog's dead letters with the reason.
    const env = testBusEnv('admin');
    const kafka = new Kafka({
      clientId: 'dlq-check',
      brokers: env['KAFKA_BROKERS'].split(','),
      sasl: env['KAFKA_SASL_MECHANISM'] ? ({ mechanism: env['KAFKA_SASL_MECHANISM'], username: env['KAFKA_USERNAME'], password: env['KAFKA_PASSWORD'] } as SASLOptions) : undefined,
      logLevel: logLevel.NOTHING,
    });
    const reader = kafka.consumer({ groupId: `dlq-check-${randomUUID()}`, maxWaitTimeInMs: 200 });
    const reasons: string[] = [];
    await reader.connect();
    await reader.subscribe({ topic: deadLetterTopic('catalog', prefix), fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void reasons.push(`${message.headers?.['reason']} ${String(message.value)}`) });
    await until('the dead letter', async () => reasons.some((r) => r.includes(forged.id)));
    await reader.disconnect();
    expect(reasons.find((r) => r.includes(forged.id))).toMatch(/source "orders" does not own techan\.certification\.product-status-changed\.v1/);

    // And a reservation for it is rejected.
    const orderId = `ord-forgery-${Date.now()}`;
    await publishTestEvent(
      testBusEnv('orders'),
      prefix,
      createEvent(
        EVENT_TYPES.OrderPlaced,
        orderId,
        { orderId, buyerId: 'buyer-1', lines: [{ productId: tea, skuId: teaSku, quantity: 1, unitPriceFen: 12800 }], reserveUntil: new Date(Date.now() + 15 * 60_000).toISOString(), placedAt: new Date().toISOString() },
        { source: 'orders' },
      ),
    );
    const rejected = await until('stock-rejected', () => db.collection('outbox').findOne({ type: EVENT_TYPES.StockRejected, subject: orderId }));
    expect(rejected['envelope']).toMatchObject({ source: 'catalog', data: { orderId } });
  });
});
