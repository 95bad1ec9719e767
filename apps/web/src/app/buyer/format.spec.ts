import { addDays, cutoffState, isoWeekday, mayAmend, quantityProblem, scheduleZh, shanghaiTime, shanghaiToday, weekOf, yuan } from './format';

describe('buyer portal formatting', () => {
  it('shows fen as 元 with two decimals', () => {
    expect(yuan(16000)).toBe('¥160.00');
    expect(yuan(1450)).toBe('¥14.50');
  });
  it('computes Shanghai dates and weeks (Monday first)', () => {
    expect(shanghaiToday(new Date('2026-11-29T21:30:00Z'))).toBe('2026-11-30');
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(weekOf('2026-12-09')).toEqual(['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13']);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(shanghaiTime('2026-12-06T08:00:00Z')).toBe('12月6日 16:00');
  });
  it('says whether a call-off may still be amended and how long is left', () => {
    const now = new Date('2026-12-06T06:00:00Z');
    expect(cutoffState('2026-12-06T08:00:00Z', now)).toEqual({ open: true, text: '12月6日 16:00 截单（还剩 2 小时 0 分）' });
    expect(cutoffState('2026-12-06T05:00:00Z', now)).toEqual({ open: false, text: '已于 12月6日 13:00 截单' });
    expect(mayAmend('open', '2026-12-06T08:00:00Z', now)).toBe(true);
    expect(mayAmend('open', '2026-12-06T05:00:00Z', now)).toBe(false);
    expect(mayAmend('delivered', '2026-12-06T08:00:00Z', now)).toBe(false);
  });
  it('checks quantities against the contract line (0 removes the line)', () => {
    const line = { minQuantity: 2, maxQuantity: 60 };
    expect(quantityProblem(0, line)).toBeUndefined();
    expect(quantityProblem(12, line)).toBeUndefined();
    expect(quantityProblem(1, line)).toBe('合同约定每次 2–60');
    expect(quantityProblem(61, line)).toBe('合同约定每次 2–60');
    expect(quantityProblem(2.5, line)).toBe('请输入整数数量');
  });
  it('describes a delivery schedule', () => {
    expect(scheduleZh({ scheduleId: 's', siteId: 'x', frequency: 'daily', weekdays: [1, 2, 3, 4, 5], window: { from: '06:30', until: '08:00' }, cutoff: { daysBefore: 1, time: '16:00' }, quantities: [] })).toBe(
      '每周一、周二、周三、周四、周五 06:30-08:00 送达，提前 1 天 16:00截单',
    );
  });
});
