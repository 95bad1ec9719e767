/**
 * After-sales (seed 004: 售后、消费维权): returns and exchanges decided by the merchant or the operator,
 * consumer complaints and 假一赔廿 claims decided by the operator (the brand's operating company).
 * A state machine as data: every illegal decision throws with a Chinese reason.
 */
export const CASE_KINDS = ['return', 'exchange', 'complaint', 'fake_claim'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CASE_KIND_ZH: Record<CaseKind, string> = { return: '退货退款', exchange: '换货', complaint: '消费投诉', fake_claim: '假一赔廿索赔' };

export const CASE_STATUSES = ['submitted', 'approved', 'rejected', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_ZH: Record<CaseStatus, string> = { submitted: '待处理', approved: '已同意', rejected: '已驳回', resolved: '已完成' };

export const RETURN_REASONS = ['quality', 'damaged', 'wrong_item', 'not_as_described', 'temperature', 'changed_mind', 'other'] as const;
export const RETURN_REASON_ZH: Record<(typeof RETURN_REASONS)[number], string> = {
  quality: '质量问题',
  damaged: '运输破损',
  wrong_item: '发错货',
  not_as_described: '与描述不符',
  temperature: '冷链温度异常',
  changed_mind: '不想要了',
  other: '其他',
};

export const COMPLAINT_KINDS = ['quality', 'safety', 'fake', 'service'] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

export type Decider = 'merchant' | 'operator';

export class CaseError extends Error {
  constructor(
    readonly code: 'not_allowed' | 'already_decided' | 'not_delivered' | 'window_closed',
    message: string,
  ) {
    super(message);
  }
}

/** Who may decide a case: the merchant for returns/exchanges of its goods; complaints and fake claims only the operator. */
export function mayDecide(kind: CaseKind, decider: Decider): boolean {
  return decider === 'operator' || kind === 'return' || kind === 'exchange';
}

export function decide(kind: CaseKind, status: CaseStatus, decider: Decider, approve: boolean): CaseStatus {
  if (!mayDecide(kind, decider)) throw new CaseError('not_allowed', '投诉与假一赔廿索赔只能由品牌运营机构裁定');
  if (status !== 'submitted') throw new CaseError('already_decided', '该申请已处理');
  if (!approve) return 'rejected';
  // A return is settled by its refund, a complaint or claim by its confirmation; an exchange waits for the new goods.
  return kind === 'exchange' ? 'approved' : 'resolved';
}

/** Returns and exchanges within 7 days of delivery (七天无理由 for changed_mind; quality issues 15 days). */
export function returnWindowOpen(deliveredAt: Date | undefined, now: Date, reason: (typeof RETURN_REASONS)[number]): boolean {
  if (!deliveredAt) return false;
  const days = reason === 'changed_mind' ? 7 : 15;
  return now.getTime() - deliveredAt.getTime() <= days * 24 * 3600_000;
}

/** A confirmed quality/safety/fake complaint is major when it concerns safety or a fake (star criteria). */
export function complaintSeverity(kind: ComplaintKind): 'major' | 'minor' {
  return kind === 'safety' || kind === 'fake' ? 'major' : 'minor';
}
