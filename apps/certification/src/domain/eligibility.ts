import type { Mark } from '@techan/common';
import { MARK_NAMES_ZH } from '@techan/common';
import type { MerchantRecords } from './records';
import { EVIDENCE_NAMES_ZH, TRACEABILITY_NAMES_ZH, incidentCounts, traceabilityAtLeast } from './records';
import type { Requirement } from './schemes/requirements';
import { addMonths } from './rules';

/** One unmet requirement, with a reason a merchant can act on. */
export interface Shortfall {
  code: string;
  message: string;
  requirement: Requirement;
}

export interface EligibilityContext {
  records: MerchantRecords;
  /** Marks the product currently holds (GI authorisation, external certificates) at `at`. */
  heldMarks: readonly Mark[];
  at: Date;
}

/** Evaluate requirements against the merchant's records at `at`; an empty list means eligible. */
export function evaluateRequirements(requirements: readonly Requirement[], context: EligibilityContext): Shortfall[] {
  return requirements.flatMap((requirement) => {
    const shortfall = checkRequirement(requirement, context);
    return shortfall ? [shortfall] : [];
  });
}

function checkRequirement(requirement: Requirement, context: EligibilityContext): Shortfall | null {
  const { records, heldMarks, at } = context;
  const t = at.getTime();
  switch (requirement.kind) {
    case 'evidence': {
      const documents = records.evidence.filter((d) => d.kind === requirement.evidence && d.reference?.trim());
      if (documents.length === 0) {
        return { code: 'evidence_missing', message: `缺少材料：${EVIDENCE_NAMES_ZH[requirement.evidence]}`, requirement };
      }
      if (!documents.some((d) => !d.validUntil || d.validUntil.getTime() > t)) {
        return { code: 'evidence_expired', message: `材料已过期：${EVIDENCE_NAMES_ZH[requirement.evidence]}`, requirement };
      }
      return null;
    }
    case 'complaint_free': {
      const since = addMonths(at, -requirement.months);
      const breaking = records.incidents.filter(
        (i) => incidentCounts(i) && i.occurredAt.getTime() > since.getTime() && i.occurredAt.getTime() <= t,
      );
      if (breaking.length === 0) return null;
      const latest = breaking.reduce((a, b) => (a.occurredAt > b.occurredAt ? a : b));
      return {
        code: 'complaint_free_period_not_met',
        message: `评审前 ${requirement.months} 个月内有重要投诉或安全责任事故（最近一次：${latest.occurredAt.toISOString().slice(0, 10)}）`,
        requirement,
      };
    }
    case 'traceability':
      return traceabilityAtLeast(records.traceability, requirement.level)
        ? null
        : {
            code: 'traceability_insufficient',
            message: `产品溯源机制需达到“${TRACEABILITY_NAMES_ZH[requirement.level]}”`,
            requirement,
          };
    case 'insurance': {
      const covered = records.insurancePolicies.some(
        (p) => p.validFrom.getTime() <= t && t < p.validUntil.getTime() && p.policyNumber?.trim(),
      );
      return covered ? null : { code: 'insurance_missing', message: '四星及以上需有在保的产品质量保险', requirement };
    }
    case 'held_mark':
      return requirement.anyOf.some((mark) => heldMarks.includes(mark))
        ? null
        : {
            code: 'held_mark_missing',
            message: `需持有以下任一有效认证：${requirement.anyOf.map((m) => MARK_NAMES_ZH[m]).join('、')}`,
            requirement,
          };
    case 'one_of': {
      const results = requirement.options.map((option) => checkRequirement(option, context));
      if (results.some((r) => r === null)) return null;
      return {
        code: 'none_of_alternatives_met',
        message: `需满足以下任一条件：${results.map((r) => r?.message).join('；或 ')}`,
        requirement,
      };
    }
  }
}
