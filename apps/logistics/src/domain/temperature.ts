import type { TemperatureClass, TemperatureSummary } from '@techan/common';

/**
 * Allowed range per temperature class (Chinese food-safety practice, DESIGN §2): frozen ≤ −18 °C,
 * chilled 0–8 °C, hot-held meals ≥ 60 °C; ambient goods have no limit we monitor.
 */
export interface TemperatureRange {
  minC?: number;
  maxC?: number;
}

export const CLASS_RANGES: Record<TemperatureClass, TemperatureRange> = {
  frozen: { maxC: -18 },
  chilled: { minC: 0, maxC: 8 },
  ambient: {},
  hot: { minC: 60 },
};

/** Physically plausible readings of a vehicle sensor; anything outside is a broken device or a typo. */
export const PLAUSIBLE_MIN_C = -60;
export const PLAUSIBLE_MAX_C = 120;
/** Device clocks drift; a reading further ahead than this is refused as a bad clock. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/** How far outside its range a reading is (°C, > 0), or 0 when inside. */
export function breachOf(range: TemperatureRange, c: number): number {
  if (range.maxC !== undefined && c > range.maxC) return c - range.maxC;
  if (range.minC !== undefined && c < range.minC) return range.minC - c;
  return 0;
}

/** True when the reading is inside the range by at least `marginC` (the hysteresis band to end an excursion). */
export function safelyInside(range: TemperatureRange, c: number, marginC: number): boolean {
  if (range.maxC !== undefined && c > range.maxC - marginC) return false;
  if (range.minC !== undefined && c < range.minC + marginC) return false;
  return true;
}

export type ReadingRefusal = 'not_a_number' | 'implausible_value' | 'bad_time' | 'future_time';

/** Why a single reading cannot be accepted, or undefined when it can. Pure: the caller gives `now`. */
export function refuseReading(c: unknown, atMs: number, nowMs: number): ReadingRefusal | undefined {
  if (typeof c !== 'number' || !Number.isFinite(c)) return 'not_a_number';
  if (c < PLAUSIBLE_MIN_C || c > PLAUSIBLE_MAX_C) return 'implausible_value';
  if (!Number.isFinite(atMs) || atMs <= 0) return 'bad_time';
  if (atMs > nowMs + MAX_CLOCK_AHEAD_MS) return 'future_time';
  return undefined;
}

export const REFUSAL_ZH: Record<ReadingRefusal | 'unknown_device', string> = {
  not_a_number: '温度不是有效数字',
  implausible_value: `温度超出传感器可能范围（${PLAUSIBLE_MIN_C}…${PLAUSIBLE_MAX_C} °C）`,
  bad_time: '时间无效',
  future_time: '时间晚于当前时间超过 5 分钟（设备时钟错误）',
  unknown_device: '未登记的温度设备',
};

/** Min/max over a trip's readings of one compartment, as proof of delivery and the consumer's trace show it. */
export function summarise(
  temperatureClass: TemperatureClass,
  readings: readonly { c: number }[],
  excursion: boolean,
): TemperatureSummary {
  let minC = Infinity;
  let maxC = -Infinity;
  for (const r of readings) {
    if (r.c < minC) minC = r.c;
    if (r.c > maxC) maxC = r.c;
  }
  if (readings.length === 0) return { temperatureClass, minC: 0, maxC: 0, readings: 0, excursion };
  return { temperatureClass, minC: round1(minC), maxC: round1(maxC), readings: readings.length, excursion };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
