import { ConflictException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Mark } from '@techan/common';
import type { Actor, ApplicationCommand, ApplicationTarget, Clock, EligibilityContext, MerchantRecords } from '../../domain';
import {
  TERMINAL_APPLICATION_STATUSES,
  applyApplicationCommand,
  applyCertificateCommand,
  applyDueTransitions,
  canAccessMerchantRecord,
  formatCertificateNumber,
  issueFromApplication,
  planFor,
  regionalOriginProblem,
  submissionConflict,
  submitApplication,
  unwrap,
} from '../../domain';
import { AfterCommit } from '../certificates/after-commit';
import { CertificatesService } from '../certificates/certificates.service';
import { merchantScope } from '../http/current-actor';
import { Stores } from '../persistence/stores';
import type { StoredApplication, StoredCertificate } from '../persistence/stores';
import { CLOCK } from '../tokens';

/** Commands whose eligibility is evaluated from the merchant's records at the time of the command. */
type CommandInput =
  | Exclude<ApplicationCommand, { type: 'check_evidence' } | { type: 'record_review' }>
  | { type: 'check_evidence' }
  | { type: 'record_review'; checks: Extract<ApplicationCommand, { type: 'record_review' }>['checks'] };

const LIVE_STATUSES = ['active', 'inspection_due', 'yellow_warning', 'suspended', 'red_warning'];

@Injectable()
export class ApplicationsService {
  constructor(
    private readonly stores: Stores,
    private readonly certificates: CertificatesService,
    private readonly afterCommit: AfterCommit,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async submit(actor: Actor, productId: string, target: ApplicationTarget): Promise<StoredApplication> {
    const now = this.clock.now();
    const product = await this.stores.product(productId);
    if (!product || !canAccessMerchantRecord(actor, product.merchantId)) throw new NotFoundException(`产品 ${productId} 未登记`);
    if (target.scheme === 'regional') {
      if (!product.origin) throw new UnprocessableEntityException('申请行政区品牌前，请先登记产品产地与“三原”程度');
      const problem = regionalOriginProblem(target.mark, target.tier, product.origin);
      if (problem) throw new UnprocessableEntityException(problem);
    }
    const open = await this.stores.applications.find({ productId, status: { $nin: TERMINAL_APPLICATION_STATUSES } });
    const live = await this.stores.certificates.find({ productId, status: { $in: LIVE_STATUSES } });
    const conflict = submissionConflict(
      target,
      open.map((a) => a.value),
      live.map((c) => c.value),
    );
    if (conflict) throw new ConflictException(conflict);
    const application = unwrap(submitApplication({ id: randomUUID(), productId, merchantId: product.merchantId, target }, actor, now));
    await this.stores.applications.insert(application);
    return application;
  }

  async get(actor: Actor, id: string): Promise<StoredApplication> {
    const stored = await this.stores.applications.get(id);
    if (!stored || !canAccessMerchantRecord(actor, stored.value.merchantId)) throw new NotFoundException(`申请 ${id} 不存在`);
    return stored.value;
  }

  async list(actor: Actor, filter: { status?: string; productId?: string; merchantId?: string }): Promise<StoredApplication[]> {
    const query: Record<string, unknown> = {};
    if (filter.status) query['status'] = filter.status;
    if (filter.productId) query['productId'] = filter.productId;
    Object.assign(query, merchantScope(actor, filter.merchantId));
    return (await this.stores.applications.find(query, { sort: { submittedAt: -1 }, limit: 500 })).map((a) => a.value);
  }

  /** Apply one workflow command; approval issues the certificate, trace code and status event atomically. */
  async act(actor: Actor, id: string, input: CommandInput): Promise<StoredApplication> {
    const now = this.clock.now();
    const stored = await this.stores.applications.get(id);
    if (!stored || !canAccessMerchantRecord(actor, stored.value.merchantId)) throw new NotFoundException(`申请 ${id} 不存在`);
    const command = await this.withEligibility(stored.value, input, now);
    const next = unwrap(applyApplicationCommand(stored.value, command, actor, now));
    if (next.status !== 'approved') {
      await this.stores.applications.replace(next, stored.version);
      return next;
    }
    const { application, certificate } = await this.stores.transaction(async (session) => {
      const product = await this.stores.product(next.productId, session);
      if (!product) throw new NotFoundException(`产品 ${next.productId} 未登记`);
      const plan = planFor(next.target);
      const number = plan.numberedCertificate
        ? formatCertificateNumber(plan, now, await this.stores.nextSequence(`certificate:${plan.mark}:${plan.level ?? plan.tier}:${now.getUTCFullYear()}`, session))
        : undefined;
      const issued = unwrap(issueFromApplication(next, { certificateId: randomUUID(), number }, now, actor));
      // An upgrade (e.g. 2★ → 4★) supersedes the lower live certificate of the same mark.
      const superseded = await this.stores.certificates.find({ productId: next.productId, mark: plan.mark, status: { $in: LIVE_STATUSES } }, { session });
      for (const old of superseded) {
        const current = applyDueTransitions(old.value, now).certificate;
        // The approving actor may be an inspector; superseding is done on the certifier's behalf.
        const onBehalf: Actor = { role: 'certifier', userId: actor.userId };
        const revoked = unwrap(applyCertificateCommand(current, { type: 'revoke', reason: `已升级为新证书 ${issued.number ?? issued.id}` }, onBehalf, now));
        await this.stores.certificates.replace(revoked, old.version, session);
      }
      const application: StoredApplication = { ...next, certificateId: issued.id };
      await this.stores.applications.replace(application, stored.version, session);
      await this.certificates.ensureTraceCode(product.id, product.merchantId, product.gtin, undefined, session);
      await this.certificates.insertInTransaction(issued, 'certificate.issued', now, session);
      return { application, certificate: issued };
    });
    await this.afterCommit.certificateChanged(certificate);
    return application;
  }

  private async withEligibility(application: StoredApplication, input: CommandInput, now: Date): Promise<ApplicationCommand> {
    if (input.type !== 'check_evidence' && input.type !== 'record_review') return input;
    const eligibility = await this.eligibility(application.merchantId, application.productId, now);
    return input.type === 'check_evidence' ? { type: 'check_evidence', eligibility } : { type: 'record_review', checks: input.checks, eligibility };
  }

  /** The merchant's records and the marks the product holds now (GI, green, organic …). */
  async eligibility(merchantId: string, productId: string, now: Date): Promise<EligibilityContext> {
    const stored = await this.stores.records.get(merchantId);
    const records: MerchantRecords = stored?.value ?? { evidence: [], incidents: [], insurancePolicies: [] };
    const certificates = await this.stores.certificates.find({ productId, status: { $in: ['active', 'inspection_due', 'yellow_warning'] } });
    const heldMarks: Mark[] = certificates
      .map((c) => c.value as StoredCertificate)
      .filter((c) => c.validFrom.getTime() <= now.getTime() && now.getTime() < c.validUntil.getTime())
      .map((c) => c.mark);
    return { records, heldMarks, at: now };
  }
}
