import {
  evaluatePurchasable,
  PURCHASE_MARKS,
  MARK_NAMES_ZH,
  type CertificateSnapshot,
  type Mark,
  type NotPurchasableReason,
  type ProductStatusChangedV1,
} from '@techan/common';
import { evaluateInHall, type BrandHall } from './halls';

/**
 * The catalogue's local projection of certification status (DESIGN §3): one record per product, holding
 * the newest event's full certificate set. Events carry the whole set, so the newest event alone is the
 * state; older or repeated events are ignored, which makes the projection idempotent, reorder-safe and
 * rebuildable by replaying the stream in any order.
 */
export interface CertificationState {
  productId: string;
  merchantId: string;
  version: number;
  certificates: CertificateSnapshot[];
  changedAt: string;
}

export function applyStatusEvent(
  current: CertificationState | undefined,
  event: ProductStatusChangedV1,
): { applied: boolean; state: CertificationState } {
  if (current && current.productId !== event.productId) {
    throw new Error(`event for ${event.productId} applied to ${current.productId}`);
  }
  if (current && event.version <= current.version) return { applied: false, state: current };
  return {
    applied: true,
    state: {
      productId: event.productId,
      merchantId: event.merchantId,
      version: event.version,
      certificates: event.certificates,
      changedAt: event.changedAt,
    },
  };
}

/** Folds a stream (any order, with duplicates) into the per-product states. */
export function replayStatusEvents(events: Iterable<ProductStatusChangedV1>): Map<string, CertificationState> {
  const states = new Map<string, CertificationState>();
  for (const e of events) states.set(e.productId, applyStatusEvent(states.get(e.productId), e).state);
  return states;
}

/**
 * What is stored on a listed product so the database can pre-filter by time: the sale windows of
 * its sellable certificates of purchase-granting marks, and whether anything is under a red warning.
 * `purchasableAt` over these fields equals `evaluatePurchasable` over the certificates (tested).
 */
export interface SaleWindow {
  mark: Mark;
  level?: number;
  from: Date;
  until: Date;
}
export interface ListingCertFields {
  redWarning: boolean;
  saleWindows: SaleWindow[];
}

const SELLABLE_STATUSES = new Set(['active', 'inspection_due', 'yellow_warning']);

export function listingCertFields(certificates: readonly CertificateSnapshot[]): ListingCertFields {
  return {
    redWarning: certificates.some((c) => c.status === 'red_warning'),
    saleWindows: certificates
      .filter((c) => SELLABLE_STATUSES.has(c.status) && PURCHASE_MARKS.includes(c.mark))
      .map((c) => ({
        mark: c.mark,
        ...(c.level !== undefined ? { level: c.level } : {}),
        from: new Date(c.validFrom),
        until: new Date(c.validUntil),
      })),
  };
}

export function windowOpen(w: SaleWindow, now: Date): boolean {
  return w.from.getTime() <= now.getTime() && now.getTime() < w.until.getTime();
}

export function purchasableAt(fields: ListingCertFields, now: Date): boolean {
  return !fields.redWarning && fields.saleWindows.some((w) => windowOpen(w, now));
}

/** The highest OTOP star level currently in force, for the star-level sort and badge. */
export function currentStarLevel(certificates: readonly CertificateSnapshot[], now: Date): number {
  const t = now.getTime();
  return certificates
    .filter(
      (c) =>
        c.mark === 'otop' &&
        SELLABLE_STATUSES.has(c.status) &&
        Date.parse(c.validFrom) <= t &&
        t < Date.parse(c.validUntil),
    )
    .reduce((max, c) => Math.max(max, c.level ?? 0), 0);
}

/**
 * The latest instant up to which the product stays purchasable if nothing else happens: the end of the
 * longest currently-open sale window. A reservation never outlives it. Undefined when not purchasable.
 */
export function purchasableUntil(certificates: readonly CertificateSnapshot[], now: Date): Date | undefined {
  if (!evaluatePurchasable(certificates, now).purchasable) return undefined;
  const open = listingCertFields(certificates).saleWindows.filter((w) => windowOpen(w, now));
  return new Date(Math.max(...open.map((w) => w.until.getTime())));
}

export type MerchantStatus = 'pending' | 'approved' | 'rejected' | 'suspended';

export type UnavailableReason = NotPurchasableReason | 'merchant_not_approved' | 'delisted' | 'not_certified_yet';

export interface Availability {
  buyable: boolean;
  reason?: UnavailableReason;
  /** Shown on the product page instead of the buy button (zh-CN). */
  messageZh?: string;
  /** A notice that does not block buying, e.g. a yellow warning. */
  noticeZh?: string;
  /** When the product stops being buyable unless certificates are renewed. */
  buyableUntil?: string;
}

/** 2026-11-23T16:00:00Z → 2026年11月24日 (China Standard Time, UTC+8, no daylight saving). */
export function formatDateZh(iso: string | Date): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

function latest(certs: readonly CertificateSnapshot[], pick: (c: CertificateSnapshot) => boolean): CertificateSnapshot | undefined {
  return certs.filter(pick).sort((a, b) => Date.parse(b.validUntil) - Date.parse(a.validUntil))[0];
}

function reasonMessageZh(reason: UnavailableReason, certs: readonly CertificateSnapshot[], now: Date): string {
  const named = (c?: CertificateSnapshot) => (c ? `“${MARK_NAMES_ZH[c.mark]}”` : '');
  switch (reason) {
    case 'red_warning': {
      const c = certs.find((x) => x.status === 'red_warning');
      return `该产品${named(c)}认证因质量风险被亮红色警示，已停止销售，请勿购买或食用已购同批次产品。`;
    }
    case 'suspended':
      return `该产品${named(latest(certs, (c) => c.status === 'suspended'))}认证已被暂停，暂停销售。`;
    case 'revoked':
      return `该产品${named(latest(certs, (c) => c.status === 'revoked'))}认证已被撤销，不可购买。`;
    case 'expired': {
      const c = latest(certs, (x) => x.status === 'expired' || Date.parse(x.validUntil) <= now.getTime());
      return c
        ? `该产品${named(c)}认证已于${formatDateZh(c.validUntil)}到期，续证前暂停销售。`
        : '该产品认证已到期，续证前暂停销售。';
    }
    case 'not_yet_valid': {
      const c = certs
        .filter((x) => Date.parse(x.validFrom) > now.getTime())
        .sort((a, b) => Date.parse(a.validFrom) - Date.parse(b.validFrom))[0];
      return c ? `该产品认证将于${formatDateZh(c.validFrom)}生效，生效后开售。` : '该产品认证尚未生效。';
    }
    case 'not_accepted':
      return '该产品持有的认证不在本馆认可范围内，暂不可购买。';
    case 'no_certificate':
    case 'not_certified_yet':
      return '该产品尚未取得认证，暂不可购买。';
    case 'merchant_not_approved':
      return '商家资质审核未通过或正在审核中，暂不可购买。';
    case 'delisted':
      return '该产品已下架。';
  }
}

/**
 * Whether the product can be bought right now, and if not, why (zh-CN). Evaluated at request time from
 * the certificate snapshots, so an expiry takes effect at validUntil even before any event says so.
 */
export function evaluateAvailability(input: {
  certification?: CertificationState;
  merchantStatus: MerchantStatus;
  listed: boolean;
  now: Date;
  hall?: BrandHall;
}): Availability {
  const { certification, merchantStatus, listed, now, hall } = input;
  const deny = (reason: UnavailableReason): Availability => ({
    buyable: false,
    reason,
    messageZh: reasonMessageZh(reason, certification?.certificates ?? [], now),
  });
  if (!listed) return deny('delisted');
  if (merchantStatus !== 'approved') return deny('merchant_not_approved');
  if (!certification) return deny('not_certified_yet');
  const certs = certification.certificates;
  const verdict = hall ? evaluateInHall(hall, certs, now) : evaluatePurchasable(certs, now);
  if (!verdict.purchasable) return deny(verdict.reason ?? 'no_certificate');
  const until = purchasableUntil(certs, now);
  const yellow = certs.find(
    (c) => c.status === 'yellow_warning' && Date.parse(c.validFrom) <= now.getTime() && now.getTime() < Date.parse(c.validUntil),
  );
  return {
    buyable: true,
    ...(until ? { buyableUntil: until.toISOString() } : {}),
    ...(yellow
      ? { noticeZh: `该产品${`“${MARK_NAMES_ZH[yellow.mark]}”`}认证年检未通过，处于黄色警示整改期，整改期满未通过将停止销售。` }
      : {}),
  };
}
