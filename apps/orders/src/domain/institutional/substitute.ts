import { evaluatePurchasable, COUNTY_MARK, MARK_NAMES_ZH, PURCHASE_MARKS, TOWN_MARKS, type CertificateSnapshot, type Mark } from '@techan/common';
import type { CatalogueItem } from '../orderable';

/**
 * The equal-or-better substitute rule (DESIGN §3): a contract line whose product cannot be bought on the
 * delivery date may only be replaced by a product that is purchasable on that date, of the same
 * category and temperature class, at a SKU price ≤ the contract price, and at least as well certified:
 * for every mark family the original held, the candidate holds a currently valid certificate of that
 * family, with OTOP stars ≥ the original's and, for regional brands, the county mark where the
 * original had it (the county standard is ≥ the town standard).
 */
export type MarkFamily = 'otop' | 'gi' | 'regional';

export function familyOf(mark: Mark): MarkFamily | null {
  if (mark === 'otop' || mark === 'gi') return mark;
  if (mark === COUNTY_MARK || (TOWN_MARKS as readonly string[]).includes(mark)) return 'regional';
  return null;
}

const VALID = new Set(['active', 'inspection_due', 'yellow_warning']);

function validAt(c: CertificateSnapshot, at: Date): boolean {
  const t = at.getTime();
  return VALID.has(c.status) && Date.parse(c.validFrom) <= t && t < Date.parse(c.validUntil);
}

/** What a product's certificates promise, family by family (the original's whatever their status now). */
export interface CertificationStanding {
  families: Set<MarkFamily>;
  otopStars: number;
  county: boolean;
}

export function standingOf(certs: readonly CertificateSnapshot[], at?: Date): CertificationStanding {
  const use = at ? certs.filter((c) => validAt(c, at)) : certs;
  const families = new Set<MarkFamily>();
  let otopStars = 0;
  let county = false;
  for (const c of use) {
    const f = familyOf(c.mark);
    if (!f) continue;
    families.add(f);
    if (c.mark === 'otop') otopStars = Math.max(otopStars, c.level ?? 1);
    if (c.mark === COUNTY_MARK) county = true;
  }
  return { families, otopStars, county };
}

/** Is `candidate` (valid certificates at `at`) equally or better certified than `original`? */
export function equalOrBetter(original: CertificationStanding, candidate: CertificationStanding): boolean {
  if (original.families.size === 0) return false;
  for (const f of original.families) if (!candidate.families.has(f)) return false;
  if (candidate.otopStars < original.otopStars) return false;
  if (original.county && !candidate.county) return false;
  return true;
}

export interface SubstituteOffer {
  productId: string;
  skuId: string;
  nameZh: string;
  specZh: string;
  unitPriceFen: number;
  /** What the buyer is shown before approving: the substitute's certification and the original's. */
  certificationZh?: string;
  originalCertificationZh?: string;
}

/** The purchase marks of certificates in words (e.g. "一乡一品星级 4★、开平优品"); only those valid at `at` when given. */
export function certificationZh(certs: readonly CertificateSnapshot[], at?: Date): string {
  const use = (at ? certs.filter((c) => validAt(c, at)) : certs).filter((c) => PURCHASE_MARKS.includes(c.mark));
  const names = [...new Set(use.map((c) => (c.mark === 'otop' ? `${MARK_NAMES_ZH.otop} ${c.level ?? 1}★` : MARK_NAMES_ZH[c.mark])))];
  return names.length ? names.join('、') : '无有效认证';
}

/**
 * The best substitute for one line, or null. Candidates are ranked by certification (more stars, more
 * families) and then by price closest to (never above) the contract price.
 */
export function findSubstitute(
  original: CatalogueItem,
  line: { skuId: string; unitPriceFen: number },
  candidates: readonly CatalogueItem[],
  at: Date,
): SubstituteOffer | null {
  const originalStanding = standingOf(original.certificates);
  const originalSku = original.skus.find((s) => s.skuId === line.skuId);
  let best: { offer: SubstituteOffer; score: number[] } | null = null;
  for (const c of candidates) {
    if (c.productId === original.productId || c.listed === false) continue;
    if (!original.categoryId || c.categoryId !== original.categoryId) continue;
    if (!original.temperatureClass || c.temperatureClass !== original.temperatureClass) continue;
    if (!evaluatePurchasable(c.certificates, at).purchasable) continue;
    const standing = standingOf(c.certificates, at);
    if (!equalOrBetter(originalStanding, standing)) continue;
    for (const sku of c.skus) {
      if (sku.priceFen > line.unitPriceFen) continue;
      if (originalSku?.netContent && sku.netContent && originalSku.netContent.unit === sku.netContent.unit && sku.netContent.value < originalSku.netContent.value) continue;
      const score = [standing.otopStars, standing.families.size, sku.priceFen];
      if (!best || compare(score, best.score) > 0) {
        const offer = { productId: c.productId, skuId: sku.skuId, nameZh: c.nameZh, specZh: sku.specZh, unitPriceFen: sku.priceFen, certificationZh: certificationZh(c.certificates, at), originalCertificationZh: certificationZh(original.certificates) };
        best = { offer, score };
      }
    }
  }
  return best?.offer ?? null;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
