/** Chinese names of certification's states and marks, shared by the merchant and certifier consoles. */
export const APPLICATION_STATUS_ZH: Record<string, string> = {
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

export const MARK_ZH: Record<string, string> = {
  otop: '一乡一品星级',
  gi: '地理标志',
  kaiping: '开平优品',
  magang: '马冈优品',
  dasha: '大沙优品',
  tangkou: '塘口优品',
  xiangang: '蚬冈优品',
  chishui: '赤水优品',
  jinji: '金鸡优品',
  green: '绿色食品',
  organic: '有机产品',
  haccp: 'HACCP',
};

/** A certificate's mark as people say it: 一乡一品 with its stars, or the brand's name. */
export function markLabel(certificate: { mark: string; level?: number }): string {
  if (certificate.mark === 'otop') return `一乡一品 ${'★'.repeat(certificate.level ?? 0)}`;
  return MARK_ZH[certificate.mark] ?? certificate.mark;
}
