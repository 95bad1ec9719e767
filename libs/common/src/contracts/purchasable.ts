import type { CertificateSnapshot } from './certification.events';
import type { Mark } from './marks';
import { PURCHASE_MARKS } from './marks';

export type NotPurchasableReason =
  | 'no_certificate'
  | 'not_accepted'
  | 'not_yet_valid'
  | 'expired'
  | 'suspended'
  | 'revoked'
  | 'red_warning';

export interface PurchasableVerdict {
  purchasable: boolean;
  /** Why not, when not purchasable (the most serious reason found). */
  reason?: NotPurchasableReason;
}

const SELLABLE = new Set(['active', 'inspection_due', 'yellow_warning']);

/**
 * DESIGN.md §3, the rule that defines the product: purchasable at `now` iff at least one certificate
 * of an accepted mark is active or yellow-warned with validFrom ≤ now < validUntil, and no
 * certificate of the product is under a red (quality-risk) warning. Evaluated at request time by
 * every consumer, so a late expiry event cannot let an expired product through.
 */
export function evaluatePurchasable(
  certificates: readonly CertificateSnapshot[],
  now: Date,
  acceptedMarks: readonly Mark[] = PURCHASE_MARKS,
): PurchasableVerdict {
  if (certificates.some((c) => c.status === 'red_warning')) return { purchasable: false, reason: 'red_warning' };
  const accepted = certificates.filter((c) => acceptedMarks.includes(c.mark));
  if (accepted.length === 0) {
    return { purchasable: false, reason: certificates.length ? 'not_accepted' : 'no_certificate' };
  }
  const t = now.getTime();
  const ok = accepted.some(
    (c) => SELLABLE.has(c.status) && Date.parse(c.validFrom) <= t && t < Date.parse(c.validUntil),
  );
  if (ok) return { purchasable: true };
  // Pick the most telling reason among the accepted certificates.
  const order: NotPurchasableReason[] = ['revoked', 'suspended', 'expired', 'not_yet_valid'];
  const reasons = accepted.map((c): NotPurchasableReason => {
    if (c.status === 'revoked') return 'revoked';
    if (c.status === 'suspended') return 'suspended';
    if (c.status === 'expired' || t >= Date.parse(c.validUntil)) return 'expired';
    return 'not_yet_valid';
  });
  return { purchasable: false, reason: order.find((r) => reasons.includes(r)) ?? 'expired' };
}

/** What a shopper or buyer is told when a product cannot be bought (zh-CN first). */
export const NOT_PURCHASABLE_REASON_ZH: Record<NotPurchasableReason, string> = {
  no_certificate: '该产品尚未取得认证，暂不可购买',
  not_accepted: '该产品持有的认证不在本馆认可范围内，暂不可购买',
  not_yet_valid: '该产品的认证尚未生效，暂不可购买',
  expired: '该产品的认证已过期，暂不可购买',
  suspended: '该产品的认证已被暂停，暂不可购买',
  revoked: '该产品的认证已被撤销，不可购买',
  red_warning: '该产品因质量风险处于红色警示，暂停销售',
};
