import type { TemperatureClass } from '@techan/common';
import { breachOf, CLASS_RANGES, safelyInside, type TemperatureRange } from './temperature';

/** When a compartment's temperature counts as an excursion. */
export interface DetectionPolicy {
  range: TemperatureRange;
  /** Out of range for at least this long (first to latest breaching reading) raises an excursion. */
  minDurationMs: number;
  /** Back inside by this margin ends a run; a reading hovering at the limit does not. */
  hysteresisC: number;
}

/** Defaults per class: frozen/chilled goods tolerate a door opening; hot meals cool fast, so hot reacts sooner. */
export function defaultPolicy(temperatureClass: TemperatureClass, minDurationMs?: number): DetectionPolicy {
  const defaults: Record<TemperatureClass, number> = { frozen: 10 * 60_000, chilled: 10 * 60_000, ambient: 0, hot: 5 * 60_000 };
  return { range: CLASS_RANGES[temperatureClass], minDurationMs: minDurationMs ?? defaults[temperatureClass], hysteresisC: 0.5 };
}

/** The detector's whole state: small and plain, so it can be stored between batches. */
export interface DetectorState {
  /** Time of the newest reading applied (ms); older readings arriving later are late. */
  watermark: number;
  /** Start of the current out-of-range run (ms), if one is open. */
  runStart?: number;
  /** Worst breach (°C beyond the limit) and its reading in the open run. */
  peakC?: number;
  peakBreach?: number;
  /** True once the open run lasted long enough to be an excursion. */
  raised: boolean;
}

export const initialDetectorState = (): DetectorState => ({ watermark: 0, raised: false });

export type DetectorSignal =
  | { kind: 'raised'; startedAt: number; detectedAt: number; peakC: number }
  | { kind: 'ended'; startedAt: number; endedAt: number; peakC: number };

export interface Reading {
  at: number;
  c: number;
}

/**
 * Streaming excursion detection for one compartment: feed readings in any order, get `raised` when a
 * run outside the range has lasted `minDurationMs`, and `ended` when the temperature is back inside
 * by the hysteresis margin. A single noisy reading opens a run but raises nothing (its duration is 0),
 * and a reading just back at the limit does not end it.
 *
 * Ordering: readings of one batch are applied in time order; a duplicate or a reading older than
 * the newest already applied (late, from another batch) is skipped — it is still stored in the time
 * series and counted in summaries, but it cannot rewrite decisions already published.
 */
export function detect(policy: DetectionPolicy, state: DetectorState, readings: readonly Reading[]): { state: DetectorState; signals: DetectorSignal[]; late: number } {
  const sorted = readings.length > 1 ? [...readings].sort((a, b) => a.at - b.at) : readings;
  // Stored states come back with nulls where fields were unset: normalise so `undefined` means "no run".
  const s: DetectorState = { watermark: state.watermark ?? 0, raised: Boolean(state.raised) };
  if (state.runStart != null) Object.assign(s, { runStart: state.runStart, peakC: state.peakC, peakBreach: state.peakBreach });
  const signals: DetectorSignal[] = [];
  let late = 0;
  for (const r of sorted) {
    if (r.at <= s.watermark) {
      late++;
      continue;
    }
    s.watermark = r.at;
    const breach = breachOf(policy.range, r.c);
    if (s.runStart === undefined) {
      if (breach > 0) {
        s.runStart = r.at;
        s.peakC = r.c;
        s.peakBreach = breach;
        s.raised = false;
      }
    } else if (breach > 0 || !safelyInside(policy.range, r.c, policy.hysteresisC)) {
      if (breach > (s.peakBreach ?? 0)) {
        s.peakBreach = breach;
        s.peakC = r.c;
      }
    } else {
      if (s.raised) signals.push({ kind: 'ended', startedAt: s.runStart, endedAt: r.at, peakC: s.peakC as number });
      s.runStart = undefined;
      s.peakC = undefined;
      s.peakBreach = undefined;
      s.raised = false;
      continue;
    }
    if (s.runStart !== undefined && !s.raised && r.at - s.runStart >= policy.minDurationMs && breach > 0) {
      s.raised = true;
      signals.push({ kind: 'raised', startedAt: s.runStart, detectedAt: r.at, peakC: s.peakC as number });
    }
  }
  return { state: s, signals, late };
}
