/** Labels for the certifier and merchant consoles: the words come from the shared vocabulary (libs/common), the colours are the consoles'. */
import type { CertificateStatus } from '@techan/common/vocabulary';
import {
  APPLICATION_STATUSES,
  APPLICATION_STATUS_NAMES_ZH,
  CERTIFICATE_STATUS_NAMES_ZH,
  MARK_NAMES_ZH,
  QUALITY_TIER_ZH,
  TERMINAL_APPLICATION_STATUSES,
  markLabel,
} from '@techan/common/vocabulary';

export { markLabel };
export const APPLICATION_STATUS_ZH: Record<string, string> = APPLICATION_STATUS_NAMES_ZH;

export const OPEN_APPLICATION_STATUSES: string[] = APPLICATION_STATUSES.filter((s) => !TERMINAL_APPLICATION_STATUSES.includes(s));

const CERTIFICATE_STATUS_COLOUR: Record<CertificateStatus, string> = {
  active: 'success',
  inspection_due: 'processing',
  yellow_warning: 'warning',
  red_warning: 'error',
  suspended: 'default',
  revoked: 'default',
  expired: 'default',
};
export const CERTIFICATE_STATUS_ZH: Record<string, { text: string; color: string }> = Object.fromEntries(
  Object.entries(CERTIFICATE_STATUS_NAMES_ZH).map(([status, text]) => [status, { text, color: CERTIFICATE_STATUS_COLOUR[status as CertificateStatus] }]),
);


export function targetLabel(target: { scheme: string; level?: number; mark?: string; tier?: string }): string {
  if (target.scheme === 'otop') return `一乡一品 ${'★'.repeat(target.level ?? 0)}`;
  const tier = (QUALITY_TIER_ZH as Record<string, string>)[target.tier ?? ''] ?? target.tier;
  return `${(MARK_NAMES_ZH as Record<string, string>)[target.mark ?? ''] ?? target.mark} · ${tier}`;
}


export function dateTime(value: string | undefined): string {
  return value ? new Date(value).toLocaleString('zh-CN', { hour12: false }) : '—';
}

export function dateOnly(value: string | undefined): string {
  return value ? new Date(value).toLocaleDateString('zh-CN') : '—';
}
