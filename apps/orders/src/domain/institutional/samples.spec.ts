import { confirmationProblems, keepUntil, mayDiscard, sampleStatus } from './samples';

describe('留样 rules', () => {
  const dueAt = new Date('2026-12-03T06:00:00.000Z');
  it('pending until due, then overdue; kept once confirmed', () => {
    expect(sampleStatus({ dueAt }, new Date('2026-12-03T05:59:00.000Z'))).toBe('pending');
    expect(sampleStatus({ dueAt }, new Date('2026-12-03T06:00:01.000Z'))).toBe('overdue');
    expect(sampleStatus({ dueAt, confirmedAt: new Date('2026-12-03T07:00:00.000Z') }, new Date('2026-12-04T00:00:00.000Z'))).toBe('kept');
  });
  it('≥ 125 g of every dish, no unknown dish', () => {
    expect(confirmationProblems(['白切鸡', '炒菜心'], [{ dish: '白切鸡', grams: 125 }, { dish: '炒菜心', grams: 130 }])).toEqual([]);
    expect(confirmationProblems(['白切鸡', '炒菜心'], [{ dish: '白切鸡', grams: 124 }, { dish: '咸鱼', grams: 200 }]).map((p) => p.field)).toEqual(['dishes', 'dishes.0.grams', 'dishes.1.dish']);
  });
  it('kept at least 48 h', () => {
    const stored = new Date('2026-12-03T04:00:00.000Z');
    expect(keepUntil(stored).toISOString()).toBe('2026-12-05T04:00:00.000Z');
    expect(mayDiscard(stored, new Date('2026-12-05T03:59:59.000Z'))).toBe(false);
    expect(mayDiscard(stored, new Date('2026-12-05T04:00:00.000Z'))).toBe(true);
  });
});
