import { defaultPolicy, detect, initialDetectorState, type DetectionPolicy, type Reading } from './excursion-detector';

const MIN = 60_000;
const t0 = Date.parse('2026-11-30T01:00:00Z');
const at = (minutes: number, c: number): Reading => ({ at: t0 + minutes * MIN, c });
const frozen: DetectionPolicy = defaultPolicy('frozen', 10 * MIN);

describe('excursion detection (frozen ≤ −18 °C, 10 min, 0.5 °C hysteresis)', () => {
  it('raises once a run above −18 °C has lasted the configured duration, not before', () => {
    const early = detect(frozen, initialDetectorState(), [at(0, -19), at(1, -17), at(5, -16.5), at(10.5, -17.5)]);
    expect(early.signals).toEqual([]);
    const later = detect(frozen, early.state, [at(11, -15.2)]);
    expect(later.signals).toEqual([{ kind: 'raised', startedAt: t0 + 1 * MIN, detectedAt: t0 + 11 * MIN, peakC: -15.2 }]);
  });

  it('ignores a single noisy reading: a spike that comes back raises nothing', () => {
    const r = detect(frozen, initialDetectorState(), [at(0, -19), at(1, -5), at(2, -19), at(30, -19.5)]);
    expect(r.signals).toEqual([]);
    expect(r.state.runStart).toBeUndefined();
  });

  it('keeps a run open while the temperature hovers at the limit (hysteresis), then ends it once safely back', () => {
    const r = detect(frozen, initialDetectorState(), [at(0, -17), at(4, -18.2), at(12, -16), at(13, -18.3), at(14, -18.6)]);
    expect(r.signals.map((s) => s.kind)).toEqual(['raised', 'ended']);
    expect(r.signals[1]).toMatchObject({ startedAt: t0, endedAt: t0 + 14 * MIN, peakC: -16 });
  });

  it('gives the same answer for readings in any order within a batch', () => {
    const ordered = [at(0, -19), at(1, -17), at(6, -16), at(12, -14), at(13, -19)];
    const shuffled = [ordered[3], ordered[0], ordered[4], ordered[2], ordered[1]];
    expect(detect(frozen, initialDetectorState(), shuffled)).toEqual(detect(frozen, initialDetectorState(), ordered));
  });

  it('skips duplicates and late readings from an earlier period instead of rewriting what was decided', () => {
    const first = detect(frozen, initialDetectorState(), [at(0, -19), at(1, -17), at(12, -16)]);
    expect(first.signals).toHaveLength(1);
    const again = detect(frozen, first.state, [at(12, -16), at(5, -25), at(1, -17)]);
    expect(again.signals).toEqual([]);
    expect(again.late).toBe(3);
    expect(again.state).toEqual(first.state);
  });

  it('resumes from a stored state whose unset fields came back as null', () => {
    const stored = JSON.parse(JSON.stringify({ watermark: t0, runStart: null, peakC: null, peakBreach: null, raised: false }));
    const r = detect(frozen, stored, [at(1, -17), at(12, -16)]);
    expect(r.signals).toEqual([{ kind: 'raised', startedAt: t0 + MIN, detectedAt: t0 + 12 * MIN, peakC: -16 }]);
  });

  it('detects hot meals cooling below 60 °C and chilled goods freezing below 0 °C', () => {
    const hot = detect(defaultPolicy('hot', 5 * MIN), initialDetectorState(), [at(0, 65), at(1, 58), at(7, 57)]);
    expect(hot.signals).toEqual([{ kind: 'raised', startedAt: t0 + MIN, detectedAt: t0 + 7 * MIN, peakC: 57 }]);
    const chilled = detect(defaultPolicy('chilled', 10 * MIN), initialDetectorState(), [at(0, 4), at(1, -1), at(11, -0.5)]);
    expect(chilled.signals.map((s) => s.kind)).toEqual(['raised']);
  });

  it('never raises for ambient goods', () => {
    expect(detect(defaultPolicy('ambient'), initialDetectorState(), [at(0, 40), at(100, 45)]).signals).toEqual([]);
  });
});
