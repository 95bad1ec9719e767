import { MARK_NAMES_ZH } from '@techan/common';
import { EVIDENCE_NAMES_ZH, TRACEABILITY_NAMES_ZH } from './records';
import { REVIEW_CHECK_NAMES_ZH, REVIEW_METHOD_NAMES_ZH } from './schemes/otop';
import type { ReviewCheck, ReviewMethod } from './schemes/otop';
import type { Requirement } from './schemes/requirements';
import type { ApplicationTarget } from './schemes/targets';
import { planFor } from './schemes/targets';

/**
 * What a reviewer works through for one application, in Chinese, derived from the scheme data
 * (the star criteria or the regional standard) — the certifier console renders it as is.
 */
export interface ReviewChecklist {
  label: string;
  reviewMethod: ReviewMethod;
  reviewMethodName: string;
  /** Checked at the evidence check and again when the review is recorded. */
  requirements: { kind: Requirement['kind']; text: string }[];
  /** Every one must be reported, and passed, for the review to approve. */
  checks: { check: ReviewCheck; name: string }[];
  sampleRequired: boolean;
  numberedCertificate: boolean;
  validityMonths: number;
  annualInspectionMonths: number;
}

export function describeRequirement(requirement: Requirement): string {
  switch (requirement.kind) {
    case 'evidence':
      return `提交材料：${EVIDENCE_NAMES_ZH[requirement.evidence]}`;
    case 'complaint_free':
      return `评审前 ${requirement.months} 个月内无重要投诉及安全责任事故`;
    case 'traceability':
      return `溯源体系至少达到「${TRACEABILITY_NAMES_ZH[requirement.level]}」`;
    case 'insurance':
      return '产品质量保险在评审日有效';
    case 'held_mark':
      return `已持有有效的 ${requirement.anyOf.map((mark) => MARK_NAMES_ZH[mark]).join(' / ')} 认证`;
    case 'one_of':
      return `满足其一：${requirement.options.map(describeRequirement).join('；或 ')}`;
  }
}

export function reviewChecklist(target: ApplicationTarget): ReviewChecklist {
  const plan = planFor(target);
  return {
    label: plan.label,
    reviewMethod: plan.reviewMethod,
    reviewMethodName: REVIEW_METHOD_NAMES_ZH[plan.reviewMethod],
    requirements: plan.requirements.map((r) => ({ kind: r.kind, text: describeRequirement(r) })),
    checks: plan.requiredChecks.map((check) => ({ check, name: REVIEW_CHECK_NAMES_ZH[check] })),
    sampleRequired: plan.sampleRequired,
    numberedCertificate: plan.numberedCertificate,
    validityMonths: plan.validityMonths,
    annualInspectionMonths: plan.annualInspectionMonths,
  };
}
