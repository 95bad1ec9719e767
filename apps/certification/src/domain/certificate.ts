import type { CertificateColour, CertificateSnapshot, CertificateStatus, Mark } from '@techan/common';
import type { Actor } from './actors';
import type { Application } from './application';
import type { StarLevel } from './schemes/otop';
import type { QualityTier } from './schemes/regional';
import type { TargetPlan } from './schemes/targets';
import { planFor } from './schemes/targets';
import type { Outcome } from './rules';
import { DAY_MS, accept, addMonths, isValidDate, reject } from './rules';

/**
 * The certificate lifecycle as a pure state machine.
 *
 *   active ─(annual inspection falls due)▶ inspection_due ─passed▶ active
 *   inspection_due ─failed, or not inspected within the window▶ yellow_warning (sellable, one-month grace)
 *   yellow_warning ─passed▶ active;  ─grace lapsed, or failed again▶ suspended
 *   suspended ─passed re-inspection▶ active
 *   active | inspection_due ─certifier's yellow warning with a rectification deadline▶ yellow_warning
 *   active | inspection_due | yellow_warning ─certifier suspends▶ suspended
 *   active | inspection_due | yellow_warning | suspended ─quality risk / confirmed complaint▶ red_warning
 *   red_warning ─re-test passed▶ the status it had before (or expired, if validity ended meanwhile)
 *   any live status ─revoke▶ revoked (final);  ─validUntil reached▶ expired (final)
 *
 * Time-driven transitions take effect at their due time (not at the time a job happens to run),
 * so running them late, twice, or after a restart gives the same certificate.
 */

/** How long an inspector has to carry out an annual inspection once it falls due. */
export const INSPECTION_WINDOW_DAYS = 30;
/** 产品未通过年检：一个月内黄色警示. */
export const YELLOW_GRACE_MONTHS = 1;

export type CertificateOrigin = 'application' | 'gi_authorisation' | 'external';

export interface InspectionRecord {
  at: Date;
  kind: 'annual' | 'retest';
  passed: boolean;
  by: string;
  findings?: string;
}

export interface WarningRecord {
  colour: 'yellow' | 'red';
  raisedAt: Date;
  reason: string;
  source: 'annual_inspection_failed' | 'inspection_overdue' | 'quality_risk' | 'confirmed_complaint' | 'certifier_notice';
  complaintId?: string;
  /** Rectify by then (a passed inspection), or the certificate is suspended: the yellow grace deadline. */
  deadline?: Date;
  clearedAt?: Date;
}

export interface CertificateHistoryEntry {
  at: Date;
  type: CertificateCommand['type'] | 'issued';
  from: CertificateStatus | null;
  to: CertificateStatus;
  by: string;
  note?: string;
}

export interface Certificate {
  id: string;
  productId: string;
  merchantId: string;
  mark: Mark;
  level?: StarLevel;
  tier?: QualityTier;
  number?: string;
  issuer?: string;
  origin: CertificateOrigin;
  applicationId?: string;
  status: CertificateStatus;
  validFrom: Date;
  validUntil: Date;
  /** Months between annual inspections; absent for recorded certificates we do not inspect. */
  annualInspectionMonths?: number;
  nextInspectionAt?: Date;
  inspectionDeadline?: Date;
  graceUntil?: Date;
  statusBeforeRed?: CertificateStatus;
  suspensionReason?: 'grace_lapsed' | 'failed_reinspection' | 'certifier_decision';
  revocationReason?: string;
  inspections: InspectionRecord[];
  warnings: WarningRecord[];
  history: CertificateHistoryEntry[];
}

export type TimedTransitionType = 'inspection_falls_due' | 'inspection_overdue' | 'grace_lapsed' | 'expire';

export type CertificateCommand =
  | { type: TimedTransitionType }
  | { type: 'record_annual_inspection'; passed: boolean; findings?: string }
  | { type: 'raise_quality_risk'; reason: string; source: 'quality_risk' | 'confirmed_complaint'; complaintId?: string }
  | { type: 'record_retest'; passed: boolean; findings?: string }
  | { type: 'raise_yellow_warning'; reason: string; deadline: Date }
  | { type: 'suspend'; reason: string }
  | { type: 'revoke'; reason: string };

/** The longest rectification period a certifier may grant with a yellow warning. */
export const YELLOW_DEADLINE_MAX_MONTHS = 3;

export const FINAL_STATUSES: readonly CertificateStatus[] = ['revoked', 'expired'];
export const SYSTEM_ACTOR: Actor = { role: 'certifier', userId: 'system:timer' };

const STAFF_ONLY: readonly Actor['role'][] = ['certifier', 'inspector'];
const CERTIFIER_ONLY: readonly Actor['role'][] = ['certifier'];
const COMMAND_ROLES: Record<CertificateCommand['type'], readonly Actor['role'][]> = {
  inspection_falls_due: CERTIFIER_ONLY,
  inspection_overdue: CERTIFIER_ONLY,
  grace_lapsed: CERTIFIER_ONLY,
  expire: CERTIFIER_ONLY,
  record_annual_inspection: STAFF_ONLY,
  raise_quality_risk: CERTIFIER_ONLY,
  record_retest: STAFF_ONLY,
  raise_yellow_warning: CERTIFIER_ONLY,
  suspend: CERTIFIER_ONLY,
  revoke: CERTIFIER_ONLY,
};

/** Build the certificate an approved application earns. `number` is required when the plan numbers certificates. */
export function issueFromApplication(
  application: Application,
  ids: { certificateId: string; number?: string },
  at: Date,
  actor: Actor,
): Outcome<Certificate> {
  if (application.status !== 'approved') return reject('application_not_approved', '只有评定通过的申请才能发证');
  const plan: TargetPlan = planFor(application.target);
  if (plan.numberedCertificate && !ids.number) return reject('certificate_number_missing', '该等级须发放编号证书');
  const validUntil = addMonths(at, plan.validityMonths);
  return accept({
    id: ids.certificateId,
    productId: application.productId,
    merchantId: application.merchantId,
    mark: plan.mark,
    ...(plan.level ? { level: plan.level } : {}),
    ...(plan.tier ? { tier: plan.tier } : {}),
    ...(plan.numberedCertificate ? { number: ids.number } : {}),
    issuer: '评定中心',
    origin: 'application',
    applicationId: application.id,
    status: 'active',
    validFrom: at,
    validUntil,
    annualInspectionMonths: plan.annualInspectionMonths,
    nextInspectionAt: addMonths(at, plan.annualInspectionMonths),
    inspections: [],
    warnings: [],
    history: [{ at, type: 'issued', from: null, to: 'active', by: actor.userId, note: plan.label }],
  });
}

/** A recorded certificate (GI authorisation, green/organic/HACCP): validity only, no annual inspection here. */
export function recordedCertificate(
  input: {
    id: string;
    productId: string;
    merchantId: string;
    mark: Mark;
    number: string;
    issuer: string;
    origin: 'gi_authorisation' | 'external';
    validFrom: Date;
    validUntil: Date;
  },
  at: Date,
  actor: Actor,
): Outcome<Certificate> {
  if (!isValidDate(input.validFrom) || !isValidDate(input.validUntil) || input.validFrom >= input.validUntil) {
    return reject('validity_invalid', '证书有效期无效');
  }
  return accept({
    ...input,
    status: 'active',
    inspections: [],
    warnings: [],
    history: [{ at, type: 'issued', from: null, to: 'active', by: actor.userId, note: `${input.issuer} ${input.number}` }],
  });
}

/** The earliest time-driven transition for the certificate's current status, if any. */
export function nextTimedTransition(certificate: Certificate): { type: TimedTransitionType; dueAt: Date } | null {
  const candidates: { type: TimedTransitionType; dueAt: Date }[] = [];
  // A red warning holds: expiry is applied once the quality risk is resolved, never silently.
  if (FINAL_STATUSES.includes(certificate.status) || certificate.status === 'red_warning') return null;
  // Expiry comes first among candidates so that it wins a tie.
  candidates.push({ type: 'expire', dueAt: certificate.validUntil });
  if (certificate.status === 'active' && certificate.nextInspectionAt) {
    candidates.push({ type: 'inspection_falls_due', dueAt: certificate.nextInspectionAt });
  }
  if (certificate.status === 'inspection_due' && certificate.inspectionDeadline) {
    candidates.push({ type: 'inspection_overdue', dueAt: certificate.inspectionDeadline });
  }
  if (certificate.status === 'yellow_warning' && certificate.graceUntil) {
    candidates.push({ type: 'grace_lapsed', dueAt: certificate.graceUntil });
  }
  return candidates.reduce((earliest, c) => (c.dueAt.getTime() < earliest.dueAt.getTime() ? c : earliest));
}

/**
 * Apply every time-driven transition due at or before `now`, each at its own due time. Calling it
 * again with the same or an earlier `now` changes nothing (idempotent), and applying at t1 then t2
 * equals applying at t2 once.
 */
export function applyDueTransitions(
  certificate: Certificate,
  now: Date,
): { certificate: Certificate; applied: { type: TimedTransitionType; dueAt: Date }[] } {
  let current = certificate;
  const applied: { type: TimedTransitionType; dueAt: Date }[] = [];
  for (let next = nextTimedTransition(current); next && next.dueAt.getTime() <= now.getTime(); next = nextTimedTransition(current)) {
    const outcome = applyCertificateCommand(current, { type: next.type }, SYSTEM_ACTOR, next.dueAt);
    if (!outcome.ok) break; // cannot happen for a transition nextTimedTransition offered; stop rather than loop
    current = outcome.value;
    applied.push(next);
  }
  return { certificate: current, applied };
}

/** The time-driven transitions that would be applied at `now` (for the sweeper and for display). */
export function dueTransitions(certificate: Certificate, now: Date): { type: TimedTransitionType; dueAt: Date }[] {
  return applyDueTransitions(certificate, now).applied;
}

export function applyCertificateCommand(
  certificate: Certificate,
  command: CertificateCommand,
  actor: Actor,
  at: Date,
): Outcome<Certificate> {
  const roles = COMMAND_ROLES[command.type];
  if (!roles) return reject('unknown_command', `未知操作：${String((command as { type: unknown }).type)}`);
  if (!roles.includes(actor.role)) return reject('forbidden_role', `角色“${actor.role}”不能执行操作“${command.type}”`);
  if (!isValidDate(at)) return reject('time_invalid', '操作时间无效');
  const status = certificate.status;
  if (FINAL_STATUSES.includes(status)) {
    return reject('certificate_final', `证书已${status === 'revoked' ? '撤销' : '过期'}，不能再变更`);
  }
  const t = at.getTime();
  const notAllowed = (allowed: string) =>
    reject<Certificate>('illegal_transition', `证书当前状态为“${status}”，不能执行“${command.type}”（仅限：${allowed}）`);

  switch (command.type) {
    case 'expire':
      if (status === 'red_warning') return reject('red_warning_pending', '红色警示未解除，过期将在复检后生效');
      if (t < certificate.validUntil.getTime()) return reject('not_due', `证书有效期至 ${certificate.validUntil.toISOString()}，尚未到期`);
      return accept(move(certificate, 'expired', command.type, actor, at, {}));

    case 'inspection_falls_due': {
      if (status !== 'active') return notAllowed('active');
      if (!certificate.nextInspectionAt) return reject('no_annual_inspection', '该证书不需要年检');
      if (t < certificate.nextInspectionAt.getTime()) return reject('not_due', `年检将于 ${certificate.nextInspectionAt.toISOString()} 到期`);
      return accept(
        move(certificate, 'inspection_due', command.type, actor, at, {
          inspectionDeadline: new Date(certificate.nextInspectionAt.getTime() + INSPECTION_WINDOW_DAYS * DAY_MS),
        }),
      );
    }

    case 'inspection_overdue': {
      if (status !== 'inspection_due') return notAllowed('inspection_due');
      const deadline = certificate.inspectionDeadline;
      if (!deadline) return inconsistent('inspectionDeadline');
      if (t < deadline.getTime()) return reject('not_due', `年检期限至 ${deadline.toISOString()}`);
      return accept(
        move(certificate, 'yellow_warning', command.type, actor, at, {
          graceUntil: addMonths(deadline, YELLOW_GRACE_MONTHS),
          warnings: [...certificate.warnings, { colour: 'yellow', raisedAt: deadline, reason: '逾期未年检', source: 'inspection_overdue' }],
        }),
      );
    }

    case 'grace_lapsed': {
      if (status !== 'yellow_warning') return notAllowed('yellow_warning');
      const graceUntil = certificate.graceUntil;
      if (!graceUntil) return inconsistent('graceUntil');
      if (t < graceUntil.getTime()) return reject('not_due', `黄色警示宽限期至 ${graceUntil.toISOString()}`);
      return accept(move(certificate, 'suspended', command.type, actor, at, { suspensionReason: 'grace_lapsed', graceUntil: undefined }));
    }

    case 'record_annual_inspection': {
      if (!['inspection_due', 'yellow_warning', 'suspended'].includes(status)) {
        return notAllowed('inspection_due, yellow_warning, suspended');
      }
      const months = certificate.annualInspectionMonths;
      if (!months) return reject('no_annual_inspection', '该证书不需要年检');
      if (t >= certificate.validUntil.getTime()) return reject('certificate_expired', '证书已过有效期');
      const record: InspectionRecord = { at, kind: 'annual', passed: command.passed, by: actor.userId, findings: command.findings };
      const inspections = [...certificate.inspections, record];
      if (command.passed) {
        return accept(
          move(certificate, 'active', command.type, actor, at, {
            inspections,
            nextInspectionAt: nextInspectionAfter(certificate, months, at),
            inspectionDeadline: undefined,
            graceUntil: undefined,
            suspensionReason: undefined,
            warnings: clearWarnings(certificate.warnings, 'yellow', at),
          }, command.findings),
        );
      }
      if (!command.findings?.trim()) return reject('findings_missing', '年检未通过须填写问题说明');
      if (status === 'inspection_due') {
        return accept(
          move(certificate, 'yellow_warning', command.type, actor, at, {
            inspections,
            inspectionDeadline: undefined,
            graceUntil: addMonths(at, YELLOW_GRACE_MONTHS),
            warnings: [...certificate.warnings, { colour: 'yellow', raisedAt: at, reason: command.findings, source: 'annual_inspection_failed' }],
          }, command.findings),
        );
      }
      // Failing again during the grace month, or while suspended, leaves (or puts) the certificate suspended.
      return accept(
        move(certificate, 'suspended', command.type, actor, at, {
          inspections,
          graceUntil: undefined,
          suspensionReason: 'failed_reinspection',
        }, command.findings),
      );
    }

    case 'raise_yellow_warning': {
      if (!['active', 'inspection_due'].includes(status)) return notAllowed('active, inspection_due');
      // Only a passed inspection clears a yellow warning, so only certificates we inspect can get one.
      if (!certificate.annualInspectionMonths) return reject('no_annual_inspection', '该证书不由评定中心年检，不能发出黄色警示');
      if (!command.reason?.trim()) return reject('reason_missing', '黄色警示须说明问题');
      if (!isValidDate(command.deadline) || command.deadline.getTime() <= t) return reject('deadline_invalid', '整改期限须晚于当前时间');
      if (command.deadline.getTime() > addMonths(at, YELLOW_DEADLINE_MAX_MONTHS).getTime()) {
        return reject('deadline_invalid', `整改期限不能超过 ${YELLOW_DEADLINE_MAX_MONTHS} 个月`);
      }
      if (command.deadline.getTime() >= certificate.validUntil.getTime()) return reject('deadline_invalid', '整改期限须在证书有效期内');
      const reason = command.reason.trim();
      return accept(
        move(certificate, 'yellow_warning', command.type, actor, at, {
          inspectionDeadline: undefined,
          graceUntil: command.deadline,
          warnings: [...certificate.warnings, { colour: 'yellow', raisedAt: at, reason, source: 'certifier_notice', deadline: command.deadline }],
        }, reason),
      );
    }

    case 'suspend': {
      if (!['active', 'inspection_due', 'yellow_warning'].includes(status)) return notAllowed('active, inspection_due, yellow_warning');
      // A suspended certificate comes back through a passed inspection, which needs an inspection plan.
      if (!certificate.annualInspectionMonths) return reject('no_annual_inspection', '该证书不由评定中心年检，不能暂停（可撤销）');
      if (!command.reason?.trim()) return reject('reason_missing', '暂停证书须说明理由');
      return accept(
        move(certificate, 'suspended', command.type, actor, at, {
          inspectionDeadline: undefined,
          graceUntil: undefined,
          suspensionReason: 'certifier_decision',
        }, command.reason.trim()),
      );
    }

    case 'raise_quality_risk': {
      if (status === 'red_warning') return reject('already_red', '该证书已处于红色警示');
      if (!command.reason?.trim()) return reject('reason_missing', '红色警示须说明质量风险');
      if (command.source === 'confirmed_complaint' && !command.complaintId?.trim()) {
        return reject('complaint_missing', '投诉引起的红色警示须关联投诉编号');
      }
      return accept(
        move(certificate, 'red_warning', command.type, actor, at, {
          statusBeforeRed: status,
          warnings: [
            ...certificate.warnings,
            { colour: 'red', raisedAt: at, reason: command.reason.trim(), source: command.source, ...(command.complaintId ? { complaintId: command.complaintId } : {}) },
          ],
        }, command.reason),
      );
    }

    case 'record_retest': {
      if (status !== 'red_warning') return notAllowed('red_warning');
      const record: InspectionRecord = { at, kind: 'retest', passed: command.passed, by: actor.userId, findings: command.findings };
      const inspections = [...certificate.inspections, record];
      if (!command.passed) {
        // Still a quality risk: the warning stays; the certifier may revoke.
        return accept({ ...certificate, inspections, history: [...certificate.history, entry(certificate, 'red_warning', command.type, actor, at, command.findings)] });
      }
      const warnings = clearWarnings(certificate.warnings, 'red', at);
      if (t >= certificate.validUntil.getTime()) {
        return accept(move(certificate, 'expired', command.type, actor, at, { inspections, warnings, statusBeforeRed: undefined }, '复检通过，但证书已过有效期'));
      }
      const restored = certificate.statusBeforeRed ?? 'active';
      return accept(move(certificate, restored, command.type, actor, at, { inspections, warnings, statusBeforeRed: undefined }, command.findings));
    }

    case 'revoke':
      if (!command.reason?.trim()) return reject('reason_missing', '撤销证书须说明理由');
      return accept(move(certificate, 'revoked', command.type, actor, at, { revocationReason: command.reason.trim() }, command.reason));
  }
}

/** Keep the annual schedule anchored to the issue date, moving past `at` if the inspection was late. */
function nextInspectionAfter(certificate: Certificate, months: number, at: Date): Date {
  let next = certificate.nextInspectionAt ?? addMonths(certificate.validFrom, months);
  while (next.getTime() <= at.getTime()) next = addMonths(next, months);
  return next;
}

/** A stored certificate lacks what its status implies (hand-edited or corrupted data). */
function inconsistent(field: string): Outcome<never> {
  return reject('record_inconsistent', `证书记录不完整（缺少 ${field}），请联系评定中心`);
}

function clearWarnings(warnings: readonly WarningRecord[], colour: 'yellow' | 'red', at: Date): WarningRecord[] {
  return warnings.map((w) => (w.colour === colour && !w.clearedAt ? { ...w, clearedAt: at } : w));
}

function entry(
  certificate: Certificate,
  to: CertificateStatus,
  type: CertificateCommand['type'],
  actor: Actor,
  at: Date,
  note?: string,
): CertificateHistoryEntry {
  return { at, type, from: certificate.status, to, by: actor.userId, ...(note ? { note } : {}) };
}

function move(
  certificate: Certificate,
  to: CertificateStatus,
  type: CertificateCommand['type'],
  actor: Actor,
  at: Date,
  changes: Partial<Certificate>,
  note?: string,
): Certificate {
  const next: Certificate = { ...certificate, ...changes, status: to, history: [...certificate.history, entry(certificate, to, type, actor, at, note)] };
  // Drop keys explicitly cleared with undefined so stored documents stay tidy.
  for (const key of Object.keys(changes) as (keyof Certificate)[]) if (changes[key] === undefined) delete next[key];
  return next;
}

/** green: sellable; yellow: grace month; red: quality risk; grey: suspended, revoked or past validity. */
export function certificateColour(certificate: Pick<Certificate, 'status' | 'validUntil'>, at: Date): CertificateColour {
  if (certificate.status === 'red_warning') return 'red';
  if (['suspended', 'revoked', 'expired'].includes(certificate.status)) return 'grey';
  if (at.getTime() >= certificate.validUntil.getTime()) return 'grey';
  return certificate.status === 'yellow_warning' ? 'yellow' : 'green';
}

export function toSnapshot(certificate: Certificate, at: Date): CertificateSnapshot {
  return {
    certificateId: certificate.id,
    mark: certificate.mark,
    ...(certificate.level ? { level: certificate.level } : {}),
    ...(certificate.number ? { number: certificate.number } : {}),
    status: certificate.status,
    colour: certificateColour(certificate, at),
    validFrom: certificate.validFrom.toISOString(),
    validUntil: certificate.validUntil.toISOString(),
    ...(certificate.nextInspectionAt ? { nextInspectionAt: certificate.nextInspectionAt.toISOString() } : {}),
    ...(certificate.status === 'yellow_warning' && certificate.graceUntil ? { graceUntil: certificate.graceUntil.toISOString() } : {}),
  };
}
