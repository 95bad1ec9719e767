import { cutoffFor, deliveryDates, deliveryWindow, scheduleProblems, type DeliverySchedule } from './schedule';

const weekdays: DeliverySchedule = {
  scheduleId: 's1',
  siteId: 'site-1',
  frequency: 'daily',
  weekdays: [1, 2, 3, 4, 5],
  window: { from: '06:30', until: '08:00' },
  cutoff: { daysBefore: 1, time: '16:00' },
  quantities: [{ lineId: 'l1', quantity: 10 }],
};

describe('delivery schedules', () => {
  it('daily on school days: Monday to Friday only, inside the contract validity', () => {
    const dates = deliveryDates(weekdays, { validFrom: '2026-12-02', validUntil: '2026-12-31' }, '2026-11-30', '2026-12-08');
    expect(dates).toEqual(['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08']);
  });
  it('weekly and monthly', () => {
    const v = { validFrom: '2026-01-01', validUntil: '2027-12-31' };
    expect(deliveryDates({ frequency: 'weekly', weekdays: [3] }, v, '2026-12-01', '2026-12-31')).toEqual(['2026-12-02', '2026-12-09', '2026-12-16', '2026-12-23', '2026-12-30']);
    expect(deliveryDates({ frequency: 'monthly', weekdays: [], dayOfMonth: 15 }, v, '2026-11-01', '2027-01-31')).toEqual(['2026-11-15', '2026-12-15', '2027-01-15']);
  });
  it('cut-off 16:00 the day before and the window, in Shanghai time', () => {
    expect(cutoffFor(weekdays, '2026-12-07').toISOString()).toBe('2026-12-06T08:00:00.000Z');
    const w = deliveryWindow(weekdays, '2026-12-07');
    expect([w.from.toISOString(), w.until.toISOString()]).toEqual(['2026-12-06T22:30:00.000Z', '2026-12-07T00:00:00.000Z']);
  });
  it('names the field of a bad schedule', () => {
    const bad = { ...weekdays, frequency: 'weekly' as const, window: { from: '09:00', until: '08:00' }, quantities: [{ lineId: 'nope', quantity: 1 }] };
    expect(scheduleProblems(bad, new Set(['l1'])).map((p) => p.field)).toEqual(['weekdays', 'window', 'quantities.0.lineId']);
    expect(scheduleProblems(weekdays, new Set(['l1']))).toEqual([]);
  });
});
