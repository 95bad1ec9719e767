import type { Mark } from '@techan/common';
import { MARK_NAMES_ZH } from '@techan/common';
import type { Outcome } from '../rules';
import { accept, reject } from '../rules';
import type { ReviewCheck, ReviewMethod, StarLevel } from './otop';
import { OTOP_CRITERIA, isStarLevel, requiredReviewChecks } from './otop';
import type { QualityTier, RegionalMark } from './regional';
import { QUALITY_TIERS, QUALITY_TIER_NAMES_ZH, isRegionalMark, regionalStandard } from './regional';
import type { Requirement } from './requirements';

/** What a merchant applies for: an OTOP star level, or a regional-brand mark at a quality tier. */
export type ApplicationTarget =
  | { scheme: 'otop'; level: StarLevel }
  | { scheme: 'regional'; mark: RegionalMark; tier: QualityTier };

/** Everything the workflow needs to know about a target, derived from the scheme data. */
export interface TargetPlan {
  mark: Mark;
  level?: StarLevel;
  tier?: QualityTier;
  label: string;
  requirements: readonly Requirement[];
  reviewMethod: ReviewMethod;
  requiredChecks: readonly ReviewCheck[];
  /** Every applicant mails a sample (seed 001: 所有产品都需寄送样品; seed 004: 统一采购检测). */
  sampleRequired: boolean;
  numberedCertificate: boolean;
  validityMonths: number;
  annualInspectionMonths: number;
}

export function parseTarget(input: unknown): Outcome<ApplicationTarget> {
  const value = input as Record<string, unknown> | null;
  if (!value || typeof value !== 'object') return reject('target_invalid', '申请对象无效');
  if (value['scheme'] === 'otop') {
    return isStarLevel(value['level'])
      ? accept({ scheme: 'otop', level: value['level'] })
      : reject('target_level_invalid', '星级必须是 1 到 5 的整数');
  }
  if (value['scheme'] === 'regional') {
    if (!isRegionalMark(value['mark'])) return reject('target_mark_invalid', '未知的行政区品牌标识');
    if (!(QUALITY_TIERS as readonly unknown[]).includes(value['tier'])) {
      return reject('target_tier_invalid', '质量层级必须是 premium、mid 或 mass');
    }
    return accept({ scheme: 'regional', mark: value['mark'], tier: value['tier'] as QualityTier });
  }
  return reject('target_scheme_invalid', '申请类型必须是 otop 或 regional');
}

export function planFor(target: ApplicationTarget): TargetPlan {
  if (target.scheme === 'otop') {
    const criteria = OTOP_CRITERIA[target.level];
    const requirements: Requirement[] = [
      ...criteria.requiredEvidence.map((evidence): Requirement => ({ kind: 'evidence', evidence })),
      { kind: 'complaint_free', months: criteria.complaintFreeMonths },
      { kind: 'traceability', level: criteria.traceability },
    ];
    if (criteria.insuranceRequired) requirements.push({ kind: 'insurance' });
    return {
      mark: 'otop',
      level: target.level,
      label: `${MARK_NAMES_ZH.otop} ${'★'.repeat(target.level)}`,
      requirements,
      reviewMethod: criteria.reviewMethod,
      requiredChecks: requiredReviewChecks(criteria),
      sampleRequired: true,
      numberedCertificate: criteria.numberedCertificate,
      validityMonths: criteria.validityMonths,
      annualInspectionMonths: criteria.annualInspectionMonths,
    };
  }
  const standard = regionalStandard(target.mark, target.tier);
  const checks: ReviewCheck[] = ['documents_review', 'traceability_check'];
  checks.push(standard.reviewMethod === 'expert_on_site' ? 'on_site_product_test' : 'sample_spot_check');
  return {
    mark: target.mark,
    tier: target.tier,
    label: `${MARK_NAMES_ZH[target.mark]}（${QUALITY_TIER_NAMES_ZH[target.tier]}）`,
    requirements: standard.requirements,
    reviewMethod: standard.reviewMethod,
    requiredChecks: checks,
    sampleRequired: true,
    // A regional mark is used under a numbered brand licence.
    numberedCertificate: true,
    validityMonths: standard.validityMonths,
    annualInspectionMonths: standard.annualInspectionMonths,
  };
}

const NUMBER_PREFIX: Record<RegionalMark | 'otop', string> = {
  otop: 'OTOP',
  kaiping: 'KPYP',
  magang: 'MGYP',
  dasha: 'DSYP',
  tangkou: 'TKYP',
  xiangang: 'XGYP',
  chishui: 'CSYP',
  jinji: 'JJYP',
};

/**
 * Certificate numbers: `OTOP-3-2026-000042` for stars, `KPYP-M-2026-000007` for brand licences
 * (tier letter P/M/D). The sequence comes from the store (one counter per prefix and year).
 */
export function formatCertificateNumber(plan: TargetPlan, issuedAt: Date, sequence: number): string | undefined {
  if (!plan.numberedCertificate) return undefined;
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError('certificate sequence must be a positive integer');
  const year = issuedAt.getUTCFullYear();
  const serial = String(sequence).padStart(6, '0');
  if (plan.mark === 'otop') return `OTOP-${plan.level}-${year}-${serial}`;
  const tierLetter = plan.tier === 'premium' ? 'P' : plan.tier === 'mid' ? 'M' : 'D';
  return `${NUMBER_PREFIX[plan.mark as RegionalMark]}-${tierLetter}-${year}-${serial}`;
}
