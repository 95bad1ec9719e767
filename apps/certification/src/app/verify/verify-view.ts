import type { CertificateColour, CertificateStatus, Mark } from '@techan/common';
import { MARK_NAMES_ZH, PURCHASE_MARKS, evaluatePurchasable } from '@techan/common';
import type { Certificate, QualityTier } from '../../domain';
import type { ColdChainRecord } from '../delivery-trace/delivery-trace';
import { QUALITY_TIER_NAMES_ZH, certificateColour, toSnapshot } from '../../domain';

/**
 * What a scan shows: the product, its maker, every mark with stars, numbers and validity, the
 * colour, and a summary of inspections and warnings. Built from stored data without time-dependent
 * fields (`CachedVerifyRecord`, safe to cache), then coloured at request time (`VerifyView`), so a
 * cached record can never show an expired certificate as valid.
 */
export interface CachedVerifyRecord {
  product: { id: string; name: string; gtin?: string };
  merchant: { id: string; name?: string };
  certificates: {
    id: string;
    mark: Mark;
    level?: number;
    tier?: QualityTier;
    number?: string;
    issuer?: string;
    status: CertificateStatus;
    validFrom: string;
    validUntil: string;
    issuedAt: string;
  }[];
  inspections: { at: string; kind: 'annual' | 'retest'; passed: boolean }[];
  warnings: { colour: 'yellow' | 'red'; reason: string; raisedAt: string; clearedAt?: string }[];
}

export interface VerifyView {
  traceCode: string;
  lot?: string;
  checkedAt: string;
  colour: CertificateColour;
  purchasable: boolean;
  product: CachedVerifyRecord['product'];
  merchant: CachedVerifyRecord['merchant'];
  certificates: (CachedVerifyRecord['certificates'][number] & { markName: string; tierName?: string; colour: CertificateColour })[];
  inspectionSummary: {
    annualPassed: number;
    annualFailed: number;
    retests: number;
    lastInspection?: { at: string; kind: 'annual' | 'retest'; passed: boolean };
  };
  activeWarnings: { colour: 'yellow' | 'red'; reason: string; raisedAt: string }[];
  /** Temperatures of the product's latest deliveries (logistics' proof of delivery), newest first. */
  coldChain?: ColdChainRecord[];
}

export function toCachedRecord(
  product: { id: string; name: string; gtin?: string; merchantId: string; merchantName?: string },
  certificates: readonly Certificate[],
): CachedVerifyRecord {
  const sorted = [...certificates].sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime());
  return {
    product: { id: product.id, name: product.name, ...(product.gtin ? { gtin: product.gtin } : {}) },
    merchant: { id: product.merchantId, ...(product.merchantName ? { name: product.merchantName } : {}) },
    certificates: sorted.map((c) => ({
      id: c.id,
      mark: c.mark,
      ...(c.level ? { level: c.level } : {}),
      ...(c.tier ? { tier: c.tier } : {}),
      ...(c.number ? { number: c.number } : {}),
      ...(c.issuer ? { issuer: c.issuer } : {}),
      status: c.status,
      validFrom: c.validFrom.toISOString(),
      validUntil: c.validUntil.toISOString(),
      issuedAt: (c.history[0]?.at ?? c.validFrom).toISOString(),
    })),
    inspections: sorted
      .flatMap((c) => c.inspections.map((i) => ({ at: i.at.toISOString(), kind: i.kind, passed: i.passed })))
      .sort((a, b) => a.at.localeCompare(b.at)),
    warnings: sorted.flatMap((c) =>
      c.warnings.map((w) => ({
        colour: w.colour,
        reason: w.reason,
        raisedAt: w.raisedAt.toISOString(),
        ...(w.clearedAt ? { clearedAt: w.clearedAt.toISOString() } : {}),
      })),
    ),
  };
}

export function toVerifyView(record: CachedVerifyRecord, trace: { code: string; lot?: string }, now: Date): VerifyView {
  const certificates = record.certificates.map((c) => {
    const colour = certificateColour({ status: c.status, validUntil: new Date(c.validUntil) }, now);
    return { ...c, markName: MARK_NAMES_ZH[c.mark], ...(c.tier ? { tierName: QUALITY_TIER_NAMES_ZH[c.tier] } : {}), colour };
  });
  const snapshots = record.certificates.map((c) =>
    toSnapshot(
      { id: c.id, mark: c.mark, status: c.status, validFrom: new Date(c.validFrom), validUntil: new Date(c.validUntil) } as Certificate,
      now,
    ),
  );
  const purchasable = evaluatePurchasable(snapshots, now).purchasable;
  const accepted = certificates.filter((c) => PURCHASE_MARKS.includes(c.mark));
  const colour: CertificateColour = certificates.some((c) => c.colour === 'red')
    ? 'red'
    : accepted.some((c) => c.colour === 'green')
      ? 'green'
      : accepted.some((c) => c.colour === 'yellow')
        ? 'yellow'
        : 'grey';
  const annual = record.inspections.filter((i) => i.kind === 'annual');
  return {
    traceCode: trace.code,
    ...(trace.lot ? { lot: trace.lot } : {}),
    checkedAt: now.toISOString(),
    colour,
    purchasable,
    product: record.product,
    merchant: record.merchant,
    certificates,
    inspectionSummary: {
      annualPassed: annual.filter((i) => i.passed).length,
      annualFailed: annual.filter((i) => !i.passed).length,
      retests: record.inspections.length - annual.length,
      ...(record.inspections.length ? { lastInspection: record.inspections[record.inspections.length - 1] } : {}),
    },
    activeWarnings: record.warnings.filter((w) => !w.clearedAt).map(({ colour: c, reason, raisedAt }) => ({ colour: c, reason, raisedAt })),
  };
}
