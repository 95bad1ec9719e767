/** Chinese names of certification's states (the service's own words, kept beside the pages that show them). */
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

export const OPEN_APPLICATION_STATUSES = ['submitted', 'needs_more_evidence', 'evidence_accepted', 'sample_requested', 'sample_mailed', 'sample_received', 'review_scheduled'];

export const CERTIFICATE_STATUS_ZH: Record<string, { text: string; color: string }> = {
  active: { text: '有效', color: 'success' },
  inspection_due: { text: '待年检', color: 'processing' },
  yellow_warning: { text: '黄色警示', color: 'warning' },
  red_warning: { text: '红色警示', color: 'error' },
  suspended: { text: '已暂停', color: 'default' },
  revoked: { text: '已撤销', color: 'default' },
  expired: { text: '已过期', color: 'default' },
};

const MARK_ZH: Record<string, string> = {
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

export function targetLabel(target: { scheme: string; level?: number; mark?: string; tier?: string }): string {
  if (target.scheme === 'otop') return `一乡一品 ${'★'.repeat(target.level ?? 0)}`;
  const tier = { premium: '高端', mid: '中端', mass: '大众' }[target.tier ?? ''] ?? target.tier;
  return `${MARK_ZH[target.mark ?? ''] ?? target.mark} · ${tier}`;
}

export function markLabel(certificate: { mark: string; level?: number }): string {
  if (certificate.mark === 'otop') return `一乡一品 ${'★'.repeat(certificate.level ?? 0)}`;
  return MARK_ZH[certificate.mark] ?? certificate.mark;
}

export function dateTime(value: string | undefined): string {
  return value ? new Date(value).toLocaleString('zh-CN', { hour12: false }) : '—';
}

export function dateOnly(value: string | undefined): string {
  return value ? new Date(value).toLocaleDateString('zh-CN') : '—';
}
