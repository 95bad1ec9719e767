import type { ApplicationStatus } from '@techan/common';
import { APPLICATION_STATUSES, APPLICATION_STATUS_NAMES_ZH, TERMINAL_APPLICATION_STATUSES } from '@techan/common';
import type { Actor } from './actors';
import { canAccessMerchantRecord } from './actors';
import type { EligibilityContext, Shortfall } from './eligibility';
import { evaluateRequirements } from './eligibility';
import type { ReviewCheck, ReviewMethod } from './schemes/otop';
import { REVIEW_CHECK_NAMES_ZH, REVIEW_METHOD_NAMES_ZH } from './schemes/otop';
import type { ApplicationTarget, TargetPlan } from './schemes/targets';
import { planFor } from './schemes/targets';
import type { Outcome } from './rules';
import { accept, isValidDate, reject } from './rules';

/**
 * The certification application workflow as a pure state machine:
 *
 *   submitted ─check_evidence─▶ evidence_accepted ─request_sample─▶ sample_requested
 *      ▲   └──────────────────▶ needs_more_evidence ─supplement_evidence─┘ (back to submitted)
 *   sample_requested ─mark_sample_mailed─▶ sample_mailed ─receive_sample─▶ sample_received
 *   sample_received ─schedule_review─▶ review_scheduled ─record_review─▶ approved | rejected
 *   any open state ─reject─▶ rejected;  any open state ─withdraw─▶ withdrawn
 *
 * Each command returns the next application or a rejection saying why it is not allowed.
 */

// The states' codes and Chinese names are shared with the consoles (libs/common); the rules are here.
export { APPLICATION_STATUSES, APPLICATION_STATUS_NAMES_ZH, TERMINAL_APPLICATION_STATUSES, type ApplicationStatus };

export type ReviewPlan =
  | { method: 'online'; reviewerId: string }
  | { method: 'third_party'; agency: string; reference: string }
  | { method: 'expert_on_site'; inspectorId: string; scheduledFor: Date };

export interface ReviewCheckResult {
  check: ReviewCheck;
  passed: boolean;
  note?: string;
}

export interface SampleRecord {
  requestedAt: Date;
  instructions: string;
  carrier?: string;
  trackingNumber?: string;
  mailedAt?: Date;
  receivedAt?: Date;
  receivedBy?: string;
}

export interface ApplicationHistoryEntry {
  at: Date;
  from: ApplicationStatus | null;
  to: ApplicationStatus;
  by: string;
  note?: string;
}

export interface Application {
  id: string;
  productId: string;
  merchantId: string;
  target: ApplicationTarget;
  status: ApplicationStatus;
  submittedAt: Date;
  shortfalls: Shortfall[];
  sample?: SampleRecord;
  review?: ReviewPlan & { scheduledAt: Date; checks?: ReviewCheckResult[]; reviewedAt?: Date; reviewedBy?: string };
  decision?: { at: Date; by: string; approved: boolean; reasons: string[] };
  history: ApplicationHistoryEntry[];
}

export type ApplicationCommand =
  | { type: 'check_evidence'; eligibility: EligibilityContext }
  | { type: 'supplement_evidence'; note?: string }
  | { type: 'request_sample'; instructions: string }
  | { type: 'mark_sample_mailed'; carrier: string; trackingNumber: string }
  | { type: 'receive_sample'; receivedAt: Date }
  | { type: 'schedule_review'; plan: ReviewPlan }
  | { type: 'reschedule_inspection'; inspectorId: string; scheduledFor: Date }
  | { type: 'record_review'; checks: ReviewCheckResult[]; eligibility: EligibilityContext }
  | { type: 'reject'; reasons: string[] }
  | { type: 'withdraw'; reason?: string };

export type ApplicationCommandType = ApplicationCommand['type'];

/** Which status each command may start from, and who may issue it. */
const COMMAND_RULES: Record<ApplicationCommandType, { from: readonly ApplicationStatus[]; roles: readonly Actor['role'][] }> = {
  check_evidence: { from: ['submitted'], roles: ['certifier'] },
  supplement_evidence: { from: ['needs_more_evidence'], roles: ['merchant'] },
  request_sample: { from: ['evidence_accepted'], roles: ['certifier'] },
  mark_sample_mailed: { from: ['sample_requested'], roles: ['merchant'] },
  receive_sample: { from: ['sample_mailed'], roles: ['certifier', 'inspector'] },
  schedule_review: { from: ['sample_received'], roles: ['certifier'] },
  reschedule_inspection: { from: ['review_scheduled'], roles: ['certifier'] },
  record_review: { from: ['review_scheduled'], roles: ['certifier', 'inspector'] },
  reject: {
    from: ['submitted', 'needs_more_evidence', 'evidence_accepted', 'sample_requested', 'sample_mailed', 'sample_received', 'review_scheduled'],
    roles: ['certifier'],
  },
  withdraw: {
    from: ['submitted', 'needs_more_evidence', 'evidence_accepted', 'sample_requested', 'sample_mailed', 'sample_received', 'review_scheduled'],
    roles: ['merchant'],
  },
};

export function commandsAllowedFrom(status: ApplicationStatus): ApplicationCommandType[] {
  return (Object.keys(COMMAND_RULES) as ApplicationCommandType[]).filter((type) => COMMAND_RULES[type].from.includes(status));
}

const TRACKING_NUMBER = /^[A-Za-z0-9-]{6,40}$/;

export interface SubmitInput {
  id: string;
  productId: string;
  merchantId: string;
  target: ApplicationTarget;
}

export function submitApplication(input: SubmitInput, actor: Actor, at: Date): Outcome<Application> {
  if (actor.role !== 'merchant') return reject('forbidden_role', '只有企业（商家）可以提交评定申请');
  if (!input.productId?.trim()) return reject('product_missing', '请指定要评定的产品');
  if (!canAccessMerchantRecord(actor, input.merchantId)) return reject('not_owner', '只能为本企业的产品提交申请');
  return accept({
    id: input.id,
    productId: input.productId,
    merchantId: input.merchantId,
    target: input.target,
    status: 'submitted',
    submittedAt: at,
    shortfalls: [],
    history: [{ at, from: null, to: 'submitted', by: actor.userId }],
  });
}

/**
 * A product may have one open application per mark; it may not apply for a mark it already holds
 * at the same or a higher level (an OTOP upgrade to a higher star is allowed).
 */
export function submissionConflict(
  target: ApplicationTarget,
  openApplications: readonly Pick<Application, 'target' | 'status'>[],
  liveCertificates: readonly { mark: string; level?: number }[],
): string | null {
  const mark = planFor(target).mark;
  const open = openApplications.find(
    (a) => !TERMINAL_APPLICATION_STATUSES.includes(a.status) && planFor(a.target).mark === mark,
  );
  if (open) return '该产品已有同一标识的评定申请在办理中';
  const held = liveCertificates.find((c) => c.mark === mark);
  if (held) {
    if (target.scheme === 'otop' && (held.level ?? 0) < target.level) return null;
    return '该产品已持有同一标识的有效证书';
  }
  return null;
}

export function applyApplicationCommand(
  application: Application,
  command: ApplicationCommand,
  actor: Actor,
  at: Date,
): Outcome<Application> {
  const rule = COMMAND_RULES[command.type];
  if (!rule) return reject('unknown_command', `未知操作：${String((command as { type: unknown }).type)}`);
  if (!rule.roles.includes(actor.role)) {
    return reject('forbidden_role', `角色“${actor.role}”不能执行操作“${command.type}”`);
  }
  if (actor.role === 'merchant' && !canAccessMerchantRecord(actor, application.merchantId)) {
    return reject('not_owner', '只能操作本企业的申请');
  }
  if (!rule.from.includes(application.status)) {
    return reject(
      'illegal_transition',
      `申请当前状态为“${application.status}”，不能执行“${command.type}”（允许的状态：${rule.from.join(', ')}）`,
    );
  }
  if (!isValidDate(at)) return reject('time_invalid', '操作时间无效');
  const plan = planFor(application.target);
  switch (command.type) {
    case 'check_evidence': {
      const shortfalls = evaluateRequirements(plan.requirements, command.eligibility);
      const to: ApplicationStatus = shortfalls.length ? 'needs_more_evidence' : 'evidence_accepted';
      return accept(move(application, to, actor, at, { shortfalls }, shortfalls.map((s) => s.message).join('；') || undefined));
    }
    case 'supplement_evidence':
      return accept(move(application, 'submitted', actor, at, { shortfalls: [] }, command.note));
    case 'request_sample': {
      if (!command.instructions?.trim()) return reject('instructions_missing', '请填写寄样说明（地址、联系人、数量）');
      return accept(move(application, 'sample_requested', actor, at, { sample: { requestedAt: at, instructions: command.instructions.trim() } }));
    }
    case 'mark_sample_mailed': {
      if (!command.carrier?.trim()) return reject('carrier_missing', '请填写快递公司');
      if (!TRACKING_NUMBER.test(command.trackingNumber ?? '')) {
        return reject('tracking_number_invalid', '快递单号应为 6-40 位字母、数字或连字符');
      }
      if (!application.sample) return inconsistent('sample');
      const sample = { ...application.sample, carrier: command.carrier.trim(), trackingNumber: command.trackingNumber, mailedAt: at };
      return accept(move(application, 'sample_mailed', actor, at, { sample }, `${command.carrier} ${command.trackingNumber}`));
    }
    case 'receive_sample': {
      const receivedAt = command.receivedAt;
      if (!isValidDate(receivedAt)) return reject('received_date_invalid', '签收日期无效');
      const mailed = application.sample;
      if (!mailed?.mailedAt) return inconsistent('sample.mailedAt');
      if (receivedAt.getTime() < mailed.mailedAt.getTime()) return reject('received_before_mailed', '签收日期不能早于寄出日期');
      if (receivedAt.getTime() > at.getTime()) return reject('received_in_future', '签收日期不能晚于当前时间');
      const sample = { ...mailed, receivedAt, receivedBy: actor.userId };
      return accept(move(application, 'sample_received', actor, at, { sample }));
    }
    case 'schedule_review': {
      const problem = reviewPlanProblem(command.plan, plan, at);
      if (problem) return problem;
      return accept(move(application, 'review_scheduled', actor, at, { review: { ...command.plan, scheduledAt: at } }, describePlan(command.plan)));
    }
    case 'reschedule_inspection': {
      const review = application.review;
      if (!review) return inconsistent('review');
      if (review.method !== 'expert_on_site') return reject('not_on_site', '只有专家现场评价可以改期');
      const replan: ReviewPlan = { method: 'expert_on_site', inspectorId: command.inspectorId, scheduledFor: command.scheduledFor };
      const problem = reviewPlanProblem(replan, plan, at);
      if (problem) return problem;
      return accept(move(application, 'review_scheduled', actor, at, { review: { ...replan, scheduledAt: at } }, describePlan(replan)));
    }
    case 'record_review':
      return recordReview(application, command, plan, actor, at);
    case 'reject': {
      const reasons = (command.reasons ?? []).map((r) => r?.trim()).filter(Boolean);
      if (reasons.length === 0) return reject('reasons_missing', '驳回必须说明理由');
      return accept(move(application, 'rejected', actor, at, { decision: { at, by: actor.userId, approved: false, reasons } }, reasons.join('；')));
    }
    case 'withdraw':
      return accept(move(application, 'withdrawn', actor, at, {}, command.reason));
  }
}

/** A stored application lacks what its status implies (hand-edited or corrupted data). */
function inconsistent(field: string): Outcome<never> {
  return reject('record_inconsistent', `申请记录不完整（缺少 ${field}），请联系评定中心`);
}

function reviewPlanProblem(reviewPlan: ReviewPlan, plan: TargetPlan, at: Date): Outcome<never> | null {
  if (reviewPlan?.method !== plan.reviewMethod) {
    return reject(
      'review_method_mismatch',
      `${plan.label}须采用“${REVIEW_METHOD_NAMES_ZH[plan.reviewMethod]}”，不能采用“${REVIEW_METHOD_NAMES_ZH[reviewPlan?.method as ReviewMethod] ?? String(reviewPlan?.method)}”`,
    );
  }
  switch (reviewPlan.method) {
    case 'online':
      return reviewPlan.reviewerId?.trim() ? null : reject('reviewer_missing', '请指定线上评价人员');
    case 'third_party':
      if (!reviewPlan.agency?.trim()) return reject('agency_missing', '请填写受托第三方机构');
      return reviewPlan.reference?.trim() ? null : reject('agency_reference_missing', '请填写委托编号');
    case 'expert_on_site':
      if (!reviewPlan.inspectorId?.trim()) return reject('inspector_missing', '请指定现场评价专家');
      if (!isValidDate(reviewPlan.scheduledFor)) return reject('inspection_date_invalid', '现场评价日期无效');
      if (reviewPlan.scheduledFor.getTime() <= at.getTime()) return reject('inspection_date_past', '现场评价日期必须晚于当前时间');
      return null;
  }
}

function describePlan(plan: ReviewPlan): string {
  switch (plan.method) {
    case 'online':
      return `线上评价：${plan.reviewerId}`;
    case 'third_party':
      return `第三方委托评价：${plan.agency}（${plan.reference}）`;
    case 'expert_on_site':
      return `专家现场评价：${plan.inspectorId}，${plan.scheduledFor.toISOString()}`;
  }
}

function recordReview(
  application: Application,
  command: Extract<ApplicationCommand, { type: 'record_review' }>,
  plan: TargetPlan,
  actor: Actor,
  at: Date,
): Outcome<Application> {
  const review = application.review;
  if (!review) return inconsistent('review');
  if (review.method === 'expert_on_site') {
    if (actor.role === 'inspector' && actor.userId !== review.inspectorId) {
      return reject('not_assigned_inspector', '只有被指派的专家可以提交现场评价结果');
    }
    if (at.getTime() < review.scheduledFor.getTime()) return reject('inspection_not_yet_held', '现场评价尚未进行，不能提前提交结果');
  }
  const checks = command.checks ?? [];
  const missing = plan.requiredChecks.filter((check) => !checks.some((c) => c.check === check));
  if (missing.length) {
    return reject('review_incomplete', `评价结果缺少以下项目：${missing.map((c) => REVIEW_CHECK_NAMES_ZH[c]).join('、')}`);
  }
  const failed = checks.filter((c) => plan.requiredChecks.includes(c.check) && !c.passed);
  // Complaint-free periods are counted "before review", and insurance must cover the review date.
  const shortfalls = evaluateRequirements(plan.requirements, command.eligibility);
  const reasons = [
    ...failed.map((c) => `${REVIEW_CHECK_NAMES_ZH[c.check]}未通过${c.note ? `：${c.note}` : ''}`),
    ...shortfalls.map((s) => s.message),
  ];
  const approved = reasons.length === 0;
  return accept(
    move(
      application,
      approved ? 'approved' : 'rejected',
      actor,
      at,
      {
        shortfalls,
        review: { ...review, checks, reviewedAt: at, reviewedBy: actor.userId },
        decision: { at, by: actor.userId, approved, reasons },
      },
      reasons.join('；') || undefined,
    ),
  );
}

function move(
  application: Application,
  to: ApplicationStatus,
  actor: Actor,
  at: Date,
  changes: Partial<Application>,
  note?: string,
): Application {
  return {
    ...application,
    ...changes,
    status: to,
    history: [...application.history, { at, from: application.status, to, by: actor.userId, ...(note ? { note } : {}) }],
  };
}
