import { ForbiddenException, Inject, Injectable, Logger, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ProductUpsertedV1 } from '@techan/common';
import { TOWN_MARKS } from '@techan/common';
import type { TownMark } from '@techan/common';
import type { Actor, Clock, EvidenceDocument, ExternalKind, GiRegistration, IncidentRecord, InsurancePolicy, ProductOrigin, TraceabilityLevel } from '../../domain';
import {
  canAccessMerchantRecord,
  isStaff,
  normaliseGtin,
  recordedCertificate,
  unwrap,
  validateExternalCertificate,
  validateGiAuthorisation,
  validateGiRegistration,
} from '../../domain';
import { CertificatesService } from '../certificates/certificates.service';
import { AfterCommit } from '../certificates/after-commit';
import { Stores } from '../persistence/stores';
import type { ProductRecord, StoredCertificate, StoredMerchantRecords } from '../persistence/stores';
import { ConcurrentModificationError } from '../persistence/versioned-store';
import { CLOCK } from '../tokens';

/** Products known to certification, the merchants' eligibility records, and recorded (GI / external) certificates. */
@Injectable()
export class ProductsService {
  private readonly logger = new Logger(ProductsService.name);

  constructor(
    private readonly stores: Stores,
    private readonly certificates: CertificatesService,
    private readonly afterCommit: AfterCommit,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async register(
    actor: Actor,
    productId: string,
    input: { merchantId: string; merchantName?: string; name: string; gtin?: string; origin?: ProductOrigin },
  ): Promise<ProductRecord> {
    if (!canAccessMerchantRecord(actor, input.merchantId)) throw new ForbiddenException('只能登记本企业的产品');
    const existing = await this.stores.product(productId);
    if (existing && existing.merchantId !== input.merchantId) {
      if (!isStaff(actor)) throw new NotFoundException(`产品 ${productId} 不存在`);
      throw new UnprocessableEntityException('产品已登记在另一家企业名下，不能改变所属企业');
    }
    const gtin = input.gtin ? unwrap(normaliseGtin(input.gtin)) : undefined;
    return this.stores.upsertProduct({ id: productId, merchantId: input.merchantId, merchantName: input.merchantName, name: input.name, gtin, origin: input.origin });
  }

  /** Catalog tells us about products (techan.catalog.product-upserted.v1). */
  async onProductUpserted(event: ProductUpsertedV1): Promise<void> {
    const existing = await this.stores.product(event.productId);
    if (existing && existing.merchantId !== event.merchantId) {
      this.logger.warn(`product ${event.productId} changed merchant in catalog (${existing.merchantId} → ${event.merchantId}); ignored`);
      return;
    }
    const gtin = event.gtin ? normaliseGtin(event.gtin) : undefined;
    const town = TOWN_MARKS.find((t) => t === event.town) as TownMark | undefined;
    await this.stores.upsertProduct({
      id: event.productId,
      merchantId: event.merchantId,
      merchantName: event.merchantName ?? existing?.merchantName,
      name: event.name,
      gtin: gtin?.ok ? gtin.value : undefined,
      // Catalog knows the town; the "三原" degree is declared to us by the merchant, so keep ours if any.
      origin: existing?.origin ?? (town ? { town, inKaiping: true, degree: 'fully_local' } : undefined),
    });
  }

  async get(actor: Actor, productId: string): Promise<ProductRecord> {
    const product = await this.stores.product(productId);
    if (!product || !canAccessMerchantRecord(actor, product.merchantId)) throw new NotFoundException(`产品 ${productId} 不存在`);
    return product;
  }

  // ---- merchant records (eligibility evidence) ----

  async records(actor: Actor, merchantId: string): Promise<StoredMerchantRecords> {
    if (!canAccessMerchantRecord(actor, merchantId)) throw new NotFoundException(`企业 ${merchantId} 不存在`);
    return (await this.stores.records.get(merchantId))?.value ?? emptyRecords(merchantId);
  }

  addEvidence(actor: Actor, merchantId: string, document: EvidenceDocument) {
    this.requireOwnerOrCertifier(actor, merchantId);
    return this.updateRecords(merchantId, (r) => ({ ...r, evidence: [...r.evidence.filter((d) => !(d.kind === document.kind && d.reference === document.reference)), document] }));
  }

  addInsurance(actor: Actor, merchantId: string, policy: InsurancePolicy) {
    this.requireOwnerOrCertifier(actor, merchantId);
    if (policy.validFrom >= policy.validUntil) throw new UnprocessableEntityException('保险有效期的开始日期必须早于结束日期');
    return this.updateRecords(merchantId, (r) => ({ ...r, insurancePolicies: [...r.insurancePolicies.filter((p) => p.policyNumber !== policy.policyNumber), policy] }));
  }

  setTraceability(actor: Actor, merchantId: string, traceability: TraceabilityLevel) {
    this.requireOwnerOrCertifier(actor, merchantId);
    return this.updateRecords(merchantId, (r) => ({ ...r, traceability }));
  }

  /** Complaints and incidents are recorded by certifiers, never by the merchant concerned. */
  async addIncident(actor: Actor, merchantId: string, incident: Omit<IncidentRecord, 'id'> & { id?: string }) {
    if (actor.role !== 'certifier') throw new ForbiddenException('投诉与安全事故由评定中心登记');
    if (incident.occurredAt.getTime() > this.clock.now().getTime()) throw new UnprocessableEntityException('发生日期不能晚于当前时间');
    const record: IncidentRecord = { ...incident, id: incident.id ?? randomUUID() };
    const updated = await this.updateRecords(merchantId, (r) => ({ ...r, incidents: [...r.incidents.filter((i) => i.id !== record.id), record] }));
    await this.redIfConfirmedComplaint(actor, record);
    return updated;
  }

  async setIncidentOutcome(actor: Actor, merchantId: string, incidentId: string, outcome: IncidentRecord['outcome']) {
    if (actor.role !== 'certifier') throw new ForbiddenException('投诉处理结果由评定中心登记');
    let changed: IncidentRecord | undefined;
    const updated = await this.updateRecords(merchantId, (r) => {
      const found = r.incidents.find((i) => i.id === incidentId);
      if (!found) throw new NotFoundException(`投诉或事故 ${incidentId} 不存在`);
      changed = { ...found, outcome };
      return { ...r, incidents: r.incidents.map((i) => (i.id === incidentId ? (changed as IncidentRecord) : i)) };
    });
    if (changed) await this.redIfConfirmedComplaint(actor, changed);
    return updated;
  }

  /** A confirmed major complaint about a product is a red warning for it (seed 001 处罚机制). */
  private async redIfConfirmedComplaint(actor: Actor, incident: IncidentRecord): Promise<void> {
    if (!incident.productId || incident.severity !== 'major' || incident.outcome !== 'confirmed') return;
    const live = await this.stores.certificates.find({ productId: incident.productId, status: { $in: ['active', 'inspection_due', 'yellow_warning', 'suspended'] } });
    if (live.length === 0) return;
    await this.certificates.raiseRedWarningForProduct(actor, incident.productId, {
      reason: `投诉经核实：${incident.kind === 'safety_incident' ? '安全责任事故' : '重要投诉'}（${incident.id}）`,
      source: 'confirmed_complaint',
      complaintId: incident.id,
    });
  }

  // ---- GI registrations ----

  async registerGi(actor: Actor, registration: GiRegistration): Promise<GiRegistration> {
    if (actor.role !== 'certifier') throw new ForbiddenException('地理标志登记由评定中心核验后录入');
    const valid = unwrap(validateGiRegistration(registration));
    await this.stores.saveGiRegistration(valid);
    return valid;
  }

  listGi(): Promise<GiRegistration[]> {
    return this.stores.giRegistrationList();
  }

  // ---- recorded certificates ----

  async recordExternal(actor: Actor, productId: string, input: { kind: ExternalKind; issuer: string; number: string; validFrom: Date; validUntil: Date }) {
    if (actor.role !== 'certifier') throw new ForbiddenException('外部认证由评定中心核验后登记');
    const product = await this.requireProduct(productId);
    const valid = unwrap(validateExternalCertificate(input));
    return this.insertRecorded(actor, product, { mark: valid.kind, number: valid.number, issuer: valid.issuer, origin: 'external', validFrom: valid.validFrom, validUntil: valid.validUntil });
  }

  async recordGiAuthorisation(actor: Actor, productId: string, input: { registrationNumber: string; authorisationNumber: string; validFrom: Date; validUntil: Date }) {
    if (actor.role !== 'certifier') throw new ForbiddenException('地理标志用标授权由评定中心核验后登记');
    const product = await this.requireProduct(productId);
    const registration = (await this.stores.giRegistration(input.registrationNumber)) ?? undefined;
    const valid = unwrap(validateGiAuthorisation(input, registration, product.origin?.town, product.origin?.inKaiping ?? false));
    return this.insertRecorded(actor, product, {
      mark: 'gi',
      number: valid.authorisationNumber,
      issuer: registration?.registrant ?? '',
      origin: 'gi_authorisation',
      validFrom: valid.validFrom,
      validUntil: valid.validUntil,
    });
  }

  private async insertRecorded(
    actor: Actor,
    product: ProductRecord,
    input: { mark: StoredCertificate['mark']; number: string; issuer: string; origin: 'gi_authorisation' | 'external'; validFrom: Date; validUntil: Date },
  ): Promise<StoredCertificate> {
    const now = this.clock.now();
    const certificate = unwrap(recordedCertificate({ id: randomUUID(), productId: product.id, merchantId: product.merchantId, ...input }, now, actor));
    await this.stores.transaction((session) => this.certificates.insertInTransaction(certificate, `certificate.recorded.${input.mark}`, now, session));
    await this.afterCommit.certificateChanged(certificate);
    return certificate;
  }

  private async requireProduct(productId: string): Promise<ProductRecord> {
    const product = await this.stores.product(productId);
    if (!product) throw new NotFoundException(`产品 ${productId} 未登记`);
    return product;
  }

  private requireOwnerOrCertifier(actor: Actor, merchantId: string): void {
    if (actor.role === 'inspector' || !canAccessMerchantRecord(actor, merchantId)) throw new ForbiddenException('只能维护本企业的资料');
  }

  private async updateRecords(merchantId: string, change: (records: StoredMerchantRecords) => StoredMerchantRecords): Promise<StoredMerchantRecords> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await this.stores.records.get(merchantId);
      const next = change(stored?.value ?? emptyRecords(merchantId));
      try {
        if (stored) await this.stores.records.replace(next, stored.version);
        else await this.stores.records.insert(next);
        return next;
      } catch (error) {
        // Two uploads at once: re-read and re-apply (the changes are additive).
        if (!(error instanceof ConcurrentModificationError) && !isDuplicateKey(error)) throw error;
      }
    }
    throw new ConcurrentModificationError('merchant_records', merchantId);
  }
}

function emptyRecords(merchantId: string): StoredMerchantRecords {
  return { id: merchantId, evidence: [], incidents: [], insurancePolicies: [] };
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}
