import type { Actor } from '../domain/actors';
import type { Application, ApplicationCommand, ReviewCheckResult } from '../domain/application';
import { applyApplicationCommand, submitApplication } from '../domain/application';
import type { EligibilityContext } from '../domain/eligibility';
import type { EvidenceKind, MerchantRecords } from '../domain/records';
import { EVIDENCE_KINDS } from '../domain/records';
import type { ApplicationTarget } from '../domain/schemes/targets';
import { planFor } from '../domain/schemes/targets';
import { unwrap } from '../domain/rules';

export const MERCHANT_ID = 'm-magang-goose';
export const merchant: Actor = { role: 'merchant', userId: 'u-merchant', merchantIds: [MERCHANT_ID] };
export const otherMerchant: Actor = { role: 'merchant', userId: 'u-other', merchantIds: ['m-dasha-tea'] };
export const certifier: Actor = { role: 'certifier', userId: 'u-certifier' };
export const inspector: Actor = { role: 'inspector', userId: 'u-inspector' };
export const otherInspector: Actor = { role: 'inspector', userId: 'u-inspector-2' };

export const T0 = new Date('2026-03-01T02:00:00.000Z');
export const at = (iso: string) => new Date(iso);
export const daysAfter = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);

/** Records that satisfy every level: all evidence, no incidents, product-and-circulation traceability, insurance. */
export function fullRecords(overrides: Partial<MerchantRecords> = {}): MerchantRecords {
  return {
    evidence: EVIDENCE_KINDS.map((kind: EvidenceKind) => ({ kind, reference: `files/${kind}.pdf` })),
    incidents: [],
    insurancePolicies: [
      { insurer: '中国人保财险开平支公司', policyNumber: 'PICC-2026-0001', validFrom: at('2025-01-01T00:00:00Z'), validUntil: at('2030-01-01T00:00:00Z') },
    ],
    traceability: 'production_and_circulation',
    ...overrides,
  };
}

export function context(atTime: Date, records: MerchantRecords = fullRecords(), heldMarks: EligibilityContext['heldMarks'] = ['gi', 'green']): EligibilityContext {
  return { records, heldMarks, at: atTime };
}

export function passingChecks(target: ApplicationTarget): ReviewCheckResult[] {
  return planFor(target).requiredChecks.map((check) => ({ check, passed: true }));
}

export function submitted(target: ApplicationTarget, when: Date = T0): Application {
  return unwrap(submitApplication({ id: 'app-1', productId: 'p-magang-goose', merchantId: MERCHANT_ID, target }, merchant, when));
}

/** Run a sequence of commands; throws if any is rejected (the happy path helper). */
export function run(application: Application, steps: [ApplicationCommand, Actor, Date][]): Application {
  return steps.reduce((app, [command, actor, when]) => unwrap(applyApplicationCommand(app, command, actor, when)), application);
}

/** An application moved to `review_scheduled` with the review method its level requires. */
export function scheduled(target: ApplicationTarget, start: Date = T0): Application {
  const plan = planFor(target);
  const review =
    plan.reviewMethod === 'online'
      ? { method: 'online' as const, reviewerId: certifier.userId }
      : plan.reviewMethod === 'third_party'
        ? { method: 'third_party' as const, agency: '广东省质量检验所（演示）', reference: 'WT-2026-031' }
        : { method: 'expert_on_site' as const, inspectorId: inspector.userId, scheduledFor: daysAfter(start, 20) };
  return run(submitted(target, start), [
    [{ type: 'check_evidence', eligibility: context(start) }, certifier, daysAfter(start, 1)],
    [{ type: 'request_sample', instructions: '湖南省长沙市岳麓区先导路179号 24楼，样品 2 份' }, certifier, daysAfter(start, 1)],
    [{ type: 'mark_sample_mailed', carrier: '顺丰速运', trackingNumber: 'SF1234567890' }, merchant, daysAfter(start, 2)],
    [{ type: 'receive_sample', receivedAt: daysAfter(start, 4) }, certifier, daysAfter(start, 4)],
    [{ type: 'schedule_review', plan: review }, certifier, daysAfter(start, 5)],
  ]);
}
