import fc from 'fast-check';
import type { Certificate, CertificateCommand } from './certificate';
import {
  INSPECTION_WINDOW_DAYS,
  applyCertificateCommand,
  applyDueTransitions,
  certificateColour,
  dueTransitions,
  issueFromApplication,
  nextTimedTransition,
  recordedCertificate,
  toSnapshot,
} from './certificate';
import type { Application } from './application';
import { addMonths, unwrap } from './rules';
import { T0, certifier, daysAfter, inspector, merchant, passingChecks, run, scheduled, context } from '../test/domain-fixtures';

const ISSUED = new Date('2026-03-21T02:00:00.000Z');

function approved(): Application {
  const review = scheduled({ scheme: 'otop', level: 3 });
  return run(review, [[{ type: 'record_review', checks: passingChecks({ scheme: 'otop', level: 3 }), eligibility: context(ISSUED) }, inspector, ISSUED]]);
}

function issued(): Certificate {
  return unwrap(issueFromApplication(approved(), { certificateId: 'c-1', number: 'OTOP-3-2026-000001' }, ISSUED, certifier));
}

const apply = (certificate: Certificate, command: CertificateCommand, when: Date, actor = certifier) =>
  applyCertificateCommand(certificate, command, actor, when);
const must = (certificate: Certificate, command: CertificateCommand, when: Date, actor = certifier) =>
  unwrap(apply(certificate, command, when, actor));

const FIRST_DUE = addMonths(ISSUED, 12); // 2027-03-21
const DEADLINE = daysAfter(FIRST_DUE, INSPECTION_WINDOW_DAYS);

function inspectionDue(): Certificate {
  return applyDueTransitions(issued(), FIRST_DUE).certificate;
}

describe('certificate lifecycle', () => {
  it('is issued active and green, with the first annual inspection a year out', () => {
    const c = issued();
    expect(c.status).toBe('active');
    expect(certificateColour(c, ISSUED)).toBe('green');
    expect(nextTimedTransition(c)).toEqual({ type: 'inspection_falls_due', dueAt: FIRST_DUE });
  });

  it('annual inspection due → passed → active again, next inspection a year later', () => {
    const due = inspectionDue();
    expect(due.status).toBe('inspection_due');
    expect(due.inspectionDeadline).toEqual(DEADLINE);
    expect(certificateColour(due, FIRST_DUE)).toBe('green');
    const passed = must(due, { type: 'record_annual_inspection', passed: true, findings: '年检合格' }, daysAfter(FIRST_DUE, 5), inspector);
    expect(passed.status).toBe('active');
    expect(passed.nextInspectionAt).toEqual(addMonths(ISSUED, 24));
    expect(passed.inspections).toEqual([{ at: daysAfter(FIRST_DUE, 5), kind: 'annual', passed: true, by: 'u-inspector', findings: '年检合格' }]);
  });

  it('failed annual inspection → yellow (still sellable) → suspended once the month of grace lapses', () => {
    const failedAt = daysAfter(FIRST_DUE, 3);
    const yellow = must(inspectionDue(), { type: 'record_annual_inspection', passed: false, findings: '微生物指标超标' }, failedAt, inspector);
    expect(yellow.status).toBe('yellow_warning');
    expect(yellow.graceUntil).toEqual(addMonths(failedAt, 1));
    expect(certificateColour(yellow, failedAt)).toBe('yellow');
    expect(toSnapshot(yellow, failedAt)).toMatchObject({ status: 'yellow_warning', colour: 'yellow', graceUntil: addMonths(failedAt, 1).toISOString() });

    expect(dueTransitions(yellow, daysAfter(failedAt, 27))).toEqual([]);
    const lapsed = applyDueTransitions(yellow, addMonths(failedAt, 1));
    expect(lapsed.applied).toEqual([{ type: 'grace_lapsed', dueAt: addMonths(failedAt, 1) }]);
    expect(lapsed.certificate.status).toBe('suspended');
    expect(lapsed.certificate.suspensionReason).toBe('grace_lapsed');
    expect(certificateColour(lapsed.certificate, addMonths(failedAt, 1))).toBe('grey');
  });

  it('an inspection not carried out within the window turns yellow, and then suspended', () => {
    const { certificate, applied } = applyDueTransitions(issued(), addMonths(DEADLINE, 1));
    expect(applied.map((a) => a.type)).toEqual(['inspection_falls_due', 'inspection_overdue', 'grace_lapsed']);
    expect(applied.map((a) => a.dueAt)).toEqual([FIRST_DUE, DEADLINE, addMonths(DEADLINE, 1)]);
    expect(certificate.status).toBe('suspended');
    expect(certificate.warnings).toEqual([{ colour: 'yellow', raisedAt: DEADLINE, reason: '逾期未年检', source: 'inspection_overdue' }]);
  });

  it('passing the inspection during the grace month clears the yellow warning', () => {
    const yellow = must(inspectionDue(), { type: 'record_annual_inspection', passed: false, findings: '标签不规范' }, FIRST_DUE, inspector);
    const cleared = must(yellow, { type: 'record_annual_inspection', passed: true }, daysAfter(FIRST_DUE, 10), inspector);
    expect(cleared.status).toBe('active');
    expect(cleared.graceUntil).toBeUndefined();
    expect(cleared.warnings[0].clearedAt).toEqual(daysAfter(FIRST_DUE, 10));
    expect(nextTimedTransition(cleared)).toEqual({ type: 'inspection_falls_due', dueAt: addMonths(ISSUED, 24) });
  });

  it('failing again during the grace month suspends at once; a later pass reinstates', () => {
    const yellow = must(inspectionDue(), { type: 'record_annual_inspection', passed: false, findings: '标签不规范' }, FIRST_DUE, inspector);
    const suspended = must(yellow, { type: 'record_annual_inspection', passed: false, findings: '仍不合格' }, daysAfter(FIRST_DUE, 10), inspector);
    expect(suspended).toMatchObject({ status: 'suspended', suspensionReason: 'failed_reinspection' });
    const back = must(suspended, { type: 'record_annual_inspection', passed: true }, daysAfter(FIRST_DUE, 40), inspector);
    expect(back.status).toBe('active');
    expect(back.suspensionReason).toBeUndefined();
  });

  it('a failed inspection needs findings', () => {
    expect(apply(inspectionDue(), { type: 'record_annual_inspection', passed: false }, FIRST_DUE, inspector)).toMatchObject({
      ok: false,
      rejection: { code: 'findings_missing' },
    });
  });

  describe('red warning', () => {
    it('suspends sale at once and a passed re-test reinstates the previous status', () => {
      const red = must(issued(), { type: 'raise_quality_risk', reason: '抽检发现兽药残留超标', source: 'quality_risk' }, daysAfter(ISSUED, 30));
      expect(red.status).toBe('red_warning');
      expect(certificateColour(red, daysAfter(ISSUED, 30))).toBe('red');
      expect(nextTimedTransition(red)).toBeNull();

      const failedRetest = must(red, { type: 'record_retest', passed: false, findings: '复检仍超标' }, daysAfter(ISSUED, 40), inspector);
      expect(failedRetest.status).toBe('red_warning');
      expect(failedRetest.inspections).toHaveLength(1);

      const reinstated = must(failedRetest, { type: 'record_retest', passed: true, findings: '复检合格' }, daysAfter(ISSUED, 50), inspector);
      expect(reinstated.status).toBe('active');
      expect(reinstated.statusBeforeRed).toBeUndefined();
      expect(reinstated.warnings[0]).toMatchObject({ colour: 'red', source: 'quality_risk', clearedAt: daysAfter(ISSUED, 50) });
    });

    it('a confirmed complaint raises it too, and must name the complaint', () => {
      expect(apply(issued(), { type: 'raise_quality_risk', reason: '消费者投诉变质', source: 'confirmed_complaint' }, ISSUED)).toMatchObject({
        ok: false,
        rejection: { code: 'complaint_missing' },
      });
      const red = must(issued(), { type: 'raise_quality_risk', reason: '消费者投诉变质', source: 'confirmed_complaint', complaintId: 'cmp-7' }, ISSUED);
      expect(red.warnings[0]).toMatchObject({ source: 'confirmed_complaint', complaintId: 'cmp-7' });
    });

    it('can be raised on a yellow or suspended certificate and returns there after a re-test', () => {
      const yellow = must(inspectionDue(), { type: 'record_annual_inspection', passed: false, findings: 'x' }, FIRST_DUE, inspector);
      const red = must(yellow, { type: 'raise_quality_risk', reason: '风险', source: 'quality_risk' }, daysAfter(FIRST_DUE, 2));
      // The grace month does not tick while red; once reinstated to yellow it lapses as scheduled.
      expect(dueTransitions(red, addMonths(FIRST_DUE, 2))).toEqual([]);
      const back = must(red, { type: 'record_retest', passed: true }, daysAfter(FIRST_DUE, 5), inspector);
      expect(back.status).toBe('yellow_warning');
      expect(applyDueTransitions(back, addMonths(FIRST_DUE, 1)).certificate.status).toBe('suspended');
    });

    it('is not raised twice, and needs a reason', () => {
      const red = must(issued(), { type: 'raise_quality_risk', reason: '风险', source: 'quality_risk' }, ISSUED);
      expect(apply(red, { type: 'raise_quality_risk', reason: '风险', source: 'quality_risk' }, ISSUED)).toMatchObject({ ok: false, rejection: { code: 'already_red' } });
      expect(apply(issued(), { type: 'raise_quality_risk', reason: ' ', source: 'quality_risk' }, ISSUED)).toMatchObject({ ok: false, rejection: { code: 'reason_missing' } });
    });

    it('holds past validUntil; a passed re-test then expires the certificate instead of reinstating it', () => {
      const c = issued();
      const red = must(c, { type: 'raise_quality_risk', reason: '风险', source: 'quality_risk' }, daysAfter(c.validUntil, -3));
      expect(applyDueTransitions(red, daysAfter(c.validUntil, 10)).certificate.status).toBe('red_warning');
      expect(apply(red, { type: 'expire' }, daysAfter(c.validUntil, 1))).toMatchObject({ ok: false, rejection: { code: 'red_warning_pending' } });
      const after = must(red, { type: 'record_retest', passed: true }, daysAfter(c.validUntil, 10), inspector);
      expect(after.status).toBe('expired');
    });
  });

  describe("certifier's yellow warning and suspension", () => {
    const RAISED = daysAfter(ISSUED, 40);

    it('a yellow warning with a rectification deadline keeps the product sellable; a passed inspection before it clears it', () => {
      const deadline = daysAfter(RAISED, 20);
      const yellow = must(issued(), { type: 'raise_yellow_warning', reason: '包装标识不全', deadline }, RAISED);
      expect(yellow).toMatchObject({ status: 'yellow_warning', graceUntil: deadline });
      expect(yellow.warnings.at(-1)).toMatchObject({ colour: 'yellow', reason: '包装标识不全', source: 'certifier_notice', deadline });
      expect(certificateColour(yellow, RAISED)).toBe('yellow');
      expect(nextTimedTransition(yellow)).toEqual({ type: 'grace_lapsed', dueAt: deadline });
      const cleared = must(yellow, { type: 'record_annual_inspection', passed: true, findings: '已整改' }, daysAfter(RAISED, 10), inspector);
      expect(cleared.status).toBe('active');
      expect(cleared.warnings.at(-1)?.clearedAt).toEqual(daysAfter(RAISED, 10));
    });

    it('not rectified by the deadline → suspended at the deadline', () => {
      const deadline = daysAfter(RAISED, 20);
      const yellow = must(issued(), { type: 'raise_yellow_warning', reason: '包装标识不全', deadline }, RAISED);
      const later = applyDueTransitions(yellow, daysAfter(RAISED, 30)).certificate;
      expect(later).toMatchObject({ status: 'suspended', suspensionReason: 'grace_lapsed' });
      expect(later.history.at(-1)?.at).toEqual(deadline);
    });

    it('refuses a yellow warning without a reason, with a past or too distant deadline, or on a red certificate', () => {
      const bad = (command: CertificateCommand, certificate = issued()) => apply(certificate, command, RAISED);
      expect(bad({ type: 'raise_yellow_warning', reason: ' ', deadline: daysAfter(RAISED, 5) })).toMatchObject({ ok: false, rejection: { code: 'reason_missing' } });
      expect(bad({ type: 'raise_yellow_warning', reason: 'r', deadline: daysAfter(RAISED, -1) })).toMatchObject({ ok: false, rejection: { code: 'deadline_invalid' } });
      expect(bad({ type: 'raise_yellow_warning', reason: 'r', deadline: daysAfter(RAISED, 100) })).toMatchObject({ ok: false, rejection: { code: 'deadline_invalid' } });
      const red = must(issued(), { type: 'raise_quality_risk', reason: '抽检不合格', source: 'quality_risk' }, RAISED);
      expect(bad({ type: 'raise_yellow_warning', reason: 'r', deadline: daysAfter(RAISED, 5) }, red)).toMatchObject({ ok: false, rejection: { code: 'illegal_transition' } });
      expect(apply(issued(), { type: 'raise_yellow_warning', reason: 'r', deadline: daysAfter(RAISED, 5) }, RAISED, inspector)).toMatchObject({
        ok: false,
        rejection: { code: 'forbidden_role' },
      });
    });

    it('suspends with a reason (product not sellable); a passed re-inspection reinstates', () => {
      expect(apply(issued(), { type: 'suspend', reason: '' }, RAISED)).toMatchObject({ ok: false, rejection: { code: 'reason_missing' } });
      const suspended = must(issued(), { type: 'suspend', reason: '停产整顿' }, RAISED);
      expect(suspended).toMatchObject({ status: 'suspended', suspensionReason: 'certifier_decision' });
      expect(suspended.history.at(-1)).toMatchObject({ type: 'suspend', from: 'active', to: 'suspended', note: '停产整顿' });
      expect(certificateColour(suspended, RAISED)).toBe('grey');
      expect(apply(suspended, { type: 'suspend', reason: 'again' }, RAISED)).toMatchObject({ ok: false, rejection: { code: 'illegal_transition' } });
      expect(must(suspended, { type: 'record_annual_inspection', passed: true }, daysAfter(RAISED, 5), inspector).status).toBe('active');
    });

    it('recorded certificates we do not inspect get neither', () => {
      const recorded = unwrap(
        recordedCertificate(
          { id: 'c-gi', productId: 'p', merchantId: 'm', mark: 'gi', number: 'GI-1', issuer: '国家知识产权局', origin: 'gi_authorisation', validFrom: ISSUED, validUntil: addMonths(ISSUED, 24) },
          ISSUED,
          certifier,
        ),
      );
      expect(apply(recorded, { type: 'raise_yellow_warning', reason: 'r', deadline: daysAfter(RAISED, 5) }, RAISED)).toMatchObject({ ok: false, rejection: { code: 'no_annual_inspection' } });
      expect(apply(recorded, { type: 'suspend', reason: 'r' }, RAISED)).toMatchObject({ ok: false, rejection: { code: 'no_annual_inspection' } });
    });
  });

  it('revocation is final and needs a reason', () => {
    expect(apply(issued(), { type: 'revoke', reason: '' }, ISSUED)).toMatchObject({ ok: false, rejection: { code: 'reason_missing' } });
    const revoked = must(issued(), { type: 'revoke', reason: '伪造检测报告' }, daysAfter(ISSUED, 1));
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: '伪造检测报告' });
    expect(certificateColour(revoked, daysAfter(ISSUED, 1))).toBe('grey');
    expect(nextTimedTransition(revoked)).toBeNull();
    const commands: CertificateCommand[] = [
      { type: 'record_annual_inspection', passed: true },
      { type: 'raise_quality_risk', reason: 'r', source: 'quality_risk' },
      { type: 'record_retest', passed: true },
      { type: 'revoke', reason: 'again' },
      { type: 'expire' },
      { type: 'grace_lapsed' },
    ];
    for (const command of commands) {
      expect(apply(revoked, command, daysAfter(ISSUED, 2000))).toMatchObject({ ok: false, rejection: { code: 'certificate_final' } });
    }
  });

  it('expires at validUntil, and expiry wins a tie with an inspection falling due', () => {
    const c = issued();
    // Pass the first two inspections so the third falls due exactly at validUntil (3 × 12 months).
    let current = c;
    for (const year of [1, 2]) {
      current = applyDueTransitions(current, addMonths(ISSUED, 12 * year)).certificate;
      current = must(current, { type: 'record_annual_inspection', passed: true }, addMonths(ISSUED, 12 * year), inspector);
    }
    expect(current.nextInspectionAt).toEqual(c.validUntil);
    expect(nextTimedTransition(current)).toEqual({ type: 'expire', dueAt: c.validUntil });
    expect(applyDueTransitions(current, daysAfter(c.validUntil, -1)).applied).toEqual([]);
    const expired = applyDueTransitions(current, c.validUntil);
    expect(expired.applied).toEqual([{ type: 'expire', dueAt: c.validUntil }]);
    expect(expired.certificate.status).toBe('expired');
    expect(certificateColour(current, c.validUntil)).toBe('grey');
  });

  it('refuses time-driven transitions before they are due and in the wrong status', () => {
    expect(apply(issued(), { type: 'inspection_falls_due' }, daysAfter(FIRST_DUE, -1))).toMatchObject({ ok: false, rejection: { code: 'not_due' } });
    expect(apply(issued(), { type: 'expire' }, FIRST_DUE)).toMatchObject({ ok: false, rejection: { code: 'not_due' } });
    expect(apply(issued(), { type: 'grace_lapsed' }, FIRST_DUE)).toMatchObject({ ok: false, rejection: { code: 'illegal_transition' } });
    expect(apply(issued(), { type: 'inspection_overdue' }, FIRST_DUE)).toMatchObject({ ok: false, rejection: { code: 'illegal_transition' } });
    expect(apply(inspectionDue(), { type: 'inspection_overdue' }, daysAfter(DEADLINE, -1))).toMatchObject({ ok: false, rejection: { code: 'not_due' } });
    expect(apply(issued(), { type: 'record_annual_inspection', passed: true }, ISSUED, inspector)).toMatchObject({ ok: false, rejection: { code: 'illegal_transition' } });
    expect(apply(issued(), { type: 'record_retest', passed: true }, ISSUED, inspector)).toMatchObject({ ok: false, rejection: { code: 'illegal_transition' } });
  });

  it('merchants change nothing; inspectors record inspections but cannot warn or revoke', () => {
    for (const command of [
      { type: 'revoke', reason: 'r' },
      { type: 'raise_quality_risk', reason: 'r', source: 'quality_risk' },
      { type: 'record_annual_inspection', passed: true },
    ] as CertificateCommand[]) {
      expect(apply(inspectionDue(), command, FIRST_DUE, merchant)).toMatchObject({ ok: false, rejection: { code: 'forbidden_role' } });
    }
    expect(apply(issued(), { type: 'revoke', reason: 'r' }, ISSUED, inspector)).toMatchObject({ ok: false, rejection: { code: 'forbidden_role' } });
  });

  it('recorded certificates (GI, external) only expire, they have no annual inspection', () => {
    const input = {
          id: 'c-green',
          productId: 'p-magang-goose',
          merchantId: 'm-magang-goose',
          mark: 'green',
          number: 'LB-15-2026-0001',
          issuer: '中国绿色食品发展中心',
          origin: 'external',
          validFrom: T0,
          validUntil: addMonths(T0, 36),
    } as const;
    const green = unwrap(recordedCertificate(input, T0, certifier));
    expect(nextTimedTransition(green)).toEqual({ type: 'expire', dueAt: addMonths(T0, 36) });
    expect(apply(green, { type: 'record_annual_inspection', passed: true }, T0, inspector)).toMatchObject({ ok: false });
    expect(recordedCertificate({ ...input, validUntil: T0 }, T0, certifier)).toMatchObject({ ok: false, rejection: { code: 'validity_invalid' } });
  });

  describe('time-driven transitions (properties)', () => {
    const base = issued();
    const horizon = daysAfter(base.validUntil, 60).getTime();
    const instant = fc.integer({ min: base.validFrom.getTime(), max: horizon }).map((ms) => new Date(ms));

    it('are idempotent: applying at t twice equals applying once', () => {
      fc.assert(
        fc.property(instant, (t) => {
          const once = applyDueTransitions(base, t).certificate;
          const twice = applyDueTransitions(once, t);
          expect(twice.applied).toEqual([]);
          expect(twice.certificate).toEqual(once);
        }),
      );
    });

    it('do not depend on when the sweeper runs: t1 then t2 equals t2 alone', () => {
      fc.assert(
        fc.property(instant, instant, (a, b) => {
          const [t1, t2] = a <= b ? [a, b] : [b, a];
          const stepwise = applyDueTransitions(applyDueTransitions(base, t1).certificate, t2).certificate;
          expect(stepwise).toEqual(applyDueTransitions(base, t2).certificate);
        }),
      );
    });

    it('never leave a transition due at t behind, and the next one is strictly later', () => {
      fc.assert(
        fc.property(instant, (t) => {
          const after = applyDueTransitions(base, t).certificate;
          const next = nextTimedTransition(after);
          if (next) expect(next.dueAt.getTime()).toBeGreaterThan(t.getTime());
        }),
      );
    });
  });
});
