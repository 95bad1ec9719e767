import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Actor, ApplicationTarget, Certificate, DemoCertification, DemoCertificateSpec, ManualClock, RegionalMark } from '../../domain';
import { DEMO_CERTIFICATIONS, DEMO_GI_FOR, DEMO_GI_REGISTRATIONS, EVIDENCE_KINDS, addMonths, planFor } from '../../domain';
import { ApplicationsService } from '../applications/applications.service';
import { CertificatesService } from '../certificates/certificates.service';
import { Stores } from '../persistence/stores';
import { ProductsService } from '../products/products.service';
import { CLOCK } from '../tokens';

const DAY_MS = 86_400_000;
const CERTIFIER: Actor = { role: 'certifier', userId: 'demo-certifier' };
const INSPECTOR: Actor = { role: 'inspector', userId: 'demo-inspector' };

export interface DemoSeedResult {
  products: number;
  certificates: number;
  /** A trace code of a purchasable demo product, for the start banner's `/v/<code>` link. */
  sampleTraceCode?: string;
}

/**
 * Issues the demo certificates the way certification issues any certificate: the owner registers the
 * product and files its records, applies; the certifier checks evidence, receives the sample, reviews and
 * approves (certificate, trace code and status event in one transaction, the event through the outbox).
 * Warned, suspended and expired demo certificates get there through the lifecycle (a failed annual
 * inspection, a quality risk, time). Runs on a manual clock set back to the issue dates. Idempotent:
 * a product holding any certificate is left alone.
 */
@Injectable()
export class DemoSeed {
  private readonly logger = new Logger(DemoSeed.name);

  constructor(
    private readonly products: ProductsService,
    private readonly applications: ApplicationsService,
    private readonly certificates: CertificatesService,
    private readonly stores: Stores,
    @Inject(CLOCK) private readonly clock: ManualClock,
  ) {}

  async seed(now: Date = new Date()): Promise<DemoSeedResult> {
    this.clock.set(now);
    const known = new Set((await this.products.listGi()).map((r) => r.registrationNumber));
    for (const registration of DEMO_GI_REGISTRATIONS) if (!known.has(registration.registrationNumber)) await this.products.registerGi(CERTIFIER, registration);

    let products = 0;
    let certificates = 0;
    const recordsDone = new Set<string>();
    for (const demo of DEMO_CERTIFICATIONS) {
      if ((await this.stores.certificates.find({ productId: demo.productId }, { limit: 1 })).length > 0) continue;
      const owner: Actor = { role: 'merchant', userId: demo.ownerUserId, merchantIds: [demo.merchantId] };
      this.clock.set(addMonths(now, -40));
      if (!recordsDone.has(demo.merchantId)) {
        await this.fileRecords(owner, demo.merchantId, now);
        recordsDone.add(demo.merchantId);
      }
      await this.products.register(owner, demo.productId, { merchantId: demo.merchantId, merchantName: demo.merchantName, name: demo.name, origin: demo.origin });
      for (const spec of demo.certificates) {
        await this.issue(owner, demo, spec, now);
        certificates++;
      }
      if (demo.certificates.some((c) => c.status === 'red_warning')) {
        this.clock.set(new Date(now.getTime() - 3 * DAY_MS));
        await this.certificates.raiseRedWarningForProduct(CERTIFIER, demo.productId, { reason: '市场监管抽检发现农药残留超标（演示）', source: 'quality_risk' });
      }
      // Bring every certificate up to the present (timers that fell due while the clock was set back).
      this.clock.set(now);
      for (const c of await this.stores.certificates.find({ productId: demo.productId })) await this.certificates.applyDue(c.value.id, now);
      products++;
    }
    this.clock.set(now);
    const sample = DEMO_CERTIFICATIONS.find((d) => d.certificates.every((c) => !c.status));
    const trace = sample ? await this.stores.traceCodeFor(sample.productId, undefined) : null;
    this.logger.log(`demo certification: ${products} products, ${certificates} certificates issued`);
    return { products, certificates, sampleTraceCode: trace?.code };
  }

  /** The enterprise's eligibility records, as its owner files them (every evidence kind, insurance, traceability). */
  private async fileRecords(owner: Actor, merchantId: string, now: Date): Promise<void> {
    for (const kind of EVIDENCE_KINDS) await this.products.addEvidence(owner, merchantId, { kind, reference: `doc:evidence/demo/${merchantId}/${kind}.pdf` });
    await this.products.addInsurance(owner, merchantId, {
      insurer: '中国人民财产保险股份有限公司开平支公司',
      policyNumber: `PICC-KP-DEMO-${merchantId.slice(6, 18).toUpperCase()}`,
      validFrom: addMonths(now, -48),
      validUntil: addMonths(now, 24),
    });
    await this.products.setTraceability(owner, merchantId, 'production_and_circulation');
  }

  private async issue(owner: Actor, demo: DemoCertification, spec: DemoCertificateSpec, now: Date): Promise<void> {
    if (spec.mark === 'gi' || spec.mark === 'green') {
      // Recorded marks held since before any demo application (the regional standards ask for them).
      const validFrom = addMonths(now, -40);
      this.clock.set(validFrom);
      const validUntil = addMonths(now, 24);
      if (spec.mark === 'green') {
        await this.products.recordExternal(CERTIFIER, demo.productId, { kind: 'green', issuer: '中国绿色食品发展中心', number: `LB-44-${demo.productId.slice(6, 16).toUpperCase()}`, validFrom, validUntil });
        return;
      }
      const registrationNumber = DEMO_GI_FOR[demo.key];
      if (!registrationNumber) throw new Error(`demo product ${demo.key} has a GI mark but no GI registration`);
      await this.products.recordGiAuthorisation(CERTIFIER, demo.productId, { registrationNumber, authorisationNumber: `GI-AUTH-${demo.key.toUpperCase()}`, validFrom, validUntil });
      return;
    }
    const issueAt = issueDateFor({ ...spec, mark: spec.mark }, now);
    const target: ApplicationTarget = spec.mark === 'otop' ? { scheme: 'otop', level: spec.level ?? 1 } : { scheme: 'regional', mark: spec.mark as RegionalMark, tier: demo.tier };
    const certificate = await this.certifyThroughWorkflow(owner, demo.productId, target, issueAt);
    if (spec.status === 'yellow_warning' || spec.status === 'suspended') {
      // The annual inspection fell due; the inspector found a problem: yellow warning, one month's grace.
      const failedAt = spec.status === 'yellow_warning' ? new Date(now.getTime() - 2 * DAY_MS) : new Date(now.getTime() - 40 * DAY_MS);
      this.clock.set(failedAt);
      await this.certificates.command(INSPECTOR, certificate.id, { type: 'record_annual_inspection', passed: false, findings: '年检抽样：包装标签与备案不一致，限期整改（演示）' });
      // Suspended: the grace month lapsed without a passed re-inspection (applied at `now` by the caller).
    }
  }

  /** One application from submission to approval, every step by the actor who does it in real life. */
  private async certifyThroughWorkflow(owner: Actor, productId: string, target: ApplicationTarget, issueAt: Date): Promise<Certificate> {
    const start = new Date(issueAt.getTime() - 12 * DAY_MS);
    this.clock.set(start);
    const application = await this.applications.submit(owner, productId, target);
    const step = (actor: Actor, input: Parameters<ApplicationsService['act']>[2]) => this.applications.act(actor, application.id, input);
    await step(CERTIFIER, { type: 'check_evidence' });
    await step(CERTIFIER, { type: 'request_sample', instructions: '请寄样品 2 份至开平市优品评定中心（开平市三埠街道）' });
    this.clock.set(new Date(start.getTime() + DAY_MS));
    await step(owner, { type: 'mark_sample_mailed', carrier: '顺丰速运', trackingNumber: `SF${productId.slice(6, 16).toUpperCase()}` });
    this.clock.set(new Date(start.getTime() + 3 * DAY_MS));
    await step(CERTIFIER, { type: 'receive_sample', receivedAt: this.clock.now() });
    const plan = planFor(target);
    const review =
      plan.reviewMethod === 'online'
        ? { method: 'online' as const, reviewerId: CERTIFIER.userId }
        : plan.reviewMethod === 'third_party'
          ? { method: 'third_party' as const, agency: '江门市质量计量监督检测所', reference: `WT-DEMO-${productId.slice(6, 14).toUpperCase()}` }
          : { method: 'expert_on_site' as const, inspectorId: INSPECTOR.userId, scheduledFor: issueAt };
    await step(CERTIFIER, { type: 'schedule_review', plan: review });
    this.clock.set(issueAt);
    const checks = plan.requiredChecks.map((check) => ({ check, passed: true }));
    const approved = await step(plan.reviewMethod === 'expert_on_site' ? INSPECTOR : CERTIFIER, { type: 'record_review', checks });
    if (!approved.certificateId) throw new Error(`demo application for ${productId} was not approved (${approved.status})`);
    const stored = await this.stores.certificates.get(approved.certificateId);
    if (!stored) throw new Error(`certificate ${approved.certificateId} missing after approval`);
    return stored.value;
  }
}

/** Issue dates that make the lifecycle reach the demo status by `now`. */
function issueDateFor(spec: DemoCertificateSpec & { mark: 'otop' | RegionalMark }, now: Date): Date {
  const validity = planFor(spec.mark === 'otop' ? { scheme: 'otop', level: spec.level ?? 1 } : { scheme: 'regional', mark: spec.mark, tier: 'mass' }).validityMonths;
  switch (spec.status) {
    case 'expired':
      return addMonths(now, -(validity + 1));
    case 'yellow_warning':
      return new Date(addMonths(now, -12).getTime() - 10 * DAY_MS);
    case 'suspended':
      return new Date(addMonths(now, -12).getTime() - 50 * DAY_MS);
    default:
      return addMonths(now, -6);
  }
}
