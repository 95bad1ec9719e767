import { addDays, isLocalDate, isoWeekday, monthRange, shanghaiDate, shanghaiInstant } from './time';

describe('Shanghai local time', () => {
  it('maps a wall-clock time to UTC at +08:00 across midnight', () => {
    expect(shanghaiInstant('2026-12-01', '07:30').toISOString()).toBe('2026-11-30T23:30:00.000Z');
    expect(shanghaiDate(new Date('2026-11-30T16:00:00.000Z'))).toBe('2026-12-01');
    expect(shanghaiDate(new Date('2026-11-30T15:59:59.999Z'))).toBe('2026-11-30');
  });
  it('knows weekdays, month ends and invalid dates', () => {
    expect(isoWeekday('2026-11-30')).toBe(1); // a Monday
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(monthRange('2028-02')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('2026-02-28')).toBe(true);
  });
});
