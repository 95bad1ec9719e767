import { TransitionRefused } from './transitions';

/**
 * A hold keeps one shipment line from being handed over. An excursion hold is a closed exception:
 * held → released (QA found the goods fine: they go on) or rejected (they will not be delivered;
 * orders refunds or replaces them). A recall hold is rejected at once: a product certification
 * blocked may not reach the customer whatever QA thinks.
 */
export const HOLD_STATUSES = ['held', 'released', 'rejected'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];
export type HoldCause = 'excursion' | 'recall';
export type QaDecision = 'release' | 'reject';

export const HOLD_STATUS_ZH: Record<HoldStatus, string> = { held: '已扣留，待质检', released: '质检放行', rejected: '拒收（退款或补发）' };

export interface HoldDecisionRecord {
  status: HoldStatus;
  decidedBy: string;
  reason: string;
  decidedAt: Date;
}

export function decideHold(
  hold: { status: HoldStatus; cause: HoldCause },
  decision: QaDecision,
  decidedBy: string,
  reason: string,
  at: Date,
): HoldDecisionRecord {
  if (hold.status !== 'held') {
    throw new TransitionRefused('HOLD_ALREADY_DECIDED', `该扣留已有质检结论（${HOLD_STATUS_ZH[hold.status]}），不能再次决定`);
  }
  if (hold.cause === 'recall' && decision === 'release') {
    throw new TransitionRefused('RECALL_CANNOT_BE_RELEASED', '召回的商品不能放行：认证机构已禁止该商品交付');
  }
  if (reason.trim().length === 0) throw new TransitionRefused('REASON_REQUIRED', '请填写质检结论的理由', 400);
  return { status: decision === 'release' ? 'released' : 'rejected', decidedBy, reason: reason.trim(), decidedAt: at };
}

/** Contract and hot-meal buyers get a replacement (their site still needs the goods); retail shoppers a refund. */
export function remedyFor(channel: string): 'refund' | 'replace' {
  return channel === 'retail' ? 'refund' : 'replace';
}
