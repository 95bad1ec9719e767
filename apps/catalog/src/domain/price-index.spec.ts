import { chainedIndex, chinaDay, chinaDayClose, closingUnitPrices, computePriceIndex, daysBetween, median, unitPriceFen, type PriceChange } from './price-index';

const kg = { unit: 'g' as const, amount: 1000 };
const change = (skuId: string, at: string, priceFen: number | null, grams = 1000): PriceChange => ({
  skuId,
  at: new Date(at),
  priceFen,
  netContent: { value: grams, unit: 'g' },
});

describe('days in China Standard Time', () => {
  it('maps instants to CST calendar days and back', () => {
    expect(chinaDay(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(chinaDay(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
    expect(chinaDayClose('2026-11-23').toISOString()).toBe('2026-11-23T16:00:00.000Z');
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  });
});

describe('unit prices', () => {
  it('normalises pack sizes to the reference measure', () => {
    expect(unitPriceFen(8900, { value: 5000, unit: 'g' }, kg)).toBe(1780);
    expect(unitPriceFen(3600, { value: 12, unit: 'piece' }, { unit: 'piece', amount: 1 })).toBe(300);
    expect(unitPriceFen(3600, { value: 12, unit: 'piece' }, kg)).toBeUndefined();
  });

  it('takes the price in force at each day close and drops delisted SKUs', () => {
    const changes = [
      change('a', '2026-11-01T02:00:00Z', 2000),
      change('a', '2026-11-02T17:00:00Z', 2200), // 11-03 01:00 CST
      change('b', '2026-11-01T02:00:00Z', 5000, 2500),
      change('b', '2026-11-02T03:00:00Z', null),
    ];
    const prices = closingUnitPrices(changes, ['2026-10-31', '2026-11-01', '2026-11-02', '2026-11-03'], kg);
    expect([...prices].map(([d, m]) => [d, Object.fromEntries(m)])).toEqual([
      ['2026-10-31', {}],
      ['2026-11-01', { a: 2000, b: 2000 }],
      ['2026-11-02', { a: 2000 }],
      ['2026-11-03', { a: 2200 }],
    ]);
  });

  it('computes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

describe('chained matched-model index', () => {
  const day = (prices: Record<string, number>) => new Map(Object.entries(prices));

  it('is 100 on the base day and chains the geometric mean of matched relatives', () => {
    const points = chainedIndex(
      ['d1', 'd2', 'd3'],
      new Map([
        ['d1', day({ a: 100, b: 200 })],
        ['d2', day({ a: 110, b: 220 })], // +10 % both
        ['d3', day({ a: 121, b: 200 })], // +10 %, −9.09 %
      ]),
    );
    expect(points.map((p) => p.index)).toEqual([100, 110, 110]);
    expect(points[1]).toMatchObject({ medianUnitPriceFen: 165, skuCount: 2, matchedCount: 2, carried: false });
  });

  it('ignores a SKU entering or leaving (no composition effect)', () => {
    const points = chainedIndex(
      ['d1', 'd2', 'd3'],
      new Map([
        ['d1', day({ a: 100 })],
        ['d2', day({ a: 100, premium: 900 })],
        ['d3', day({ premium: 900 })],
      ]),
    );
    expect(points.map((p) => p.index)).toEqual([100, 100, 100]);
    expect(points.map((p) => p.medianUnitPriceFen)).toEqual([100, 500, 900]);
  });

  it('carries the level over a day without data and resumes against the last prices', () => {
    const points = chainedIndex(['d1', 'd2', 'd3'], new Map([['d1', day({ a: 100 })], ['d3', day({ a: 105 })]]));
    expect(points.map((p) => [p.index, p.carried, p.medianUnitPriceFen])).toEqual([
      [100, false, 100],
      [100, true, null],
      [105, false, 105],
    ]);
  });

  it('builds a drawable series for a group', () => {
    const series = computePriceIndex('magang_goose', [change('a', '2026-11-01T00:00:00Z', 20000, 3000), change('a', '2026-11-02T00:00:00Z', 21000, 3000)], '2026-11-01', '2026-11-03');
    expect(series).toMatchObject({ group: 'magang_goose', nameZh: '马冈鹅', measureZh: '元/千克', baseDay: '2026-11-01' });
    expect(series.points.map((p) => [p.day, p.index, p.medianUnitPriceFen])).toEqual([
      ['2026-11-01', 100, 6667],
      ['2026-11-02', 105, 7000],
      ['2026-11-03', 105, 7000],
    ]);
  });
});
