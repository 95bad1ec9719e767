import type { Actor } from './actors';
import type { Application, ApplicationCommand, ApplicationStatus } from './application';
import { APPLICATION_STATUSES, applyApplicationCommand, commandsAllowedFrom, submissionConflict, submitApplication } from './application';
import type { ApplicationTarget } from './schemes/targets';
import { issueFromApplication } from './certificate';
import { formatCertificateNumber, planFor } from './schemes/targets';
import { unwrap } from './rules';
import {
  MERCHANT_ID,
  T0,
  certifier,
  context,
  daysAfter,
  fullRecords,
  inspector,
  merchant,
  otherInspector,
  otherMerchant,
  passingChecks,
  run,
  scheduled,
  submitted,
} from '../test/domain-fixtures';

const THREE_STARS: ApplicationTarget = { scheme: 'otop', level: 3 };
const inspectionDay = daysAfter(T0, 20);

function expectRejected(outcome: ReturnType<typeof applyApplicationCommand>, code: string) {
  expect(outcome.ok).toBe(false);
  if (!outcome.ok) {
    expect(outcome.rejection.code).toBe(code);
    expect(outcome.rejection.message.length).toBeGreaterThan(0);
  }
}

/** Build an application of `target` in each status by walking the real workflow. */
function inStatus(status: ApplicationStatus, target: ApplicationTarget = THREE_STARS): Application {
  const full = scheduled(target);
  const history = full.history;
  switch (status) {
    case 'submitted':
      return submitted(target);
    case 'needs_more_evidence':
      return run(submitted(target), [[{ type: 'check_evidence', eligibility: context(T0, fullRecords({ evidence: [] })) }, certifier, T0]]);
    case 'evidence_accepted':
    case 'sample_requested':
    case 'sample_mailed':
    case 'sample_received': {
      // Replay the scheduled application's path up to the wanted status.
      const steps = history.findIndex((h) => h.to === status);
      const prefix = scheduledSteps(target).slice(0, steps);
      return run(submitted(target), prefix);
    }
    case 'review_scheduled':
      return full;
    case 'approved':
      return run(full, [[{ type: 'record_review', checks: passingChecks(target), eligibility: context(inspectionDay) }, inspector, inspectionDay]]);
    case 'rejected':
      return run(full, [[{ type: 'reject', reasons: ['样品与申报产品不符'] }, certifier, inspectionDay]]);
    case 'withdrawn':
      return run(full, [[{ type: 'withdraw' }, merchant, inspectionDay]]);
  }
}

function scheduledSteps(target: ApplicationTarget): [ApplicationCommand, Actor, Date][] {
  return [
    [{ type: 'check_evidence', eligibility: context(T0) }, certifier, daysAfter(T0, 1)],
    [{ type: 'request_sample', instructions: '寄至评定中心，样品 2 份' }, certifier, daysAfter(T0, 1)],
    [{ type: 'mark_sample_mailed', carrier: '顺丰速运', trackingNumber: 'SF1234567890' }, merchant, daysAfter(T0, 2)],
    [{ type: 'receive_sample', receivedAt: daysAfter(T0, 4) }, certifier, daysAfter(T0, 4)],
    [{ type: 'schedule_review', plan: reviewFor(target) }, certifier, daysAfter(T0, 5)],
  ];
}

function reviewFor(target: ApplicationTarget) {
  const method = planFor(target).reviewMethod;
  if (method === 'online') return { method, reviewerId: certifier.userId } as const;
  if (method === 'third_party') return { method, agency: '第三方检测机构', reference: 'WT-1' } as const;
  return { method, inspectorId: inspector.userId, scheduledFor: inspectionDay } as const;
}

/** One valid instance of every command, with an actor whose role may issue it. */
const SAMPLE_COMMANDS: Record<ApplicationCommand['type'], [ApplicationCommand, Actor]> = {
  check_evidence: [{ type: 'check_evidence', eligibility: context(inspectionDay) }, certifier],
  supplement_evidence: [{ type: 'supplement_evidence' }, merchant],
  request_sample: [{ type: 'request_sample', instructions: '寄样' }, certifier],
  mark_sample_mailed: [{ type: 'mark_sample_mailed', carrier: '顺丰速运', trackingNumber: 'SF0000000001' }, merchant],
  receive_sample: [{ type: 'receive_sample', receivedAt: inspectionDay }, certifier],
  schedule_review: [{ type: 'schedule_review', plan: { method: 'expert_on_site', inspectorId: 'u-inspector', scheduledFor: daysAfter(T0, 40) } }, certifier],
  reschedule_inspection: [{ type: 'reschedule_inspection', inspectorId: 'u-inspector', scheduledFor: daysAfter(T0, 40) }, certifier],
  record_review: [{ type: 'record_review', checks: passingChecks(THREE_STARS), eligibility: context(inspectionDay) }, certifier],
  reject: [{ type: 'reject', reasons: ['不符合要求'] }, certifier],
  withdraw: [{ type: 'withdraw' }, merchant],
};

describe('application workflow', () => {
  describe('every illegal transition is rejected with a reason', () => {
    const cases = APPLICATION_STATUSES.flatMap((status) =>
      (Object.keys(SAMPLE_COMMANDS) as ApplicationCommand['type'][])
        .filter((type) => !commandsAllowedFrom(status).includes(type))
        .map((type) => [status, type] as const),
    );

    it('covers every terminal status with every command', () => {
      for (const status of ['approved', 'rejected', 'withdrawn'] as const) {
        expect(commandsAllowedFrom(status)).toEqual([]);
      }
      expect(cases.length).toBeGreaterThan(60);
    });

    it.each(cases)('from %s, %s is refused', (status, type) => {
      const application = inStatus(status);
      expect(application.status).toBe(status);
      const [command, actor] = SAMPLE_COMMANDS[type];
      const outcome = applyApplicationCommand(application, command, actor, daysAfter(T0, 30));
      expectRejected(outcome, 'illegal_transition');
      if (!outcome.ok) expect(outcome.rejection.message).toContain(status);
    });
  });

  it.each(APPLICATION_STATUSES)('builds a real application in status %s for the tests', (status) => {
    expect(inStatus(status).status).toBe(status);
  });

  describe('roles and ownership', () => {
    it('only merchants submit, and only for their own enterprise', () => {
      const input = { id: 'a', productId: 'p', merchantId: MERCHANT_ID, target: THREE_STARS };
      expect(submitApplication(input, certifier, T0)).toMatchObject({ ok: false, rejection: { code: 'forbidden_role' } });
      expect(submitApplication(input, otherMerchant, T0)).toMatchObject({ ok: false, rejection: { code: 'not_owner' } });
      expect(submitApplication({ ...input, productId: ' ' }, merchant, T0)).toMatchObject({ ok: false, rejection: { code: 'product_missing' } });
      expect(submitApplication(input, merchant, T0)).toMatchObject({ ok: true, value: { status: 'submitted' } });
    });

    it('another merchant cannot act on the application', () => {
      const application = inStatus('sample_requested');
      expectRejected(
        applyApplicationCommand(application, { type: 'mark_sample_mailed', carrier: '顺丰', trackingNumber: 'SF1234567' }, otherMerchant, T0),
        'not_owner',
      );
      expectRejected(applyApplicationCommand(inStatus('submitted'), { type: 'withdraw' }, otherMerchant, T0), 'not_owner');
    });

    it('merchants cannot do the certifier work and certifiers cannot mail the merchant sample', () => {
      expectRejected(applyApplicationCommand(inStatus('submitted'), { type: 'check_evidence', eligibility: context(T0) }, merchant, T0), 'forbidden_role');
      expectRejected(applyApplicationCommand(inStatus('review_scheduled'), { type: 'reject', reasons: ['x'] }, merchant, T0), 'forbidden_role');
      expectRejected(
        applyApplicationCommand(inStatus('sample_requested'), { type: 'mark_sample_mailed', carrier: '顺丰', trackingNumber: 'SF1234567' }, certifier, T0),
        'forbidden_role',
      );
      expectRejected(applyApplicationCommand(inStatus('submitted'), { type: 'withdraw' }, certifier, T0), 'forbidden_role');
    });

    it('an on-site result comes from the assigned inspector (or a certifier), not another inspector', () => {
      const command: ApplicationCommand = { type: 'record_review', checks: passingChecks(THREE_STARS), eligibility: context(inspectionDay) };
      expectRejected(applyApplicationCommand(inStatus('review_scheduled'), command, otherInspector, inspectionDay), 'not_assigned_inspector');
      expect(applyApplicationCommand(inStatus('review_scheduled'), command, certifier, inspectionDay)).toMatchObject({ ok: true, value: { status: 'approved' } });
    });
  });

  describe('3★ from submission to certificate', () => {
    it('walks every step, records sample and inspection details, and issues a numbered certificate', () => {
      const application = inStatus('approved');
      expect(application.history.map((h) => h.to)).toEqual([
        'submitted',
        'evidence_accepted',
        'sample_requested',
        'sample_mailed',
        'sample_received',
        'review_scheduled',
        'approved',
      ]);
      expect(application.sample).toMatchObject({ carrier: '顺丰速运', trackingNumber: 'SF1234567890', receivedAt: daysAfter(T0, 4) });
      expect(application.review).toMatchObject({ method: 'expert_on_site', inspectorId: 'u-inspector', scheduledFor: inspectionDay, reviewedBy: 'u-inspector' });
      expect(application.decision).toEqual({ at: inspectionDay, by: 'u-inspector', approved: true, reasons: [] });

      const plan = planFor(application.target);
      const number = formatCertificateNumber(plan, inspectionDay, 42);
      expect(number).toBe('OTOP-3-2026-000042');
      const certificate = unwrap(issueFromApplication(application, { certificateId: 'c-1', number }, inspectionDay, certifier));
      expect(certificate).toMatchObject({
        productId: 'p-magang-goose',
        mark: 'otop',
        level: 3,
        number: 'OTOP-3-2026-000042',
        status: 'active',
        validFrom: inspectionDay,
        validUntil: new Date('2029-03-21T02:00:00.000Z'),
        nextInspectionAt: new Date('2027-03-21T02:00:00.000Z'),
      });
    });

    it('refuses to issue without a number for 3★, or before approval', () => {
      expect(issueFromApplication(inStatus('approved'), { certificateId: 'c' }, inspectionDay, certifier)).toMatchObject({
        ok: false,
        rejection: { code: 'certificate_number_missing' },
      });
      expect(issueFromApplication(inStatus('review_scheduled'), { certificateId: 'c', number: 'N' }, inspectionDay, certifier)).toMatchObject({
        ok: false,
        rejection: { code: 'application_not_approved' },
      });
    });
  });

  describe('review method follows the level', () => {
    it.each([
      [1, 'online'],
      [2, 'third_party'],
      [3, 'expert_on_site'],
      [4, 'expert_on_site'],
      [5, 'expert_on_site'],
    ] as const)('%i★ is reviewed %s, and other methods are refused', (level, method) => {
      const target: ApplicationTarget = { scheme: 'otop', level };
      const ready = inStatusFor(target, 'sample_received');
      const plans = {
        online: { method: 'online', reviewerId: 'u-certifier' },
        third_party: { method: 'third_party', agency: '检测所', reference: 'WT-9' },
        expert_on_site: { method: 'expert_on_site', inspectorId: 'u-inspector', scheduledFor: daysAfter(T0, 30) },
      } as const;
      for (const [candidate, plan] of Object.entries(plans)) {
        const outcome = applyApplicationCommand(ready, { type: 'schedule_review', plan }, certifier, daysAfter(T0, 6));
        if (candidate === method) expect(outcome).toMatchObject({ ok: true, value: { status: 'review_scheduled' } });
        else expectRejected(outcome, 'review_method_mismatch');
      }
    });

    it('1★ and 2★ get no certificate number; stars 3-5 do', () => {
      for (const level of [1, 2, 3, 4, 5] as const) {
        const number = formatCertificateNumber(planFor({ scheme: 'otop', level }), T0, 1);
        expect(number === undefined).toBe(level < 3);
      }
    });

    it('an on-site inspection needs an inspector and a future date, and cannot be reported early', () => {
      const ready = inStatus('sample_received');
      const plan = (scheduledFor: Date, inspectorId = 'u-inspector') => ({ type: 'schedule_review' as const, plan: { method: 'expert_on_site' as const, inspectorId, scheduledFor } });
      expectRejected(applyApplicationCommand(ready, plan(daysAfter(T0, 1)), certifier, daysAfter(T0, 6)), 'inspection_date_past');
      expectRejected(applyApplicationCommand(ready, plan(daysAfter(T0, 30), ' '), certifier, daysAfter(T0, 6)), 'inspector_missing');
      expectRejected(applyApplicationCommand(ready, plan(new Date('nonsense')), certifier, daysAfter(T0, 6)), 'inspection_date_invalid');
      const early = applyApplicationCommand(
        inStatus('review_scheduled'),
        { type: 'record_review', checks: passingChecks(THREE_STARS), eligibility: context(daysAfter(T0, 10)) },
        inspector,
        daysAfter(T0, 10),
      );
      expectRejected(early, 'inspection_not_yet_held');
    });

    it('an inspection can be rescheduled to another inspector and date', () => {
      const moved = run(inStatus('review_scheduled'), [
        [{ type: 'reschedule_inspection', inspectorId: 'u-inspector-2', scheduledFor: daysAfter(T0, 25) }, certifier, daysAfter(T0, 10)],
      ]);
      expect(moved.review).toMatchObject({ inspectorId: 'u-inspector-2', scheduledFor: daysAfter(T0, 25) });
      const online = inStatusFor({ scheme: 'otop', level: 1 }, 'review_scheduled');
      expectRejected(
        applyApplicationCommand(online, { type: 'reschedule_inspection', inspectorId: 'x', scheduledFor: daysAfter(T0, 25) }, certifier, daysAfter(T0, 10)),
        'not_on_site',
      );
    });
  });

  describe('evidence check against the level', () => {
    it('sends the application back with every shortfall, and accepts it once supplemented', () => {
      const thin = fullRecords({ evidence: [{ kind: 'business_licence', reference: 'f.pdf' }], traceability: 'enterprise' });
      const back = run(submitted(THREE_STARS), [[{ type: 'check_evidence', eligibility: context(T0, thin) }, certifier, T0]]);
      expect(back.status).toBe('needs_more_evidence');
      expect(back.shortfalls.map((s) => s.code).sort()).toEqual([
        'evidence_missing',
        'evidence_missing',
        'evidence_missing',
        'evidence_missing',
        'traceability_insufficient',
      ]);
      const again = run(back, [
        [{ type: 'supplement_evidence', note: '已补充风控制度与溯源说明' }, merchant, daysAfter(T0, 3)],
        [{ type: 'check_evidence', eligibility: context(daysAfter(T0, 3)) }, certifier, daysAfter(T0, 4)],
      ]);
      expect(again.status).toBe('evidence_accepted');
      expect(again.shortfalls).toEqual([]);
    });

    it('4★ without insurance covering the check date is sent back', () => {
      const uninsured = fullRecords({ insurancePolicies: [] });
      const back = run(submitted({ scheme: 'otop', level: 4 }), [[{ type: 'check_evidence', eligibility: context(T0, uninsured) }, certifier, T0]]);
      expect(back.shortfalls.map((s) => s.code)).toEqual(['insurance_missing']);
    });
  });

  describe('samples', () => {
    it('needs a carrier and a plausible tracking number', () => {
      const ready = inStatus('sample_requested');
      expectRejected(applyApplicationCommand(ready, { type: 'mark_sample_mailed', carrier: '', trackingNumber: 'SF1234567' }, merchant, T0), 'carrier_missing');
      for (const trackingNumber of ['', '123', 'SF 1234567', 'x'.repeat(41)]) {
        expectRejected(applyApplicationCommand(ready, { type: 'mark_sample_mailed', carrier: '顺丰', trackingNumber }, merchant, T0), 'tracking_number_invalid');
      }
    });

    it('cannot be received before it was mailed, or in the future', () => {
      const mailed = inStatus('sample_mailed');
      const now = daysAfter(T0, 5);
      expectRejected(applyApplicationCommand(mailed, { type: 'receive_sample', receivedAt: daysAfter(T0, 1) }, certifier, now), 'received_before_mailed');
      expectRejected(applyApplicationCommand(mailed, { type: 'receive_sample', receivedAt: daysAfter(T0, 6) }, certifier, now), 'received_in_future');
      expectRejected(applyApplicationCommand(mailed, { type: 'receive_sample', receivedAt: new Date('x') }, certifier, now), 'received_date_invalid');
    });

    it('a sample request needs instructions', () => {
      expectRejected(applyApplicationCommand(inStatus('evidence_accepted'), { type: 'request_sample', instructions: ' ' }, certifier, T0), 'instructions_missing');
    });
  });

  describe('review outcome', () => {
    it('refuses an incomplete review report, naming the missing items', () => {
      const outcome = applyApplicationCommand(
        inStatus('review_scheduled'),
        { type: 'record_review', checks: [{ check: 'documents_review', passed: true }], eligibility: context(inspectionDay) },
        inspector,
        inspectionDay,
      );
      expectRejected(outcome, 'review_incomplete');
      if (!outcome.ok) expect(outcome.rejection.message).toContain('生产线、检测线现场检验');
    });

    it('rejects with the failed items as reasons', () => {
      const checks = passingChecks(THREE_STARS).map((c) => (c.check === 'production_line_inspection' ? { ...c, passed: false, note: '检测线未校准' } : c));
      const result = run(inStatus('review_scheduled'), [[{ type: 'record_review', checks, eligibility: context(inspectionDay) }, inspector, inspectionDay]]);
      expect(result.status).toBe('rejected');
      expect(result.decision?.reasons).toEqual(['生产线、检测线现场检验未通过：检测线未校准']);
    });

    it('re-checks the complaint-free period at review: a major complaint meanwhile means rejection', () => {
      const complained = fullRecords({
        incidents: [{ id: 'c-1', kind: 'complaint', severity: 'major', occurredAt: daysAfter(T0, 10), outcome: 'confirmed' }],
      });
      const result = run(inStatus('review_scheduled'), [
        [{ type: 'record_review', checks: passingChecks(THREE_STARS), eligibility: context(inspectionDay, complained) }, inspector, inspectionDay],
      ]);
      expect(result.status).toBe('rejected');
      expect(result.decision?.reasons[0]).toContain('24 个月内有重要投诉');
    });

    it('a certifier rejection needs reasons', () => {
      expectRejected(applyApplicationCommand(inStatus('submitted'), { type: 'reject', reasons: [' ', ''] }, certifier, T0), 'reasons_missing');
    });
  });

  it('withdrawal works from every open status and is final', () => {
    for (const status of APPLICATION_STATUSES.filter((s) => !['approved', 'rejected', 'withdrawn'].includes(s))) {
      const withdrawn = run(inStatus(status), [[{ type: 'withdraw', reason: '企业决定暂缓申请' }, merchant, daysAfter(T0, 30)]]);
      expect(withdrawn.status).toBe('withdrawn');
      expect(withdrawn.history.at(-1)).toMatchObject({ from: status, to: 'withdrawn', note: '企业决定暂缓申请' });
    }
  });

  describe('submission conflicts', () => {
    it('one open application per mark; no re-application for a held mark except an OTOP upgrade', () => {
      expect(submissionConflict(THREE_STARS, [{ target: { scheme: 'otop', level: 1 }, status: 'sample_mailed' }], [])).toContain('办理中');
      expect(submissionConflict(THREE_STARS, [{ target: { scheme: 'otop', level: 1 }, status: 'rejected' }], [])).toBeNull();
      expect(submissionConflict(THREE_STARS, [{ target: { scheme: 'regional', mark: 'magang', tier: 'mid' }, status: 'submitted' }], [])).toBeNull();
      expect(submissionConflict(THREE_STARS, [], [{ mark: 'otop', level: 2 }])).toBeNull();
      expect(submissionConflict(THREE_STARS, [], [{ mark: 'otop', level: 3 }])).toContain('有效证书');
      // County and town marks are different marks: a product may hold both.
      expect(submissionConflict({ scheme: 'regional', mark: 'kaiping', tier: 'mid' }, [], [{ mark: 'magang' }])).toBeNull();
      expect(submissionConflict({ scheme: 'regional', mark: 'magang', tier: 'mid' }, [], [{ mark: 'magang' }])).toContain('有效证书');
    });
  });
});

function inStatusFor(target: ApplicationTarget, status: ApplicationStatus): Application {
  return inStatus(status, target);
}
