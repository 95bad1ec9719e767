import { maxRideMinutes } from './hot-meal';

const cooked = new Date('2026-12-03T03:00:00.000Z'); // 11:00 Shanghai
const plus = (m: number) => new Date(cooked.getTime() + m * 60_000);

describe('hot-meal ride limit', () => {
  it('schools: portioned within 1 h of cooking, so the ride is what is left of that hour', () => {
    expect(maxRideMinutes('school', cooked, plus(15))).toBe(45);
    expect(maxRideMinutes('school', cooked, plus(60))).toBeNull();
  });
  it('hospitals and others: eaten within 4 h, keeping an hour for serving', () => {
    expect(maxRideMinutes('hospital', cooked, plus(20))).toBe(160);
    expect(maxRideMinutes('agency', cooked, plus(180))).toBeNull();
    expect(maxRideMinutes('agency', cooked, plus(-1))).toBeNull();
  });
});
