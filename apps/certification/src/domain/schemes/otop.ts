import type { EvidenceKind, TraceabilityLevel } from '../records';

/**
 * The OTOP (中国一乡一品) star-rating criteria matrix, DESIGN.md §2 / seed 001 (星级评价标准), as data.
 * Everything the workflow and the eligibility check need to know about a level is read from here.
 */

export type StarLevel = 1 | 2 | 3 | 4 | 5;
export const STAR_LEVELS: readonly StarLevel[] = [1, 2, 3, 4, 5];

export function isStarLevel(value: unknown): value is StarLevel {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;
}

/** 初选 (1★), 优选 (2-3★), 臻选 (4-5★). */
export type OtopTier = 'chuxuan' | 'youxuan' | 'zhenxuan';
export const OTOP_TIER_NAMES_ZH: Record<OtopTier, string> = {
  chuxuan: '初选产品',
  youxuan: '优选产品',
  zhenxuan: '臻选产品',
};

/** How the applicant's risk-control system is examined (风控管理制度). */
export type RiskControlCheck = 'documents_filed' | 'on_site_look' | 'on_site_verification' | 'effective_test';

/** 产品检测: the mailed sample is spot-checked, or the product is tested on site. */
export type ProductTesting = 'mailed_sample_spot_check' | 'on_site';

/** 评价方式. */
export type ReviewMethod = 'online' | 'third_party' | 'expert_on_site';
export const REVIEW_METHOD_NAMES_ZH: Record<ReviewMethod, string> = {
  online: '线上评价',
  third_party: '第三方委托评价',
  expert_on_site: '专家现场评价',
};

/** Items a review must report on; which ones depends on the level. */
export const REVIEW_CHECKS = [
  'documents_review', // 资料审核
  'sample_spot_check', // 寄样产品抽检
  'on_site_product_test', // 现场检验
  'production_line_inspection', // 生产线、检测线现场检验
  'risk_control_documents', // 风控制度资料备案
  'risk_control_on_site_look', // 风控现场查看
  'risk_control_on_site_verification', // 风控现场核验
  'risk_control_effective_test', // 风控有效测试
  'traceability_check', // 溯源机制核查
] as const;
export type ReviewCheck = (typeof REVIEW_CHECKS)[number];

export const REVIEW_CHECK_NAMES_ZH: Record<ReviewCheck, string> = {
  documents_review: '资料审核',
  sample_spot_check: '寄样产品抽检',
  on_site_product_test: '产品现场检验',
  production_line_inspection: '生产线、检测线现场检验',
  risk_control_documents: '风控管理制度资料备案',
  risk_control_on_site_look: '风控管理制度现场查看',
  risk_control_on_site_verification: '风控管理制度现场核验',
  risk_control_effective_test: '风控管理制度有效测试',
  traceability_check: '产品溯源机制核查',
};

export interface OtopLevelCriteria {
  level: StarLevel;
  tier: OtopTier;
  /** Documents that must be uploaded and current at evidence check. */
  requiredEvidence: readonly EvidenceKind[];
  /** 评审前无重要投诉及安全责任事故: months before review with no major complaint or safety incident. */
  complaintFreeMonths: number;
  /** Minimum traceability the enterprise must have implemented. */
  traceability: TraceabilityLevel;
  /** How the risk-control system is examined; null when the level does not ask for one. */
  riskControl: RiskControlCheck | null;
  /** 产品质量保险体系: a product-quality insurance policy covering the review date. */
  insuranceRequired: boolean;
  productTesting: ProductTesting;
  /** 生产线、检测线现场检验查看资料. */
  productionLineInspection: boolean;
  reviewMethod: ReviewMethod;
  /** 三星及以上可获得星级证书: a numbered certificate is issued from 3★. */
  numberedCertificate: boolean;
  /**
   * Certificate validity and annual-inspection interval. Seed 001 speaks of annual inspection
   * (年检) but does not state a validity; three years with yearly inspections is the operator's
   * default and lives here so it can be changed as data.
   */
  validityMonths: number;
  annualInspectionMonths: number;
}

const BASIC: readonly EvidenceKind[] = ['business_licence', 'national_standard_certificates'];
const WITH_PHOTOS: readonly EvidenceKind[] = [...BASIC, 'safe_production_photos'];
const WITH_RISK_CONTROL: readonly EvidenceKind[] = [...WITH_PHOTOS, 'risk_control_documents', 'traceability_description'];

export const OTOP_CRITERIA: Readonly<Record<StarLevel, OtopLevelCriteria>> = {
  1: {
    level: 1,
    tier: 'chuxuan',
    requiredEvidence: BASIC,
    complaintFreeMonths: 6,
    traceability: 'enterprise',
    riskControl: null,
    insuranceRequired: false,
    productTesting: 'mailed_sample_spot_check',
    productionLineInspection: false,
    reviewMethod: 'online',
    numberedCertificate: false,
    validityMonths: 36,
    annualInspectionMonths: 12,
  },
  2: {
    level: 2,
    tier: 'youxuan',
    requiredEvidence: WITH_RISK_CONTROL,
    complaintFreeMonths: 12,
    traceability: 'product',
    riskControl: 'documents_filed',
    insuranceRequired: false,
    productTesting: 'mailed_sample_spot_check',
    productionLineInspection: false,
    reviewMethod: 'third_party',
    numberedCertificate: false,
    validityMonths: 36,
    annualInspectionMonths: 12,
  },
  3: {
    level: 3,
    tier: 'youxuan',
    requiredEvidence: WITH_RISK_CONTROL,
    complaintFreeMonths: 24,
    traceability: 'product',
    riskControl: 'on_site_look',
    insuranceRequired: false,
    productTesting: 'on_site',
    productionLineInspection: true,
    reviewMethod: 'expert_on_site',
    numberedCertificate: true,
    validityMonths: 36,
    annualInspectionMonths: 12,
  },
  4: {
    level: 4,
    tier: 'zhenxuan',
    requiredEvidence: WITH_RISK_CONTROL,
    complaintFreeMonths: 24,
    traceability: 'production_environment',
    riskControl: 'on_site_verification',
    insuranceRequired: true,
    productTesting: 'on_site',
    productionLineInspection: true,
    reviewMethod: 'expert_on_site',
    numberedCertificate: true,
    validityMonths: 36,
    annualInspectionMonths: 12,
  },
  5: {
    level: 5,
    tier: 'zhenxuan',
    requiredEvidence: WITH_RISK_CONTROL,
    complaintFreeMonths: 36,
    traceability: 'production_and_circulation',
    riskControl: 'effective_test',
    insuranceRequired: true,
    productTesting: 'on_site',
    productionLineInspection: true,
    reviewMethod: 'expert_on_site',
    numberedCertificate: true,
    validityMonths: 36,
    annualInspectionMonths: 12,
  },
};

const RISK_CONTROL_CHECK: Record<RiskControlCheck, ReviewCheck> = {
  documents_filed: 'risk_control_documents',
  on_site_look: 'risk_control_on_site_look',
  on_site_verification: 'risk_control_on_site_verification',
  effective_test: 'risk_control_effective_test',
};

/** The items a review of this level must report on, derived from the matrix. */
export function requiredReviewChecks(criteria: OtopLevelCriteria): ReviewCheck[] {
  const checks: ReviewCheck[] = ['documents_review', 'traceability_check'];
  checks.push(criteria.productTesting === 'on_site' ? 'on_site_product_test' : 'sample_spot_check');
  if (criteria.productionLineInspection) checks.push('production_line_inspection');
  if (criteria.riskControl) checks.push(RISK_CONTROL_CHECK[criteria.riskControl]);
  return checks;
}

export function otopTier(level: StarLevel): OtopTier {
  return OTOP_CRITERIA[level].tier;
}
