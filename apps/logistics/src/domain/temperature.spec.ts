import { refuseReading, summarise } from './temperature';

const now = Date.parse('2026-11-30T02:00:00Z');

describe('reading plausibility', () => {
  it.each([
    [NaN, now, 'not_a_number'],
    ['−5', now, 'not_a_number'],
    [-300, now, 'implausible_value'],
    [500, now, 'implausible_value'],
    [-18, now + 3600_000, 'future_time'],
    [-18, Number.NaN, 'bad_time'],
  ])('refuses %p at %p as %p', (c, atMs, reason) => {
    expect(refuseReading(c, atMs as number, now)).toBe(reason);
  });

  it('accepts real values, including a device clock slightly ahead', () => {
    expect(refuseReading(-19.2, now + 60_000, now)).toBeUndefined();
    expect(refuseReading(63, now - 86_400_000, now)).toBeUndefined();
  });
});

describe('temperature summary', () => {
  it('gives min and max rounded to 0.1 °C with the count', () => {
    expect(summarise('frozen', [{ c: -19.24 }, { c: -18.44 }, { c: -18.9 }], false)).toEqual({
      temperatureClass: 'frozen', minC: -19.2, maxC: -18.4, readings: 3, excursion: false,
    });
  });
});
