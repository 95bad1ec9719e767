import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { createEvent, EVENT_TYPES, ownerOf, type EventType } from '@techan/common';
import { publishTestEvent } from '@techan/common/testing';
import { testBusEnv } from '@techan/local-stack';
import { seedWithStatus } from './demo-status';
import { demoProductId, demoSkuId } from '../catalog/seed.service';
import { RESERVATION, STOCK, type ReservationDoc, type StockDoc } from '../persistence/schemas';
import { call, startHarness, type Harness } from './harness';

/** Waits for an asynchronous delivery (bus → handler) to show up; fails after `ms`. */
async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('catalog on the event bus (Kafka + outbox/inbox)', () => {
  let h: Harness;
  let reservations: Model<ReservationDoc>;
  let stock: Model<StockDoc>;
  let db: Connection;
  const goose = { productId: demoProductId('goose-whole'), skuId: demoSkuId('goose-whole', 'W30') };
  const tea = demoProductId('tea-black');

  // Events of other services are published with their owner's bus credentials and source (ACLs, source check).
  const emit = async (type: EventType, subject: string, data: unknown, id?: string) => {
    const owner = ownerOf(type)!;
    const event = createEvent(type, subject, data, { source: owner, ...(id ? { id } : {}) });
    await publishTestEvent(testBusEnv(owner), h.svc.config.EVENT_PREFIX, event);
    return event;
  };

  beforeAll(async () => {
    // Real time here: the bus delivers asynchronously and the reservation window must stay open.
    h = await startHarness(new Date().toISOString());
    await seedWithStatus(h.app, h.clock.now());
    reservations = h.app.get(getModelToken(RESERVATION));
    stock = h.app.get(getModelToken(STOCK));
    db = h.app.get(getConnectionToken());
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reserves on order-placed, publishes stock-reserved through the outbox, releases on order-cancelled', async () => {
    const before = (await stock.findById(goose.skuId).lean<StockDoc>())?.available ?? 0;
    const orderId = `ord-bus-${Date.now()}`;
    await emit(EVENT_TYPES.OrderPlaced, orderId, {
      orderId,
      buyerId: 'buyer-1',
      lines: [{ ...goose, quantity: 2, unitPriceFen: 26800 }],
      reserveUntil: new Date(Date.now() + 15 * 60_000).toISOString(),
      placedAt: new Date().toISOString(),
    });
    await until(() => reservations.findOne({ _id: orderId, status: 'reserved' }).lean());
    expect((await stock.findById(goose.skuId).lean<StockDoc>())?.available).toBe(before - 2);
    const published = await until(() =>
      db.collection('outbox').findOne({ type: EVENT_TYPES.StockReserved, subject: orderId, status: 'published' }),
    );
    expect(published['envelope']).toMatchObject({ source: 'catalog', data: { orderId, lines: [{ skuId: goose.skuId, quantity: 2 }] } });

    await emit(EVENT_TYPES.OrderCancelled, orderId, { orderId, reason: '买家取消', cancelledAt: new Date().toISOString() });
    await until(() => reservations.findOne({ _id: orderId, status: 'released' }).lean());
    await until(async () => (await stock.findById(goose.skuId).lean<StockDoc>())?.available === before);
    await until(() => db.collection('outbox').findOne({ type: EVENT_TYPES.StockReleased, subject: orderId }));
  });

  it('applies certification status events from the bus once, in version order', async () => {
    const inSearch = async () =>
      (await call(h, 'GET', `/catalog/search?q=${encodeURIComponent('大沙红茶')}`)).body.items.some((i: { id: string }) => i.id === tea);
    expect(await inSearch()).toBe(true);
    const status = (version: number, certStatus: 'active' | 'red_warning') => ({
      productId: tea,
      merchantId: 'm_demodashatea',
      version,
      certificates: [
        {
          certificateId: 'cert-bus',
          mark: 'dasha',
          status: certStatus,
          colour: certStatus === 'active' ? 'green' : 'red',
          validFrom: new Date(Date.now() - 86_400_000).toISOString(),
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        },
      ],
      purchasable: certStatus === 'active',
      changedAt: new Date().toISOString(),
    });
    const red = await emit(EVENT_TYPES.ProductStatusChanged, tea, status(3, 'red_warning'));
    await until(async () => !(await inSearch()));
    // An older version arriving late and a redelivery of the same event change nothing.
    await emit(EVENT_TYPES.ProductStatusChanged, tea, status(2, 'active'));
    await emit(EVENT_TYPES.ProductStatusChanged, tea, red.data, red.id);
    await until(() => db.collection('inbox').countDocuments({ subject: tea }).then((n) => n >= 2));
    expect(await inSearch()).toBe(false);
    const page = await call(h, 'GET', `/catalog/products/${tea}`);
    expect(page.body.availability).toMatchObject({ buyable: false, reason: 'red_warning' });
  });
});
