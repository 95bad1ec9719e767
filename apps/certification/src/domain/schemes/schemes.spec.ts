import { COUNTY_MARK, TOWN_MARKS } from '@techan/common';
import { OTOP_CRITERIA, STAR_LEVELS, otopTier, requiredReviewChecks } from './otop';
import type { QualityTier } from './regional';
import { QUALITY_TIERS, REGIONAL_MARKS, REGIONAL_STANDARD_TABLES, countyStandardGaps, regionalOriginProblem, regionalStandard } from './regional';
import type { Requirement } from './requirements';
import { requirementImplies, standardAtLeast } from './requirements';
import { DEMO_GI_REGISTRATIONS, validateGiAuthorisation, validateGiRegistration } from './gi';
import { validateExternalCertificate } from './external';
import { formatCertificateNumber, parseTarget, planFor } from './targets';

describe('OTOP criteria matrix (DESIGN.md §2)', () => {
  const column = <K extends keyof (typeof OTOP_CRITERIA)[1]>(key: K) => STAR_LEVELS.map((level) => OTOP_CRITERIA[level][key]);

  it('matches the table row by row', () => {
    expect(column('complaintFreeMonths')).toEqual([6, 12, 24, 24, 36]);
    expect(column('traceability')).toEqual(['enterprise', 'product', 'product', 'production_environment', 'production_and_circulation']);
    expect(column('riskControl')).toEqual([null, 'documents_filed', 'on_site_look', 'on_site_verification', 'effective_test']);
    expect(column('insuranceRequired')).toEqual([false, false, false, true, true]);
    expect(column('productTesting')).toEqual(['mailed_sample_spot_check', 'mailed_sample_spot_check', 'on_site', 'on_site', 'on_site']);
    expect(column('productionLineInspection')).toEqual([false, false, true, true, true]);
    expect(column('reviewMethod')).toEqual(['online', 'third_party', 'expert_on_site', 'expert_on_site', 'expert_on_site']);
    expect(column('numberedCertificate')).toEqual([false, false, true, true, true]);
    expect(STAR_LEVELS.map(otopTier)).toEqual(['chuxuan', 'youxuan', 'youxuan', 'zhenxuan', 'zhenxuan']);
  });

  it('asks for licences at every level and production-environment photos from 2★', () => {
    for (const level of STAR_LEVELS) {
      const evidence = OTOP_CRITERIA[level].requiredEvidence;
      expect(evidence).toEqual(expect.arrayContaining(['business_licence', 'national_standard_certificates']));
      expect(evidence.includes('safe_production_photos')).toBe(level >= 2);
    }
  });

  it('criteria only grow with the level', () => {
    for (const level of STAR_LEVELS.slice(1)) {
      const lower = planFor({ scheme: 'otop', level: (level - 1) as 1 | 2 | 3 | 4 }).requirements;
      const higher = planFor({ scheme: 'otop', level }).requirements;
      expect(standardAtLeast(higher, lower)).toBe(true);
    }
  });

  it('derives the review checklist from the matrix', () => {
    expect(requiredReviewChecks(OTOP_CRITERIA[1]).sort()).toEqual(['documents_review', 'sample_spot_check', 'traceability_check']);
    expect(requiredReviewChecks(OTOP_CRITERIA[2])).toContain('risk_control_documents');
    expect(requiredReviewChecks(OTOP_CRITERIA[3]).sort()).toEqual(
      ['documents_review', 'on_site_product_test', 'production_line_inspection', 'risk_control_on_site_look', 'traceability_check'].sort(),
    );
    expect(requiredReviewChecks(OTOP_CRITERIA[4])).toContain('risk_control_on_site_verification');
    expect(requiredReviewChecks(OTOP_CRITERIA[5])).toContain('risk_control_effective_test');
  });
});

describe('regional brands (seed 004)', () => {
  it('has the county mark 开平优品 and its six towns', () => {
    expect(REGIONAL_MARKS).toEqual(['kaiping', 'magang', 'dasha', 'tangkou', 'xiangang', 'chishui', 'jinji']);
    expect(COUNTY_MARK).toBe('kaiping');
    expect(TOWN_MARKS).toHaveLength(6);
  });

  it.each(QUALITY_TIERS)('the county standard is at least the town standard at tier %s', (tier) => {
    expect(standardAtLeast(regionalStandard('kaiping', tier).requirements, regionalStandard('magang', tier).requirements)).toBe(true);
    expect(countyStandardGaps()).toEqual({});
  });

  it('detects a county table weaker than the town table', () => {
    const weakened: Record<QualityTier, readonly Requirement[]> = {
      ...REGIONAL_STANDARD_TABLES.county,
      mid: REGIONAL_STANDARD_TABLES.county.mid.map((r) => (r.kind === 'complaint_free' ? { ...r, months: 6 } : r)),
    };
    expect(countyStandardGaps(weakened, REGIONAL_STANDARD_TABLES.town)).toEqual({ mid: [{ kind: 'complaint_free', months: 12 }] });
  });

  it('higher tiers are at least the lower ones for each mark', () => {
    for (const mark of ['kaiping', 'magang'] as const) {
      expect(standardAtLeast(regionalStandard(mark, 'mid').requirements, regionalStandard(mark, 'mass').requirements)).toBe(true);
      expect(standardAtLeast(regionalStandard(mark, 'premium').requirements, regionalStandard(mark, 'mass').requirements)).toBe(true);
    }
  });

  it('flagships are reviewed on site, the others by a third-party lab', () => {
    expect(planFor({ scheme: 'regional', mark: 'dasha', tier: 'premium' }).reviewMethod).toBe('expert_on_site');
    expect(planFor({ scheme: 'regional', mark: 'dasha', tier: 'mid' }).reviewMethod).toBe('third_party');
    expect(planFor({ scheme: 'regional', mark: 'kaiping', tier: 'mass' }).reviewMethod).toBe('third_party');
  });

  it('origin rules: town marks for that town only; licensed goods anywhere but never as flagships', () => {
    const magangGoose = { town: 'magang', inKaiping: true, degree: 'fully_local' } as const;
    expect(regionalOriginProblem('magang', 'premium', magangGoose)).toBeNull();
    expect(regionalOriginProblem('kaiping', 'premium', magangGoose)).toBeNull();
    expect(regionalOriginProblem('dasha', 'mid', magangGoose)).toContain('大沙优品只授予本镇');
    const tanbiGourd = { inKaiping: true, degree: 'fully_local' } as const; // 苍城镇: no town brand
    expect(regionalOriginProblem('kaiping', 'mid', tanbiGourd)).toBeNull();
    expect(regionalOriginProblem('magang', 'mid', tanbiGourd)).not.toBeNull();
    const licensed = { inKaiping: false, degree: 'brand_licensed' } as const;
    expect(regionalOriginProblem('kaiping', 'mass', licensed)).toBeNull();
    expect(regionalOriginProblem('kaiping', 'premium', licensed)).toContain('贴牌');
    expect(regionalOriginProblem('kaiping', 'mass', { inKaiping: false, degree: 'fully_local' })).toContain('开平市域');
  });
});

describe('requirement implication', () => {
  it('compares like with like, monotonically', () => {
    expect(requirementImplies({ kind: 'complaint_free', months: 24 }, { kind: 'complaint_free', months: 12 })).toBe(true);
    expect(requirementImplies({ kind: 'complaint_free', months: 6 }, { kind: 'complaint_free', months: 12 })).toBe(false);
    expect(requirementImplies({ kind: 'traceability', level: 'production_environment' }, { kind: 'traceability', level: 'product' })).toBe(true);
    expect(requirementImplies({ kind: 'traceability', level: 'enterprise' }, { kind: 'traceability', level: 'product' })).toBe(false);
    expect(requirementImplies({ kind: 'held_mark', anyOf: ['gi'] }, { kind: 'held_mark', anyOf: ['gi', 'green'] })).toBe(true);
    expect(requirementImplies({ kind: 'held_mark', anyOf: ['gi', 'haccp'] }, { kind: 'held_mark', anyOf: ['gi', 'green'] })).toBe(false);
    expect(requirementImplies({ kind: 'evidence', evidence: 'origin_proof' }, { kind: 'insurance' })).toBe(false);
  });

  it('handles alternatives soundly', () => {
    const either: Requirement = { kind: 'one_of', options: [{ kind: 'held_mark', anyOf: ['gi'] }, { kind: 'evidence', evidence: 'heritage_proof' }] };
    expect(requirementImplies({ kind: 'held_mark', anyOf: ['gi'] }, either)).toBe(true);
    expect(requirementImplies(either, { kind: 'held_mark', anyOf: ['gi'] })).toBe(false);
    expect(requirementImplies(either, either)).toBe(true);
    expect(requirementImplies({ kind: 'one_of', options: [] }, { kind: 'insurance' })).toBe(false);
  });
});

describe('GI registrations', () => {
  const goose = DEMO_GI_REGISTRATIONS[0];
  const authorisation = { registrationNumber: goose.registrationNumber, authorisationNumber: 'MG-SQ-2026-001', validFrom: new Date('2026-01-01T00:00:00Z'), validUntil: new Date('2029-01-01T00:00:00Z') };

  it('the demo catalogue is valid and names the seed products', () => {
    expect(DEMO_GI_REGISTRATIONS.map((r) => r.name)).toEqual(['马冈肉鹅', '大沙茶', '潭碧冬瓜']);
    for (const registration of DEMO_GI_REGISTRATIONS) expect(validateGiRegistration(registration).ok).toBe(true);
    expect(validateGiRegistration({ ...goose, protectedArea: { wholeCounty: false, towns: [], description: '' } })).toMatchObject({ ok: false, rejection: { code: 'gi_area_empty' } });
    expect(validateGiRegistration({ ...goose, registrationNumber: '' })).toMatchObject({ ok: false, rejection: { code: 'gi_number_missing' } });
  });

  it('authorises only producers inside the protected area, under a known registration', () => {
    expect(validateGiAuthorisation(authorisation, goose, 'magang', true).ok).toBe(true);
    expect(validateGiAuthorisation(authorisation, goose, 'dasha', true)).toMatchObject({ ok: false, rejection: { code: 'gi_outside_area' } });
    expect(validateGiAuthorisation(authorisation, undefined, 'magang', true)).toMatchObject({ ok: false, rejection: { code: 'gi_unknown_registration' } });
    expect(validateGiAuthorisation({ ...authorisation, validUntil: authorisation.validFrom }, goose, 'magang', true)).toMatchObject({ ok: false, rejection: { code: 'gi_validity_invalid' } });
    const tanbi = DEMO_GI_REGISTRATIONS[2];
    expect(validateGiAuthorisation({ ...authorisation, registrationNumber: tanbi.registrationNumber }, tanbi, undefined, true).ok).toBe(true);
    expect(validateGiAuthorisation({ ...authorisation, registrationNumber: tanbi.registrationNumber }, tanbi, undefined, false).ok).toBe(false);
  });
});

describe('external certificates', () => {
  const organic = { kind: 'organic' as const, issuer: ' 中绿华夏有机产品认证中心 ', number: '110OP2600123', validFrom: new Date('2026-01-01T00:00:00Z'), validUntil: new Date('2027-01-01T00:00:00Z') };

  it('records issuer, number and validity', () => {
    expect(validateExternalCertificate(organic)).toEqual({ ok: true, value: { ...organic, issuer: '中绿华夏有机产品认证中心' } });
  });

  it.each([
    [{ kind: 'iso9001' }, 'external_kind_unknown'],
    [{ issuer: '' }, 'external_issuer_missing'],
    [{ number: 'a' }, 'external_number_invalid'],
    [{ number: 'abc<script>' }, 'external_number_invalid'],
    [{ validUntil: new Date('2025-01-01T00:00:00Z') }, 'external_validity_invalid'],
    [{ validFrom: new Date('bad') }, 'external_validity_invalid'],
  ])('refuses %o with %s', (change, code) => {
    expect(validateExternalCertificate({ ...organic, ...(change as object) } as typeof organic)).toMatchObject({ ok: false, rejection: { code } });
  });
});

describe('application targets', () => {
  it('parses valid targets and explains invalid ones', () => {
    expect(parseTarget({ scheme: 'otop', level: 3 })).toEqual({ ok: true, value: { scheme: 'otop', level: 3 } });
    expect(parseTarget({ scheme: 'regional', mark: 'magang', tier: 'mid' })).toEqual({ ok: true, value: { scheme: 'regional', mark: 'magang', tier: 'mid' } });
    expect(parseTarget({ scheme: 'otop', level: 6 })).toMatchObject({ ok: false, rejection: { code: 'target_level_invalid' } });
    expect(parseTarget({ scheme: 'otop', level: '3' })).toMatchObject({ ok: false, rejection: { code: 'target_level_invalid' } });
    expect(parseTarget({ scheme: 'regional', mark: 'gi', tier: 'mid' })).toMatchObject({ ok: false, rejection: { code: 'target_mark_invalid' } });
    expect(parseTarget({ scheme: 'regional', mark: 'kaiping', tier: 'luxury' })).toMatchObject({ ok: false, rejection: { code: 'target_tier_invalid' } });
    expect(parseTarget({ scheme: 'haccp' })).toMatchObject({ ok: false, rejection: { code: 'target_scheme_invalid' } });
    expect(parseTarget(null)).toMatchObject({ ok: false, rejection: { code: 'target_invalid' } });
  });

  it('numbers regional licences per mark and tier', () => {
    const at = new Date('2026-05-01T00:00:00Z');
    expect(formatCertificateNumber(planFor({ scheme: 'regional', mark: 'kaiping', tier: 'mid' }), at, 7)).toBe('KPYP-M-2026-000007');
    expect(formatCertificateNumber(planFor({ scheme: 'regional', mark: 'jinji', tier: 'premium' }), at, 12)).toBe('JJYP-P-2026-000012');
    expect(() => formatCertificateNumber(planFor({ scheme: 'otop', level: 3 }), at, 0)).toThrow(RangeError);
  });
});
