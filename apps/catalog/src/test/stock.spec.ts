import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { EVENT_TYPES, type OrderPlacedV1 } from '@techan/common';
import { CertificationProjection } from '../catalog/certification-projection.service';
import { StockService } from '../catalog/stock.service';
import { seedWithStatus } from './demo-status';
import { demoProductId, demoSkuId } from '../catalog/seed.service';
import { STOCK, type StockDoc } from '../persistence/schemas';
import { startHarness, type Harness } from './harness';

const MINUTE = 60_000;

describe('stock reservation saga participant (MongoDB stand-in)', () => {
  let h: Harness;
  let stockService: StockService;
  let stock: Model<StockDoc>;
  const goose = { productId: demoProductId('goose-whole'), skuId: demoSkuId('goose-whole', 'W40') };
  const tea = { productId: demoProductId('tea-green'), skuId: demoSkuId('tea-green', '250') };
  const rice = { productId: demoProductId('rice-simiao'), skuId: demoSkuId('rice-simiao', '5KG') };
  const suspended = { productId: demoProductId('guilinggao'), skuId: demoSkuId('guilinggao', '6') };

  let orderSeq = 0;
  const order = (lines: { productId: string; skuId: string; quantity: number }[], reserveMinutes = 15): OrderPlacedV1 => ({
    orderId: `ord-${++orderSeq}`,
    buyerId: 'buyer-1',
    lines: lines.map((l) => ({ ...l, unitPriceFen: 100 })),
    reserveUntil: new Date(h.clock.now().getTime() + reserveMinutes * MINUTE).toISOString(),
    placedAt: h.clock.now().toISOString(),
  });
  const row = async (skuId: string) => (await stock.findById(skuId).lean<StockDoc>().exec()) as StockDoc;
  const setStock = (skuId: string, available: number) => stock.updateOne({ _id: skuId }, { $set: { available, reserved: 0, holds: [] } });

  beforeAll(async () => {
    h = await startHarness();
    await seedWithStatus(h.app, h.clock.now());
    stockService = h.app.get(StockService);
    stock = h.app.get(getModelToken(STOCK));
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('100 concurrent orders for 10 units: exactly 10 reserved, no oversell, no lost units', async () => {
    await setStock(goose.skuId, 10);
    await setStock(tea.skuId, 1000);
    // Half the orders also take a tea line, so losers must give tea back (compensation).
    const orders = Array.from({ length: 100 }, (_, i) =>
      order(i % 2 ? [{ ...tea, quantity: 1 }, { ...goose, quantity: 1 }] : [{ ...goose, quantity: 1 }]),
    );
    const results = await Promise.all(orders.map((o) => stockService.onOrderPlaced(o)));
    const reserved = results.filter((r) => r.outcome === 'reserved');
    const rejected = results.filter((r) => r.outcome === 'rejected');
    expect(reserved).toHaveLength(10);
    expect(rejected).toHaveLength(90);
    for (const r of rejected) {
      if (r.outcome !== 'rejected') continue;
      expect(r.data.lines.find((l) => l.skuId === goose.skuId)).toMatchObject({ reason: 'insufficient_stock' });
    }
    const g = await row(goose.skuId);
    expect(g).toMatchObject({ available: 0, reserved: 10 });
    expect(g.holds).toHaveLength(10);
    const teaHeld = reserved.filter((r) => r.outcome === 'reserved' && r.data.lines.some((l) => l.skuId === tea.skuId)).length;
    expect(await row(tea.skuId)).toMatchObject({ available: 1000 - teaHeld, reserved: teaHeld });
    expect(h.events.ofType(EVENT_TYPES.StockReserved)).toHaveLength(10);
    expect(h.events.ofType(EVENT_TYPES.StockRejected)).toHaveLength(90);

    // Cancelling every winner gives every unit back.
    const winners = reserved.map((r) => (r.outcome === 'reserved' ? r.data.orderId : ''));
    await Promise.all(winners.map((orderId) => stockService.onOrderCancelled({ orderId, reason: 'buyer', cancelledAt: h.clock.now().toISOString() })));
    expect(await row(goose.skuId)).toMatchObject({ available: 10, reserved: 0, holds: [] });
    expect(await row(tea.skuId)).toMatchObject({ available: 1000, reserved: 0, holds: [] });
    expect(h.events.ofType(EVENT_TYPES.StockReleased)).toHaveLength(10);
  }, 120_000);

  it('is idempotent under redelivery of the same order', async () => {
    await setStock(goose.skuId, 5);
    const o = order([{ ...goose, quantity: 2 }]);
    const [a, b] = await Promise.all([stockService.onOrderPlaced(o), stockService.onOrderPlaced(o)]);
    expect([a.outcome, b.outcome].sort()).toEqual(['duplicate', 'reserved']);
    expect(await stockService.onOrderPlaced(o)).toEqual({ outcome: 'duplicate', status: 'reserved' });
    expect(await row(goose.skuId)).toMatchObject({ available: 3, reserved: 2 });
  });

  it('completes a redelivered order that crashed after taking its units, without taking them twice (issue 9, item 4)', async () => {
    await setStock(goose.skuId, 5);
    await setStock(tea.skuId, 5);
    const o = order([{ ...goose, quantity: 2 }, { ...tea, quantity: 1 }]);
    // The crashed delivery took the goose units (its hold is there) and died before the tea line and the record.
    await stock.updateOne({ _id: goose.skuId }, { $inc: { available: -2, reserved: 2 }, $push: { holds: { orderId: o.orderId, quantity: 2, at: h.clock.now() } } });
    const r = await stockService.onOrderPlaced(o);
    expect(r.outcome).toBe('reserved');
    expect(await row(goose.skuId)).toMatchObject({ available: 3, reserved: 2 });
    expect(await row(tea.skuId)).toMatchObject({ available: 4, reserved: 1 });
    // And one that crashed with every line taken: reserved too, nothing taken again.
    await setStock(goose.skuId, 5);
    const all = order([{ ...goose, quantity: 5 }]);
    await stock.updateOne({ _id: goose.skuId }, { $inc: { available: -5, reserved: 5 }, $push: { holds: { orderId: all.orderId, quantity: 5, at: h.clock.now() } } });
    expect((await stockService.onOrderPlaced(all)).outcome).toBe('reserved');
    expect(await row(goose.skuId)).toMatchObject({ available: 0, reserved: 5 });
  });

  it('rejects lines that are not purchasable right now, reserving nothing', async () => {
    await setStock(goose.skuId, 5);
    const r = await stockService.onOrderPlaced(order([{ ...goose, quantity: 1 }, { ...suspended, quantity: 1 }, { productId: 'p_x', skuId: 's_missing', quantity: 1 }]));
    expect(r).toEqual({
      outcome: 'rejected',
      data: expect.objectContaining({
        lines: [
          { skuId: goose.skuId },
          { skuId: suspended.skuId, reason: 'not_purchasable', detail: 'suspended' },
          { skuId: 's_missing', reason: 'unknown_sku', detail: '商品不存在' },
        ],
      }),
    });
    expect(await row(goose.skuId)).toMatchObject({ available: 5, reserved: 0 });
  });

  it('re-checks certification at reservation time (a red warning that just arrived blocks it)', async () => {
    await setStock(tea.skuId, 5);
    const current = await h.app.get(CertificationProjection).statusOf(tea.productId);
    await h.app.get(CertificationProjection).apply({
      productId: tea.productId,
      merchantId: current?.merchantId ?? 'm',
      version: (current?.version ?? 1) + 1,
      certificates: (current?.certificates ?? []).map((c) => ({ ...c, status: 'red_warning' as const, colour: 'red' as const })),
      purchasable: false,
      changedAt: h.clock.now().toISOString(),
    });
    const r = await stockService.onOrderPlaced(order([{ ...tea, quantity: 1 }]));
    expect(r.outcome).toBe('rejected');
    expect(await row(tea.skuId)).toMatchObject({ available: 5 });
  });

  it('releases on timeout', async () => {
    h.clock.advance(16 * MINUTE); // earlier tests' reservations (15 min) are due first
    expect(await stockService.releaseExpired()).toBeGreaterThan(0);
    await setStock(goose.skuId, 4);
    const o = order([{ ...goose, quantity: 3 }], 30);
    const r = await stockService.onOrderPlaced(o);
    expect(r.outcome === 'reserved' && r.data.reservedUntil).toBe(o.reserveUntil);
    h.clock.advance(29 * MINUTE);
    expect(await stockService.releaseExpired()).toBe(0);
    h.clock.advance(2 * MINUTE);
    expect(await stockService.releaseExpired()).toBe(1);
    expect(await row(goose.skuId)).toMatchObject({ available: 4, reserved: 0, holds: [] });
    expect(h.events.ofType(EVENT_TYPES.StockReleased).at(-1)?.data).toEqual({ orderId: o.orderId, reason: 'timeout' });
  });

  it('never holds past the certificates\' validUntil', async () => {
    const projection = h.app.get(CertificationProjection);
    const current = await projection.statusOf(goose.productId);
    const endsSoon = new Date(h.clock.now().getTime() + 10 * MINUTE).toISOString();
    await projection.apply({
      productId: goose.productId,
      merchantId: current?.merchantId ?? 'm',
      version: (current?.version ?? 1) + 1,
      certificates: (current?.certificates ?? []).map((c) => ({ ...c, validUntil: endsSoon })),
      purchasable: true,
      changedAt: h.clock.now().toISOString(),
    });
    const r = await stockService.onOrderPlaced(order([{ ...goose, quantity: 1 }], 30));
    expect(r.outcome === 'reserved' && r.data.reservedUntil).toBe(new Date(endsSoon).toISOString());
    h.clock.advance(11 * MINUTE);
    expect(await stockService.releaseExpired()).toBe(1);
  });

  it('a cancellation that overtakes the order leaves nothing held', async () => {
    await setStock(goose.skuId, 4);
    const o = order([{ ...goose, quantity: 1 }]);
    await stockService.onOrderCancelled({ orderId: o.orderId, reason: 'buyer', cancelledAt: h.clock.now().toISOString() });
    expect(await stockService.onOrderPlaced(o)).toEqual({ outcome: 'duplicate', status: 'released' });
    expect(await row(goose.skuId)).toMatchObject({ available: 4, reserved: 0 });
  });

  it('commits a paid order: held units become sold and the timeout no longer releases them', async () => {
    // (goose's certificate was left expiring by the previous test)
    await setStock(rice.skuId, 4);
    const o = order([{ ...rice, quantity: 3 }], 5);
    expect((await stockService.onOrderPlaced(o)).outcome).toBe('reserved');
    expect(await stockService.commit(o.orderId)).toBe(true);
    expect(await stockService.commit(o.orderId)).toBe(false);
    h.clock.advance(10 * MINUTE);
    await stockService.releaseExpired();
    expect(await row(rice.skuId)).toMatchObject({ available: 1, reserved: 0, sold: 3, holds: [] });
    expect(await stockService.onOrderCancelled({ orderId: o.orderId, reason: 'late', cancelledAt: h.clock.now().toISOString() })).toBe(false);
    expect(await row(rice.skuId)).toMatchObject({ available: 1, sold: 3 });
  });

  it('does not commit a paid order whose product was blocked since the reservation', async () => {
    await setStock(rice.skuId, 4);
    const soldBefore = (await row(rice.skuId)).sold ?? 0;
    const o = order([{ ...rice, quantity: 2 }], 30);
    expect((await stockService.onOrderPlaced(o)).outcome).toBe('reserved');
    const projection = h.app.get(CertificationProjection);
    const current = await projection.statusOf(rice.productId);
    await projection.apply({
      productId: rice.productId,
      merchantId: current?.merchantId ?? 'm',
      version: (current?.version ?? 1) + 1,
      certificates: (current?.certificates ?? []).map((c) => ({ ...c, status: 'red_warning' as const, colour: 'red' as const })),
      purchasable: false,
      changedAt: h.clock.now().toISOString(),
    });
    expect(await stockService.onOrderPaid({ orderId: o.orderId, buyerId: 'buyer-1', channel: 'retail', lines: o.lines, totalFen: 200, paidAt: h.clock.now().toISOString() })).toBe(false);
    expect(await row(rice.skuId)).toMatchObject({ available: 2, reserved: 2, sold: soldBefore });
    // The recall's cancellation gives the units back.
    expect(await stockService.onOrderCancelled({ orderId: o.orderId, reason: 'recall', cancelledAt: h.clock.now().toISOString() })).toBe(true);
    expect(await row(rice.skuId)).toMatchObject({ available: 4, reserved: 0, sold: soldBefore });
  });

  it('gives back holds orphaned by a crash before the reservation was recorded', async () => {
    await setStock(goose.skuId, 4);
    await stock.updateOne({ _id: goose.skuId }, { $inc: { available: -2, reserved: 2 }, $push: { holds: { orderId: 'ord-crashed', quantity: 2, at: h.clock.now() } } });
    expect(await stockService.releaseOrphanHolds()).toBe(0);
    h.clock.advance(6 * MINUTE);
    expect(await stockService.releaseOrphanHolds()).toBe(1);
    expect(await row(goose.skuId)).toMatchObject({ available: 4, reserved: 0, holds: [] });
  });
});
