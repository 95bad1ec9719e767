/**
 * Certification's states as the whole system names them: wire codes and the Chinese words people read
 * (seed 001 says 黄色警示 / 红色警示). Plain constants, no imports: the web front end uses them too.
 */
export const CERTIFICATE_STATUSES = [
  'active',
  'inspection_due',
  'yellow_warning',
  'suspended',
  'red_warning',
  'revoked',
  'expired',
] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const CERTIFICATE_STATUS_NAMES_ZH: Record<CertificateStatus, string> = {
  active: '有效',
  inspection_due: '待年检',
  yellow_warning: '黄色警示',
  suspended: '已暂停',
  red_warning: '红色警示',
  revoked: '已撤销',
  expired: '已过期',
};

export const APPLICATION_STATUSES = [
  'submitted',
  'needs_more_evidence',
  'evidence_accepted',
  'sample_requested',
  'sample_mailed',
  'sample_received',
  'review_scheduled',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const APPLICATION_STATUS_NAMES_ZH: Record<ApplicationStatus, string> = {
  submitted: '已提交',
  needs_more_evidence: '待补充材料',
  evidence_accepted: '材料审核通过',
  sample_requested: '待寄样',
  sample_mailed: '样品已寄出',
  sample_received: '样品已签收',
  review_scheduled: '评审已安排',
  approved: '评定通过',
  rejected: '未通过',
  withdrawn: '已撤回',
};

export const TERMINAL_APPLICATION_STATUSES: readonly ApplicationStatus[] = ['approved', 'rejected', 'withdrawn'];
