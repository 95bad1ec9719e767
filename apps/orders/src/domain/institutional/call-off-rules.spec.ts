import { amendProblems, exceedsBudget } from './call-off-rules';

const limits = [{ lineId: 'rice', minQuantity: 2, maxQuantity: 20 }];
const cutoffAt = new Date('2026-12-06T08:00:00.000Z');

describe('call-off amendments', () => {
  it('accepts quantities inside min/max and 0 to drop a line, before the cut-off', () => {
    expect(amendProblems({ now: new Date('2026-12-06T07:59:59.000Z'), cutoffAt, status: 'open', lines: [{ lineId: 'rice', quantity: 20 }] }, limits)).toEqual([]);
    expect(amendProblems({ now: new Date('2026-12-06T07:00:00.000Z'), cutoffAt, status: 'open', lines: [{ lineId: 'rice', quantity: 0 }] }, limits)).toEqual([]);
  });
  it('refuses after the cut-off (409), outside min/max and unknown lines (422), naming the field', () => {
    expect(amendProblems({ now: cutoffAt, cutoffAt, status: 'open', lines: [{ lineId: 'rice', quantity: 5 }] }, limits)[0]).toMatchObject({ field: 'cutoffAt', status: 409 });
    const p = amendProblems({ now: new Date('2026-12-01T00:00:00Z'), cutoffAt, status: 'open', lines: [{ lineId: 'rice', quantity: 21 }, { lineId: 'goose', quantity: 1 }] }, limits);
    expect(p.map((x) => [x.field, x.status])).toEqual([['lines.0.quantity', 422], ['lines.1.lineId', 422]]);
    expect(amendProblems({ now: new Date('2026-12-01T00:00:00Z'), cutoffAt, status: 'delivery-requested', lines: [] }, limits)[0].field).toBe('status');
  });
  it('budget cap: over the month’s cap needs approval; no cap never does', () => {
    expect(exceedsBudget(100_000, 90_000, 10_000)).toBe(false);
    expect(exceedsBudget(100_000, 90_000, 10_001)).toBe(true);
    expect(exceedsBudget(undefined, 9e9, 1)).toBe(false);
  });
});
