import type { MerchantReview } from './inputs';
import type { MerchantStatus } from './listing';

/**
 * Merchant (enterprise) review: registered → pending; an operator approves or rejects with a reason;
 * a rejected enterprise may resubmit. The review target is two working days (seed 001).
 */
export class ReviewConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewConflictError';
  }
}

export interface MerchantReviewState {
  status: MerchantStatus;
  submittedAt: string;
  reviewedAt?: string;
  reviewedBy?: string;
  rejectionReason?: string;
}

export function submitForReview(now: Date): MerchantReviewState {
  return { status: 'pending', submittedAt: now.toISOString() };
}

export function applyReview(current: MerchantReviewState, review: MerchantReview, reviewerId: string, now: Date): MerchantReviewState {
  if (current.status !== 'pending') {
    throw new ReviewConflictError(`只能审核待审核的企业（当前状态：${MERCHANT_STATUS_ZH[current.status]}）`);
  }
  return review.decision === 'approve'
    ? { status: 'approved', submittedAt: current.submittedAt, reviewedAt: now.toISOString(), reviewedBy: reviewerId }
    : {
        status: 'rejected',
        submittedAt: current.submittedAt,
        reviewedAt: now.toISOString(),
        reviewedBy: reviewerId,
        rejectionReason: review.reason,
      };
}

export function resubmit(current: MerchantReviewState, now: Date): MerchantReviewState {
  if (current.status !== 'rejected') throw new ReviewConflictError('只有被驳回的企业可以重新提交审核');
  return submitForReview(now);
}

export const MERCHANT_STATUS_ZH: Record<MerchantStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '已驳回',
  suspended: '已暂停',
};

/**
 * When a review is due: two working days after submission, in China Standard Time, skipping
 * weekends (public holidays are not modelled). A submission on a weekend counts from Monday.
 */
export function reviewDueBy(submittedAt: Date, workingDays = 2): Date {
  const cst = new Date(submittedAt.getTime() + 8 * 3600_000);
  let added = 0;
  while (added < workingDays) {
    cst.setUTCDate(cst.getUTCDate() + 1);
    const dow = cst.getUTCDay();
    if (dow !== 0 && dow !== 6) added++;
  }
  return new Date(cst.getTime() - 8 * 3600_000);
}
