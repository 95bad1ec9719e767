/**
 * The merchant's real records that eligibility is computed from: uploaded evidence documents,
 * recorded complaints and safety incidents, product-quality insurance policies, and the
 * traceability the enterprise has actually implemented.
 */

/** Evidence documents a merchant uploads with an application (seed 001, 基本资料类 / 安全风控资料). */
export const EVIDENCE_KINDS = [
  'business_licence', // 营业执照、组织机构代码证、税务登记证
  'national_standard_certificates', // 生产、加工、储存、运输和销售符合国家标准的证书
  'safe_production_photos', // 安全生产环境照片
  'risk_control_documents', // 风控管理制度资料
  'traceability_description', // 溯源机制说明
  'quality_test_report', // 产品检测报告
  'compliance_certificate', // 承诺达标合格证
  'origin_proof', // 原产地证明（“三原”）
  'heritage_proof', // 老字号 / 非遗 / 世遗文化认定
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EVIDENCE_NAMES_ZH: Record<EvidenceKind, string> = {
  business_licence: '营业执照、组织机构代码证、税务登记证',
  national_standard_certificates: '生产、加工、储存、运输和销售环节符合国家标准的证书',
  safe_production_photos: '安全生产环境照片',
  risk_control_documents: '风控管理制度资料',
  traceability_description: '产品溯源机制说明',
  quality_test_report: '产品检测报告',
  compliance_certificate: '承诺达标合格证',
  origin_proof: '原产地（“三原”）证明',
  heritage_proof: '老字号、非遗或世遗文化认定材料',
};

export interface EvidenceDocument {
  kind: EvidenceKind;
  /** Where the uploaded file lives (object key or URL); the domain only needs it to be present. */
  reference: string;
  /** Documents with a validity (licences, test reports) stop counting once it has passed. */
  validUntil?: Date;
}

/** Traceability levels from seed 001, weakest first. */
export const TRACEABILITY_LEVELS = [
  'enterprise', // 企业可追溯
  'product', // 产品可追溯
  'production_environment', // 生产环境可追溯
  'production_and_circulation', // 生产流通环节可追溯
] as const;
export type TraceabilityLevel = (typeof TRACEABILITY_LEVELS)[number];

export const TRACEABILITY_NAMES_ZH: Record<TraceabilityLevel, string> = {
  enterprise: '企业可追溯',
  product: '产品可追溯',
  production_environment: '生产环境可追溯',
  production_and_circulation: '生产流通环节可追溯',
};

export function traceabilityAtLeast(actual: TraceabilityLevel | undefined, required: TraceabilityLevel): boolean {
  if (!actual) return false;
  return TRACEABILITY_LEVELS.indexOf(actual) >= TRACEABILITY_LEVELS.indexOf(required);
}

/** A recorded complaint or safety incident against the merchant or product. */
export interface IncidentRecord {
  id: string;
  kind: 'complaint' | 'safety_incident';
  /** The product concerned, when known: a confirmed major complaint puts it under a red warning. */
  productId?: string;
  /** Only major complaints and safety-responsibility incidents break the complaint-free period. */
  severity: 'major' | 'minor';
  occurredAt: Date;
  /** A complaint rejected after investigation does not count; an incident always counts. */
  outcome: 'pending' | 'confirmed' | 'dismissed';
}

export interface InsurancePolicy {
  insurer: string;
  policyNumber: string;
  validFrom: Date;
  validUntil: Date;
}

/** Everything eligibility looks at, as of the moment it is evaluated. */
export interface MerchantRecords {
  evidence: readonly EvidenceDocument[];
  incidents: readonly IncidentRecord[];
  insurancePolicies: readonly InsurancePolicy[];
  traceability?: TraceabilityLevel;
}

/** Does this incident break a complaint-free period? Pending major complaints count until dismissed. */
export function incidentCounts(incident: IncidentRecord): boolean {
  if (incident.severity !== 'major') return false;
  if (incident.kind === 'safety_incident') return true;
  return incident.outcome !== 'dismissed';
}
