import fc from 'fast-check';
import type { CertificateSnapshot } from '@techan/common';
import { executeReservation, planReservation, type SkuForReservation, type StockPort } from './reservation';

const NOW = new Date('2026-11-23T08:00:00Z');
const cert = (over: Partial<CertificateSnapshot> = {}): CertificateSnapshot => ({
  certificateId: 'c1',
  mark: 'magang',
  status: 'active',
  colour: 'green',
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2027-01-01T00:00:00Z',
  ...over,
});
const sku = (skuId: string, over: Partial<SkuForReservation> = {}): SkuForReservation => ({
  skuId,
  productId: `prod-${skuId}`,
  listed: true,
  merchantApproved: true,
  certificates: [cert()],
  ...over,
});
const line = (skuId: string, quantity = 1) => ({ productId: `prod-${skuId}`, skuId, quantity, unitPriceFen: 100 });
const order = (lines: ReturnType<typeof line>[], reserveUntil = '2026-11-23T08:15:00Z') => ({ lines, reserveUntil });

describe('reservation planning', () => {
  it('merges repeated SKUs and holds until the order deadline', () => {
    const plan = planReservation(order([line('a', 2), line('b'), line('a', 3)]), new Map([['a', sku('a')], ['b', sku('b')]]), NOW);
    expect(plan).toEqual({
      ok: true,
      lines: [
        { skuId: 'a', quantity: 5 },
        { skuId: 'b', quantity: 1 },
      ],
      reservedUntil: new Date('2026-11-23T08:15:00Z'),
    });
  });

  it('never holds past a certificate validUntil', () => {
    const soon = sku('a', { certificates: [cert({ validUntil: '2026-11-23T08:05:00Z' })] });
    const plan = planReservation(order([line('a'), line('b')]), new Map([['a', soon], ['b', sku('b')]]), NOW);
    expect(plan.ok && plan.reservedUntil.toISOString()).toBe('2026-11-23T08:05:00.000Z');
  });

  it("never holds past a certificate's next inspection or the end of a yellow warning's grace", () => {
    const inspected = sku('a', { certificates: [cert({ nextInspectionAt: '2026-11-23T08:10:00Z' })] });
    const yellow = sku('b', { certificates: [cert({ status: 'yellow_warning', colour: 'yellow', graceUntil: '2026-11-23T08:07:00Z' })] });
    const longAgo = sku('c', { certificates: [cert({ nextInspectionAt: '2026-01-01T00:00:00Z' })] }); // already past: not a bound
    expect(planReservation(order([line('a')]), new Map([['a', inspected]]), NOW)).toMatchObject({ ok: true, reservedUntil: new Date('2026-11-23T08:10:00Z') });
    expect(planReservation(order([line('a'), line('b')]), new Map([['a', inspected], ['b', yellow]]), NOW)).toMatchObject({ ok: true, reservedUntil: new Date('2026-11-23T08:07:00Z') });
    expect(planReservation(order([line('c')]), new Map([['c', longAgo]]), NOW)).toMatchObject({ ok: true, reservedUntil: new Date('2026-11-23T08:15:00Z') });
  });

  it('rejects the whole order with a reason per failing line', () => {
    const skus = new Map([
      ['ok', sku('ok')],
      ['red', sku('red', { certificates: [cert({ status: 'red_warning', colour: 'red' })] })],
      ['expired', sku('expired', { certificates: [cert({ validUntil: '2026-11-23T07:00:00Z' })] })],
      ['gone', sku('gone', { listed: false })],
      ['other', sku('other', { productId: 'prod-x' })],
    ]);
    const plan = planReservation(order([line('ok'), line('red'), line('expired'), line('gone'), line('other'), line('missing')]), skus, NOW);
    expect(plan).toEqual({
      ok: false,
      lines: [
        { skuId: 'ok' },
        { skuId: 'red', reason: 'not_purchasable', detail: 'red_warning' },
        { skuId: 'expired', reason: 'not_purchasable', detail: 'expired' },
        { skuId: 'gone', reason: 'not_purchasable', detail: '商品已下架' },
        { skuId: 'other', reason: 'unknown_sku', detail: '该 SKU 不属于订单中的产品' },
        { skuId: 'missing', reason: 'unknown_sku', detail: '商品不存在' },
      ],
    });
  });

  it('refuses an order whose reservation window is already over', () => {
    const plan = planReservation(order([line('a')], '2026-11-23T07:59:59Z'), new Map([['a', sku('a')]]), NOW);
    expect(plan).toEqual({ ok: false, lines: [{ skuId: 'a', reason: 'not_purchasable', detail: 'reservation_window_over' }] });
  });
});

/** An in-memory stock with an atomic check-and-decrement, yielding between steps so orders interleave. */
class MemoryStock implements StockPort {
  readonly available = new Map<string, number>();
  constructor(stock: Record<string, number>, private readonly shuffle: () => number = Math.random) {
    for (const [k, v] of Object.entries(stock)) this.available.set(k, v);
  }
  private async tick() {
    const turns = Math.floor(this.shuffle() * 3);
    for (let i = 0; i < turns; i++) await Promise.resolve();
  }
  async tryReserve(skuId: string, quantity: number) {
    await this.tick();
    const have = this.available.get(skuId) ?? 0;
    if (have < quantity) return false;
    this.available.set(skuId, have - quantity);
    return true;
  }
  async release(skuId: string, quantity: number) {
    await this.tick();
    this.available.set(skuId, (this.available.get(skuId) ?? 0) + quantity);
  }
}

describe('reservation execution (all or nothing)', () => {
  it('reserves every line', async () => {
    const stock = new MemoryStock({ a: 3, b: 1 });
    await expect(executeReservation([{ skuId: 'a', quantity: 2 }, { skuId: 'b', quantity: 1 }], stock)).resolves.toEqual({
      ok: true,
      lines: [{ skuId: 'a', quantity: 2 }, { skuId: 'b', quantity: 1 }],
    });
    expect(Object.fromEntries(stock.available)).toEqual({ a: 1, b: 0 });
  });

  it('gives back what it took when a later line fails', async () => {
    const stock = new MemoryStock({ a: 3, b: 0 });
    const r = await executeReservation([{ skuId: 'a', quantity: 2 }, { skuId: 'b', quantity: 1 }], stock);
    expect(r).toEqual({ ok: false, lines: [{ skuId: 'a' }, { skuId: 'b', reason: 'insufficient_stock', detail: '库存不足 1' }] });
    expect(Object.fromEntries(stock.available)).toEqual({ a: 3, b: 0 });
  });

  it('compensates and rethrows when the store fails mid-way', async () => {
    const stock = new MemoryStock({ a: 3, b: 3 });
    const failing: StockPort = {
      tryReserve: (id, q) => (id === 'b' ? Promise.reject(new Error('connection reset')) : stock.tryReserve(id, q)),
      release: (id, q) => stock.release(id, q),
    };
    await expect(executeReservation([{ skuId: 'a', quantity: 1 }, { skuId: 'b', quantity: 1 }], failing)).rejects.toThrow('connection reset');
    expect(stock.available.get('a')).toBe(3);
  });

  // Half the orders also take an 'apple' line, reserved first (SKU order), so losers exercise compensation.
  it('100 concurrent orders for 10 units: no oversell, no lost units', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        let s = seed;
        const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const stock = new MemoryStock({ goose: 10, apple: 1000 }, rand);
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            executeReservation(i % 2 ? [{ skuId: 'goose', quantity: 1 }, { skuId: 'apple', quantity: 1 }] : [{ skuId: 'goose', quantity: 1 }], stock),
          ),
        );
        const won = results.filter((r) => r.ok).length;
        const appleWon = results.filter((r, i) => r.ok && i % 2).length;
        expect(won).toBe(10);
        expect(stock.available.get('goose')).toBe(0);
        expect(stock.available.get('apple')).toBe(1000 - appleWon);
      }),
      { numRuns: 30 },
    );
  });
});
