import { COUNTY_MARK, TOWN_MARKS, MARK_NAMES_ZH } from '@techan/common';
import type { TownMark } from '@techan/common';
import type { ReviewMethod } from './otop';
import type { Requirement } from './requirements';
import { requirementsNotCovered } from './requirements';

/**
 * Kaiping's administrative-region brands (seed 004): the county mark 开平优品 and six town marks
 * (马冈, 大沙, 塘口, 蚬冈, 赤水, 金鸡优品). Each mark has a quality standard per tier (高端 / 中端 /
 * 大众), and the county standard must be at least the town standard at every tier. A product may
 * hold a county and a town mark at once.
 */

export type RegionalMark = typeof COUNTY_MARK | TownMark;
export const REGIONAL_MARKS: readonly RegionalMark[] = [COUNTY_MARK, ...TOWN_MARKS];

export function isRegionalMark(value: unknown): value is RegionalMark {
  return typeof value === 'string' && (REGIONAL_MARKS as readonly string[]).includes(value);
}

export function isTownMark(mark: RegionalMark): mark is TownMark {
  return mark !== COUNTY_MARK;
}

/** 质量层级: 高端 (flagship, 镇馆之宝), 中端 (business and government gifts), 大众 (everyday) — the shared vocabulary. */
import { QUALITY_TIERS, type QualityTier } from '@techan/common';
export { QUALITY_TIERS, type QualityTier };
export const QUALITY_TIER_NAMES_ZH: Record<QualityTier, string> = {
  premium: '高端产品',
  mid: '中端产品',
  mass: '大众产品',
};

/**
 * "三原" degree (seed 004 §三原): fully local; partly local where a local resource is the main
 * input (主体性) or the decisive one (主导性); or not local at all and sold under brand licence.
 */
export const ORIGIN_DEGREES = ['fully_local', 'partly_local_main', 'partly_local_leading', 'brand_licensed'] as const;
export type OriginDegree = (typeof ORIGIN_DEGREES)[number];
export const ORIGIN_DEGREE_NAMES_ZH: Record<OriginDegree, string> = {
  fully_local: '完全原产（“三原”产品）',
  partly_local_main: '部分原产（“三原”主体性产品）',
  partly_local_leading: '部分原产（“三原”主导性产品）',
  brand_licensed: '非“三原”贴牌产品',
};

/** Where a product comes from, as far as the regional marks care. */
export interface ProductOrigin {
  /** Town of production inside Kaiping, when it is one of the six 优品 towns. */
  town?: TownMark;
  /** Produced inside Kaiping county (including towns without their own brand, e.g. 苍城镇). */
  inKaiping: boolean;
  degree: OriginDegree;
}

export interface RegionalStandard {
  mark: RegionalMark;
  tier: QualityTier;
  requirements: readonly Requirement[];
  reviewMethod: ReviewMethod;
  /** Brand licence term and the interval of the periodic catalogue review (定期审核与退出机制). */
  validityMonths: number;
  annualInspectionMonths: number;
}

/** 大众: national-standard baseline — licence, test report, per-batch compliance certificate. */
const TOWN_MASS: readonly Requirement[] = [
  { kind: 'evidence', evidence: 'business_licence' },
  { kind: 'evidence', evidence: 'quality_test_report' },
  { kind: 'evidence', evidence: 'compliance_certificate' },
  { kind: 'complaint_free', months: 6 },
  { kind: 'traceability', level: 'enterprise' },
];
/** 中端: benchmarked against ecological / green product standards. */
const TOWN_MID: readonly Requirement[] = [
  ...TOWN_MASS.filter((r) => r.kind === 'evidence'),
  { kind: 'complaint_free', months: 12 },
  { kind: 'traceability', level: 'product' },
  { kind: 'held_mark', anyOf: ['green', 'organic', 'gi'] },
];
/** 高端: GI, organic or heritage (世遗 / 非遗 / 老字号) products at the top of the range. */
const TOWN_PREMIUM: readonly Requirement[] = [
  ...TOWN_MASS.filter((r) => r.kind === 'evidence'),
  { kind: 'evidence', evidence: 'origin_proof' },
  { kind: 'complaint_free', months: 24 },
  { kind: 'traceability', level: 'production_environment' },
  { kind: 'one_of', options: [{ kind: 'held_mark', anyOf: ['gi', 'organic'] }, { kind: 'evidence', evidence: 'heritage_proof' }] },
];

/** The county standard: the town standard of the same tier, tightened. */
const COUNTY_MASS: readonly Requirement[] = [
  ...TOWN_MASS.filter((r) => r.kind === 'evidence'),
  { kind: 'evidence', evidence: 'national_standard_certificates' },
  { kind: 'complaint_free', months: 12 },
  { kind: 'traceability', level: 'product' },
];
const COUNTY_MID: readonly Requirement[] = [
  ...COUNTY_MASS.filter((r) => r.kind === 'evidence'),
  { kind: 'complaint_free', months: 24 },
  { kind: 'traceability', level: 'product' },
  { kind: 'held_mark', anyOf: ['green', 'organic', 'gi'] },
];
const COUNTY_PREMIUM: readonly Requirement[] = [
  ...COUNTY_MASS.filter((r) => r.kind === 'evidence'),
  { kind: 'evidence', evidence: 'origin_proof' },
  { kind: 'evidence', evidence: 'risk_control_documents' },
  { kind: 'complaint_free', months: 36 },
  { kind: 'traceability', level: 'production_and_circulation' },
  { kind: 'one_of', options: [{ kind: 'held_mark', anyOf: ['gi', 'organic'] }, { kind: 'evidence', evidence: 'heritage_proof' }] },
];

const TOWN_STANDARD: Record<QualityTier, readonly Requirement[]> = {
  mass: TOWN_MASS,
  mid: TOWN_MID,
  premium: TOWN_PREMIUM,
};
const COUNTY_STANDARD: Record<QualityTier, readonly Requirement[]> = {
  mass: COUNTY_MASS,
  mid: COUNTY_MID,
  premium: COUNTY_PREMIUM,
};

/** Flagship products get an expert on site; the others are tested by a commissioned lab. */
const REVIEW_BY_TIER: Record<QualityTier, ReviewMethod> = {
  premium: 'expert_on_site',
  mid: 'third_party',
  mass: 'third_party',
};

export function regionalStandard(mark: RegionalMark, tier: QualityTier): RegionalStandard {
  return {
    mark,
    tier,
    requirements: isTownMark(mark) ? TOWN_STANDARD[tier] : COUNTY_STANDARD[tier],
    reviewMethod: REVIEW_BY_TIER[tier],
    validityMonths: 24,
    annualInspectionMonths: 12,
  };
}

/**
 * Check seed 004's rule on a pair of standard tables: at every tier the county standard must imply
 * the town standard. Returns the uncovered town requirements per tier (empty when the rule holds).
 */
export function countyStandardGaps(
  county: Record<QualityTier, readonly Requirement[]> = COUNTY_STANDARD,
  town: Record<QualityTier, readonly Requirement[]> = TOWN_STANDARD,
): Partial<Record<QualityTier, Requirement[]>> {
  const gaps: Partial<Record<QualityTier, Requirement[]>> = {};
  for (const tier of QUALITY_TIERS) {
    const missing = requirementsNotCovered(county[tier], town[tier]);
    if (missing.length) gaps[tier] = missing;
  }
  return gaps;
}

export const REGIONAL_STANDARD_TABLES = { county: COUNTY_STANDARD, town: TOWN_STANDARD } as const;

/** Why a product's origin rules out a regional mark / tier, or null when it does not. */
export function regionalOriginProblem(mark: RegionalMark, tier: QualityTier, origin: ProductOrigin): string | null {
  const name = MARK_NAMES_ZH[mark];
  if (origin.degree === 'brand_licensed') {
    // Licensed (non-三原) goods may carry a mark after testing, but never as a flagship product.
    return tier === 'premium' ? `非“三原”贴牌产品不能申请${name}高端产品` : null;
  }
  if (!origin.inKaiping) return `产品不在开平市域内生产，只能以非“三原”贴牌方式申请${name}`;
  if (isTownMark(mark) && origin.town !== mark) return `${name}只授予本镇生产的产品`;
  return null;
}
