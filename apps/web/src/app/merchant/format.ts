/** Money in the merchant console: people type and read 元, the services take integer 分. */

/** "268" / "268.5" / "268.50" / "¥1,268.00" → 分, exactly (no floating point); undefined if it is not an amount. */
export function yuanToFen(input: string | number): number | undefined {
  const text = String(input).trim().replace(/^¥/, '').replace(/,/g, '');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 分 → "268.00" (for form fields; the ¥ sign is the field's prefix). */
export function fenToYuanText(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
}

/** Days until a deadline, as a person reads it ("还剩 3 天", "今天到期", "已逾期 2 天"). */
export function deadlineText(iso: string, now: Date = new Date()): string {
  const days = Math.ceil((new Date(iso).getTime() - now.getTime()) / 86_400_000);
  if (Number.isNaN(days)) return '—';
  if (days > 0) return `还剩 ${days} 天`;
  if (days === 0) return '今天到期';
  return `已逾期 ${-days} 天`;
}

/** OTOP evidence the merchant files per star level (certification's OTOP_CRITERIA: licence and standards from 1★; photos, risk-control and traceability documents from 2★). */
export const EVIDENCE_FOR_LEVEL: Record<1 | 2 | 3 | 4 | 5, { kind: string; label: string }[]> = {
  1: [
    { kind: 'business_licence', label: '营业执照' },
    { kind: 'national_standard_certificates', label: '符合国家标准的生产、加工、储存、运输和销售证书' },
  ],
  2: [],
  3: [],
  4: [],
  5: [],
};
for (const level of [2, 3, 4, 5] as const) {
  EVIDENCE_FOR_LEVEL[level] = [
    ...EVIDENCE_FOR_LEVEL[1],
    { kind: 'safe_production_photos', label: '安全生产环境照片' },
    { kind: 'risk_control_documents', label: '风控管理制度资料' },
    { kind: 'traceability_description', label: '溯源机制说明' },
  ];
}

export const WARNING_SOURCE_ZH: Record<string, string> = {
  annual_inspection_failed: '年检未通过',
  inspection_overdue: '年检逾期',
  quality_risk: '质量风险',
  confirmed_complaint: '投诉属实',
};
