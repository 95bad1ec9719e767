import { statementCsv, statementLine, statementTotals, yuan } from './statement';

const base = { deliveryDate: '2026-12-03', orderId: 'co_1', siteId: 'site-1', productId: 'p', skuId: 's', nameZh: '丝苗米, 10kg', unitPriceFen: 16_800 };

describe('statement arithmetic in fen', () => {
  it('bills accepted quantities; shortages, rejections and recalls reduce the ordered amount', () => {
    const l = statementLine({ ...base, ordered: 10, accepted: 7, rejected: 1, short: 2, recalled: 1 });
    expect([l.orderedFen, l.shortFen, l.rejectedFen, l.recallFen, l.amountFen]).toEqual([168_000, 33_600, 16_800, 16_800, 100_800]);
    const t = statementTotals([l, statementLine({ ...base, unitPriceFen: 4_501, ordered: 3, accepted: 3, rejected: 0, short: 0, recalled: 0 })]);
    expect(t).toEqual({ orderedFen: 181_503, shortFen: 33_600, rejectedFen: 16_800, recallFen: 16_800, totalFen: 114_303 });
  });
  it('refuses impossible proof-of-delivery figures and non-integer money', () => {
    expect(() => statementLine({ ...base, ordered: 2, accepted: 2, rejected: 1, short: 0, recalled: 0 })).toThrow(RangeError);
    expect(() => statementLine({ ...base, unitPriceFen: 1.5, ordered: 1, accepted: 1, rejected: 0, short: 0, recalled: 0 })).toThrow(RangeError);
  });
  it('formats yuan exactly and quotes CSV fields', () => {
    expect(yuan(114_303)).toBe('1143.03');
    expect(yuan(5)).toBe('0.05');
    const l = statementLine({ ...base, ordered: 1, accepted: 1, rejected: 0, short: 0, recalled: 0 });
    const csv = statementCsv([l], statementTotals([l]));
    expect(csv.startsWith('\uFEFF配送日期')).toBe(true);
    expect(csv).toContain('"丝苗米, 10kg"');
    expect(csv.trim().split('\r\n').at(-1)).toBe('合计,,,,,,,,,,,168.00,0.00,0.00,0.00,168.00');
  });
});
