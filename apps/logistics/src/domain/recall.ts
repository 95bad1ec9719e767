import { evaluatePurchasable, type CertificateSnapshot } from '@techan/common';

/**
 * The sixth point of certified-only (DESIGN §3): a red warning (quality risk), a suspension or a
 * revocation recalls the product — every undelivered item is held, even after payment and dispatch.
 * Expiry or a yellow warning blocks new sales elsewhere but does not pull goods off the road.
 */
const RECALL_REASONS = new Set(['red_warning', 'suspended', 'revoked']);

export function recallVerdict(certificates: readonly CertificateSnapshot[], now: Date): { recall: boolean; reason?: string } {
  const verdict = evaluatePurchasable(certificates, now);
  if (verdict.purchasable || !verdict.reason || !RECALL_REASONS.has(verdict.reason)) return { recall: false };
  return { recall: true, reason: verdict.reason };
}

export const RECALL_REASON_ZH: Record<string, string> = { red_warning: '质量风险红色警示', suspended: '认证暂停', revoked: '认证撤销' };
