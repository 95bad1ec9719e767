import { evaluateRequirements } from './eligibility';
import { planFor } from './schemes/targets';
import { regionalStandard } from './schemes/regional';
import { addMonths } from './rules';
import { context, fullRecords } from '../test/domain-fixtures';

const NOW = new Date('2026-06-15T00:00:00.000Z');
const codes = (shortfalls: { code: string }[]) => shortfalls.map((s) => s.code);

describe('eligibility from real records', () => {
  it('full records satisfy every OTOP level', () => {
    for (const level of [1, 2, 3, 4, 5] as const) {
      expect(evaluateRequirements(planFor({ scheme: 'otop', level }).requirements, context(NOW))).toEqual([]);
    }
  });

  describe('complaint-free period', () => {
    const incident = (monthsAgo: number, extra: object = {}) => ({
      id: `i-${monthsAgo}`,
      kind: 'complaint' as const,
      severity: 'major' as const,
      occurredAt: addMonths(NOW, -monthsAgo),
      outcome: 'confirmed' as const,
      ...extra,
    });

    it.each([
      [1, 5, false],
      [1, 7, true],
      [2, 11, false],
      [2, 13, true],
      [3, 23, false],
      [3, 25, true],
      [5, 35, false],
      [5, 37, true],
    ] as const)('%i★ with a major complaint %i months ago: eligible=%s', (level, monthsAgo, eligible) => {
      const records = fullRecords({ incidents: [incident(monthsAgo)] });
      const result = evaluateRequirements(planFor({ scheme: 'otop', level }).requirements, context(NOW, records));
      expect(result.length === 0).toBe(eligible);
    });

    it('counts safety incidents and pending complaints, but not dismissed or minor ones', () => {
      const plan = planFor({ scheme: 'otop', level: 3 }).requirements;
      const check = (extra: object) => codes(evaluateRequirements(plan, context(NOW, fullRecords({ incidents: [incident(3, extra)] }))));
      expect(check({ kind: 'safety_incident', outcome: 'dismissed' })).toEqual(['complaint_free_period_not_met']);
      expect(check({ outcome: 'pending' })).toEqual(['complaint_free_period_not_met']);
      expect(check({ outcome: 'dismissed' })).toEqual([]);
      expect(check({ severity: 'minor' })).toEqual([]);
    });

    it('ignores incidents recorded after the evaluation time (evaluating the past is stable)', () => {
      const future = fullRecords({ incidents: [incident(-1)] });
      expect(evaluateRequirements(planFor({ scheme: 'otop', level: 1 }).requirements, context(NOW, future))).toEqual([]);
    });
  });

  it('insurance must cover the evaluation time for 4★ and 5★, and is not asked below', () => {
    const lapsed = fullRecords({
      insurancePolicies: [{ insurer: '人保', policyNumber: 'P-1', validFrom: new Date('2024-01-01T00:00:00Z'), validUntil: new Date('2026-06-01T00:00:00Z') }],
    });
    expect(codes(evaluateRequirements(planFor({ scheme: 'otop', level: 4 }).requirements, context(NOW, lapsed)))).toEqual(['insurance_missing']);
    expect(codes(evaluateRequirements(planFor({ scheme: 'otop', level: 5 }).requirements, context(NOW, lapsed)))).toEqual(['insurance_missing']);
    expect(evaluateRequirements(planFor({ scheme: 'otop', level: 3 }).requirements, context(NOW, lapsed))).toEqual([]);
  });

  it('expired documents do not count; documents without a reference do not count', () => {
    const records = fullRecords({
      evidence: [
        { kind: 'business_licence', reference: 'lic.pdf', validUntil: new Date('2026-01-01T00:00:00Z') },
        { kind: 'national_standard_certificates', reference: '  ' },
      ],
    });
    const result = evaluateRequirements(planFor({ scheme: 'otop', level: 1 }).requirements, context(NOW, records));
    expect(codes(result)).toEqual(['evidence_expired', 'evidence_missing']);
    expect(result[0].message).toContain('营业执照');
  });

  it('traceability must reach the level', () => {
    const records = fullRecords({ traceability: 'product' });
    expect(codes(evaluateRequirements(planFor({ scheme: 'otop', level: 4 }).requirements, context(NOW, records)))).toEqual(['traceability_insufficient']);
    expect(codes(evaluateRequirements(planFor({ scheme: 'otop', level: 1 }).requirements, context(NOW, fullRecords({ traceability: undefined }))))).toEqual([
      'traceability_insufficient',
    ]);
  });

  it('regional tiers read the marks the product holds', () => {
    const mid = regionalStandard('magang', 'mid').requirements;
    expect(codes(evaluateRequirements(mid, context(NOW, fullRecords(), [])))).toEqual(['held_mark_missing']);
    expect(evaluateRequirements(mid, context(NOW, fullRecords(), ['organic']))).toEqual([]);
    const premium = regionalStandard('kaiping', 'premium').requirements;
    const noHeritage = fullRecords({ evidence: fullRecords().evidence.filter((e) => e.kind !== 'heritage_proof') });
    const result = evaluateRequirements(premium, context(NOW, noHeritage, ['green']));
    expect(codes(result)).toEqual(['none_of_alternatives_met']);
    expect(result[0].message).toContain('老字号');
    expect(evaluateRequirements(premium, context(NOW, fullRecords(), ['green']))).toEqual([]);
  });
});
