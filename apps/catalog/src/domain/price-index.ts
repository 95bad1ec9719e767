import type { NetContentUnit } from './taxonomy';

/**
 * Daily price index of Kaiping's main products (seed 004: “适时发布马冈鹅、大沙茶、丝苗米、禽蛋等
 * 开平主要优品价格指数”), computed from the prices listed in the hall.
 *
 * Method (a chained, matched-model Jevons index, as statistics offices use for elementary aggregates):
 *  1. Each day's price of a SKU is the listed price in force at the day's close (24:00 China time).
 *  2. It is normalised to a unit price per reference measure (per kg, per 500 g 斤 of tea, per egg),
 *     so a 5 kg rice sack and a 2.5 kg one are comparable.
 *  3. The daily link is the geometric mean of price relatives p(d)/p(d−1) over SKUs listed on both
 *     days, so a new premium SKU entering the hall does not read as inflation, nor a delisted one as
 *     deflation; the geometric mean is symmetric (a +10 % and a −10 % relative don't bias upward).
 *  4. Index(base day) = 100; Index(d) = Index(d−1) × link(d). A day with no matched SKUs carries the
 *     previous value and is flagged `carried`.
 *  5. Alongside, the median unit price of the day's SKUs is published as the price level (元).
 */
export const PRICE_INDEX_GROUPS = [
  { id: 'magang_goose', nameZh: '马冈鹅', categoryId: 'agri.goose', measure: { unit: 'g', amount: 1000 }, measureZh: '元/千克' },
  { id: 'dasha_tea', nameZh: '大沙茶', categoryId: 'agri.tea', measure: { unit: 'g', amount: 500 }, measureZh: '元/斤' },
  { id: 'simiao_rice', nameZh: '丝苗米', categoryId: 'agri.rice', measure: { unit: 'g', amount: 1000 }, measureZh: '元/千克' },
  { id: 'poultry_eggs', nameZh: '禽蛋', categoryId: 'agri.poultry_eggs', measure: { unit: 'piece', amount: 1 }, measureZh: '元/枚' },
] as const satisfies readonly {
  id: string;
  nameZh: string;
  categoryId: string;
  measure: { unit: NetContentUnit; amount: number };
  measureZh: string;
}[];
export type PriceIndexGroupId = (typeof PRICE_INDEX_GROUPS)[number]['id'];
export const PRICE_INDEX_GROUP_IDS = PRICE_INDEX_GROUPS.map((g) => g.id) as [PriceIndexGroupId, ...PriceIndexGroupId[]];

export function findPriceIndexGroup(id: string) {
  return PRICE_INDEX_GROUPS.find((g) => g.id === id);
}

/** A listed price change of a SKU (the catalogue appends one on every price change, listing and delisting). */
export interface PriceChange {
  skuId: string;
  /** null: the SKU left the hall (delisted / not purchasable) from this instant. */
  priceFen: number | null;
  netContent: { value: number; unit: NetContentUnit };
  at: Date;
}

const CST_OFFSET_MS = 8 * 3600_000;

/** The calendar day in China Standard Time, 'YYYY-MM-DD'. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a China day ends (its 24:00 CST) as a UTC Date. */
export function chinaDayClose(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1) - CST_OFFSET_MS);
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Unit price in fen per the group's reference measure; undefined when the SKU's measure doesn't fit. */
export function unitPriceFen(
  priceFen: number,
  netContent: { value: number; unit: NetContentUnit },
  measure: { unit: NetContentUnit; amount: number },
): number | undefined {
  if (netContent.unit !== measure.unit || netContent.value <= 0) return undefined;
  return (priceFen * measure.amount) / netContent.value;
}

/** Per day, each SKU's unit price in force at the day's close (SKUs without a comparable measure are left out). */
export function closingUnitPrices(
  changes: readonly PriceChange[],
  days: readonly string[],
  measure: { unit: NetContentUnit; amount: number },
): Map<string, Map<string, number>> {
  const bySku = new Map<string, PriceChange[]>();
  for (const c of changes) {
    const list = bySku.get(c.skuId) ?? [];
    list.push(c);
    bySku.set(c.skuId, list);
  }
  for (const list of bySku.values()) list.sort((a, b) => a.at.getTime() - b.at.getTime());
  const result = new Map<string, Map<string, number>>();
  for (const day of days) {
    const close = chinaDayClose(day).getTime();
    const prices = new Map<string, number>();
    for (const [skuId, list] of bySku) {
      let last: PriceChange | undefined;
      for (const c of list) {
        if (c.at.getTime() < close) last = c;
        else break;
      }
      if (!last || last.priceFen === null) continue;
      const unit = unitPriceFen(last.priceFen, last.netContent, measure);
      if (unit !== undefined) prices.set(skuId, unit);
    }
    result.set(day, prices);
  }
  return result;
}

export interface PriceIndexPoint {
  day: string;
  /** Index, base day = 100, two decimals. */
  index: number;
  /** Median unit price in fen per reference measure (rounded), null when no SKU was listed. */
  medianUnitPriceFen: number | null;
  skuCount: number;
  /** SKUs priced on both this day and the previous one (the link's sample). */
  matchedCount: number;
  /** True when the value was carried from the previous day (no matched SKUs). */
  carried: boolean;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The chained index over consecutive days; the first day is the base (100). */
export function chainedIndex(days: readonly string[], pricesByDay: ReadonlyMap<string, ReadonlyMap<string, number>>): PriceIndexPoint[] {
  const points: PriceIndexPoint[] = [];
  let level = 100;
  let previous: ReadonlyMap<string, number> | undefined;
  for (const [i, day] of days.entries()) {
    const today = pricesByDay.get(day) ?? new Map<string, number>();
    let matched = 0;
    let logSum = 0;
    if (previous) {
      for (const [skuId, p] of today) {
        const before = previous.get(skuId);
        if (before !== undefined && before > 0 && p > 0) {
          matched++;
          logSum += Math.log(p / before);
        }
      }
    }
    if (matched > 0) level *= Math.exp(logSum / matched);
    const med = median([...today.values()]);
    points.push({
      day,
      index: Math.round(level * 100) / 100,
      medianUnitPriceFen: med === undefined ? null : Math.round(med),
      skuCount: today.size,
      matchedCount: matched,
      carried: i > 0 && matched === 0,
    });
    // Keep yesterday's prices when today has none, so the chain resumes against the last known prices.
    if (today.size > 0) previous = today;
  }
  return points;
}

export interface PriceIndexSeries {
  group: PriceIndexGroupId;
  nameZh: string;
  measureZh: string;
  baseDay: string;
  method: string;
  points: PriceIndexPoint[];
}

export function computePriceIndex(groupId: PriceIndexGroupId, changes: readonly PriceChange[], from: string, to: string): PriceIndexSeries {
  const group = findPriceIndexGroup(groupId);
  if (!group) throw new RangeError(`unknown price index group ${groupId}`);
  const days = daysBetween(from, to);
  const prices = closingUnitPrices(changes, days, group.measure);
  return {
    group: group.id,
    nameZh: group.nameZh,
    measureZh: group.measureZh,
    baseDay: from,
    method: 'chained matched-model Jevons index of closing listed unit prices; base day = 100',
    points: chainedIndex(days, prices),
  };
}
