/** Chinese labels for the certifier console (shared vocabulary in ../certification-vocabulary). */
import { APPLICATION_STATUS_ZH, MARK_ZH, markLabel } from '../certification-vocabulary';

export { APPLICATION_STATUS_ZH, markLabel };

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


export function targetLabel(target: { scheme: string; level?: number; mark?: string; tier?: string }): string {
  if (target.scheme === 'otop') return `一乡一品 ${'★'.repeat(target.level ?? 0)}`;
  const tier = { premium: '高端', mid: '中端', mass: '大众' }[target.tier ?? ''] ?? target.tier;
  return `${MARK_ZH[target.mark ?? ''] ?? target.mark} · ${tier}`;
}


export function dateTime(value: string | undefined): string {
  return value ? new Date(value).toLocaleString('zh-CN', { hour12: false }) : '—';
}

export function dateOnly(value: string | undefined): string {
  return value ? new Date(value).toLocaleDateString('zh-CN') : '—';
}
