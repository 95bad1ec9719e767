import { deadlineText, EVIDENCE_FOR_LEVEL, fenToYuanText, yuanToFen } from './format';

describe('merchant console formatting', () => {
  it('turns typed yuan into exact fen', () => {
    expect(yuanToFen('268')).toBe(26800);
    expect(yuanToFen('268.5')).toBe(26850);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('¥1,268.00')).toBe(126800);
    expect(yuanToFen(19.99)).toBe(1999); // 19.99 * 100 is 1998.9999… in floating point
    for (const bad of ['', '-1', '1.005', 'abc', '1e3', '1.2.3']) expect(yuanToFen(bad)).toBeUndefined();
  });

  it('shows fen as yuan for editing', () => {
    expect(fenToYuanText(26800)).toBe('268.00');
    expect(fenToYuanText(7)).toBe('0.07');
    expect(fenToYuanText(1999)).toBe('19.99');
  });

  it('says how far a deadline is', () => {
    const now = new Date('2026-11-29T08:00:00Z');
    expect(deadlineText('2026-12-02T08:00:00Z', now)).toBe('还剩 3 天');
    expect(deadlineText('2026-11-29T08:00:00Z', now)).toBe('今天到期');
    expect(deadlineText('2026-11-27T08:00:00Z', now)).toBe('已逾期 2 天');
  });

  it('asks for more documents at higher star levels', () => {
    expect(EVIDENCE_FOR_LEVEL[1].map((e) => e.kind)).toEqual(['business_licence', 'national_standard_certificates']);
    expect(EVIDENCE_FOR_LEVEL[3].map((e) => e.kind)).toContain('safe_production_photos');
  });
});
