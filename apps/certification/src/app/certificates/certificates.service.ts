import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { ClientSession } from 'mongoose';
import type { Actor, Certificate, CertificateCommand, Clock, TimedTransitionType } from '../../domain';
import {
  applyCertificateCommand,
  applyDueTransitions,
  canAccessMerchantRecord,
  generateTraceCode,
  unwrap,
} from '../../domain';
import { merchantScope } from '../http/current-actor';
import { Stores } from '../persistence/stores';
import type { StoredCertificate, TraceCodeRecord } from '../persistence/stores';
import { ConcurrentModificationError } from '../persistence/versioned-store';
import { StatusPublisher } from '../status/status-publisher';
import { CLOCK } from '../tokens';
import { AfterCommit } from './after-commit';

/** Statuses from which a red warning can be raised. */
const RED_CAPABLE = ['active', 'inspection_due', 'yellow_warning', 'suspended'];

/** Certificate lifecycle operations: warnings, inspections, re-tests, revocation, timers. */
@Injectable()
export class CertificatesService {
  private readonly logger = new Logger(CertificatesService.name);

  constructor(
    private readonly stores: Stores,
    private readonly publisher: StatusPublisher,
    private readonly afterCommit: AfterCommit,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(actor: Actor, certificateId: string): Promise<StoredCertificate> {
    const stored = await this.stores.certificates.get(certificateId);
    // A merchant asking for another enterprise's certificate learns nothing, not even that it exists.
    if (!stored || !canAccessMerchantRecord(actor, stored.value.merchantId)) throw new NotFoundException(`证书 ${certificateId} 不存在`);
    return stored.value;
  }

  async list(actor: Actor, filter: { productId?: string; merchantId?: string; status?: string }): Promise<StoredCertificate[]> {
    const query: Record<string, unknown> = {};
    if (filter.productId) query['productId'] = filter.productId;
    if (filter.status) query['status'] = filter.status;
    Object.assign(query, merchantScope(actor, filter.merchantId));
    const found = await this.stores.certificates.find(query, { sort: { validFrom: -1 }, limit: 500 });
    return found.map((f) => f.value);
  }

  /** Apply a human command. Time-driven transitions due by now are applied first, so the command sees the present. */
  async command(actor: Actor, certificateId: string, command: CertificateCommand): Promise<StoredCertificate> {
    const now = this.clock.now();
    const updated = await this.stores.transaction(async (session) => {
      const stored = await this.stores.certificates.get(certificateId, session);
      if (!stored || !canAccessMerchantRecord(actor, stored.value.merchantId)) throw new NotFoundException(`证书 ${certificateId} 不存在`);
      const current = applyDueTransitions(stored.value, now).certificate;
      const next = unwrap(applyCertificateCommand(current, command, actor, now));
      await this.stores.certificates.replace(next, stored.version, session);
      await this.publisher.publish(next.productId, `certificate.${command.type}`, now, session);
      return next;
    });
    await this.afterCommit.certificateChanged(updated);
    return updated;
  }

  /**
   * A quality risk or a confirmed complaint concerns the product: every live certificate of it goes
   * under a red warning in one transaction, and one status event says it is no longer purchasable.
   */
  async raiseRedWarningForProduct(
    actor: Actor,
    productId: string,
    warning: { reason: string; source: 'quality_risk' | 'confirmed_complaint'; complaintId?: string },
  ): Promise<StoredCertificate[]> {
    const now = this.clock.now();
    const changed = await this.stores.transaction(async (session) => {
      const all = await this.stores.certificates.find({ productId, status: { $in: RED_CAPABLE } }, { session });
      if (all.length === 0) throw new NotFoundException(`产品 ${productId} 没有可警示的有效证书`);
      const updated: StoredCertificate[] = [];
      for (const stored of all) {
        const current = applyDueTransitions(stored.value, now).certificate;
        if (!RED_CAPABLE.includes(current.status)) continue; // expired meanwhile
        const next = unwrap(applyCertificateCommand(current, { type: 'raise_quality_risk', ...warning }, actor, now));
        await this.stores.certificates.replace(next, stored.version, session);
        updated.push(next);
      }
      await this.publisher.publish(productId, 'certificate.raise_quality_risk', now, session);
      return updated;
    });
    await Promise.all(changed.map((c) => this.afterCommit.certificateChanged(c)));
    return changed;
  }

  /**
   * Apply the time-driven transitions due at `now` (from a delayed job or the sweeper). Idempotent:
   * nothing due means no write and no event; a concurrent writer means we leave it to them.
   */
  async applyDue(certificateId: string, now: Date = this.clock.now()): Promise<TimedTransitionType[]> {
    let applied: TimedTransitionType[] = [];
    let changed: Certificate | null = null;
    try {
      changed = await this.stores.transaction(async (session) => {
        const stored = await this.stores.certificates.get(certificateId, session);
        if (!stored) return null;
        const result = applyDueTransitions(stored.value, now);
        applied = result.applied.map((a) => a.type);
        if (applied.length === 0) return null;
        await this.stores.certificates.replace(result.certificate, stored.version, session);
        await this.publisher.publish(result.certificate.productId, `timer.${applied.join('+')}`, now, session);
        return result.certificate;
      });
    } catch (error) {
      if (error instanceof ConcurrentModificationError) {
        // The other writer brought the certificate up to date itself, or the sweeper will retry.
        this.logger.warn(`timer for ${certificateId} lost a race; will be retried by the sweeper`);
        return [];
      }
      throw error;
    }
    if (changed) await this.afterCommit.certificateChanged(changed);
    return changed ? applied : [];
  }

  /** Certificates whose next time-driven transition is due at `now` (the sweeper's work list). */
  async dueCertificateIds(now: Date, limit = 500): Promise<string[]> {
    const due = await this.stores.certificates.find({ nextDueAt: { $lte: now } }, { sort: { nextDueAt: 1 }, limit });
    return due.map((d) => d.value.id);
  }

  /** Insert a new certificate and publish the product's status (used by issuing and by recording). */
  async insertInTransaction(certificate: Certificate, reason: string, at: Date, session: ClientSession): Promise<void> {
    await this.stores.certificates.insert(certificate, session);
    await this.publisher.publish(certificate.productId, reason, at, session);
  }

  /** The product's trace code for `lot` (or the product itself), created on first use. */
  async ensureTraceCode(productId: string, merchantId: string, gtin: string | undefined, lot: string | undefined, session?: ClientSession): Promise<TraceCodeRecord> {
    const existing = await this.stores.traceCodeFor(productId, lot, session);
    if (existing) return existing;
    const record: TraceCodeRecord = { code: generateTraceCode(), productId, merchantId, gtin, lot, createdAt: this.clock.now() };
    await this.stores.insertTraceCode(record, session);
    return record;
  }
}
