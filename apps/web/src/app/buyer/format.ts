import type { BuyerRole, CallOffStatus, Contract, LineState, Schedule } from './types';

/** Money is integer fen; the portal shows 元 with two decimals. */
export const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;

const SHANGHAI_MS = 8 * 3600_000; // fixed UTC+8 (no DST since 1991), as the orders service computes dates

/** Today's date in Shanghai as YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return new Date(now.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday 1 (Monday) … 7 (Sunday) of a date. */
export function isoWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

/** The seven dates of the week (Monday first) holding `date`. */
export function weekOf(date: string): string[] {
  const monday = addDays(date, 1 - isoWeekday(date));
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

const WEEKDAYS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
export const weekdayZh = (iso: number): string => WEEKDAYS[iso] ?? '';

/** A Shanghai wall-clock time of an instant, e.g. "12月3日 16:00". */
export function shanghaiTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + SHANGHAI_MS);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${hh}:${mm}`;
}

/** Before the cut-off the orderer may still change a call-off; the text says how long is left. */
export function cutoffState(cutoffAt: string, now: Date = new Date()): { open: boolean; text: string } {
  const left = new Date(cutoffAt).getTime() - now.getTime();
  if (left <= 0) return { open: false, text: `已于 ${shanghaiTime(cutoffAt)} 截单` };
  const hours = Math.floor(left / 3600_000);
  const minutes = Math.floor((left % 3600_000) / 60_000);
  const rest = hours >= 48 ? `${Math.floor(hours / 24)} 天` : hours > 0 ? `${hours} 小时 ${minutes} 分` : `${minutes} 分钟`;
  return { open: true, text: `${shanghaiTime(cutoffAt)} 截单（还剩 ${rest}）` };
}

export const CALL_OFF_STATUS: Record<CallOffStatus, { text: string; color: string }> = {
  open: { text: '可修改', color: 'blue' },
  'awaiting-approval': { text: '超预算待批准', color: 'orange' },
  reserving: { text: '备货中', color: 'cyan' },
  reserved: { text: '已备货', color: 'cyan' },
  'delivery-requested': { text: '待配送', color: 'geekblue' },
  delivered: { text: '已送达', color: 'green' },
  rejected: { text: '备货失败', color: 'red' },
  cancelled: { text: '已取消', color: 'default' },
};

export const LINE_STATE: Record<LineState, { text: string; color: string }> = {
  ok: { text: '正常', color: 'green' },
  unavailable: { text: '不可采购', color: 'red' },
  'substitute-offered': { text: '替代品待确认', color: 'orange' },
  substituted: { text: '已替代', color: 'purple' },
  dropped: { text: '不配送', color: 'default' },
};

export const CONTRACT_STATUS: Record<Contract['status'], { text: string; color: string }> = {
  draft: { text: '草稿', color: 'default' },
  active: { text: '生效中', color: 'green' },
  suspended: { text: '已暂停', color: 'orange' },
  ended: { text: '已终止', color: 'default' },
};

export const POLICY_ZH: Record<Contract['substitutionPolicy'], string> = {
  auto: '自动替换为同等或更高认证的商品',
  approve: '替代品须采购管理员批准（截单前）',
  none: '不允许替换',
};

export const ROLE_ZH: Record<BuyerRole, string> = { buyer_admin: '采购管理员', orderer: '订货员', site_receiver: '收货验收员', finance: '财务' };

export const ACTION_ZH: Record<string, string> = {
  created: '起草',
  activate: '生效',
  suspend: '暂停',
  resume: '恢复',
  end: '终止',
  generated: '生成',
  amended: '修改',
  delivered: '送达',
  'budget-approved': '批准超预算',
  'held-over-budget': '超预算待批',
  cancelled: '取消',
  'cut-off': '截单',
  reserved: '已备货',
  'stock-rejected': '备货失败',
  'certification-changed': '认证变化复核',
  ordered: '下单',
  cooked: '出餐',
  'substitute-approved': '批准替代品',
  'substitute-declined': '拒绝替代品',
};

/** A delivery schedule in words, e.g. "每周一、周三 06:30-08:00，提前 1 天 16:00 截单". */
export function scheduleZh(s: Schedule): string {
  const when =
    s.frequency === 'monthly' ? `每月 ${s.dayOfMonth} 日` : s.frequency === 'weekly' ? `每${s.weekdays.map(weekdayZh).join('、')}` : s.weekdays.length === 7 ? '每天' : `每${s.weekdays.map(weekdayZh).join('、')}`;
  const cut = s.cutoff.daysBefore === 0 ? `当天 ${s.cutoff.time}` : `提前 ${s.cutoff.daysBefore} 天 ${s.cutoff.time}`;
  return `${when} ${s.window.from}-${s.window.until} 送达，${cut}截单`;
}

/** May the orderer amend a call-off now? Only open ones before cut-off (the service decides in the end). */
export function mayAmend(status: CallOffStatus, cutoffAt: string, now: Date = new Date()): boolean {
  return (status === 'open' || status === 'awaiting-approval') && cutoffState(cutoffAt, now).open;
}

/** Problems with a quantity against the contract line (0 removes the line), in Chinese; [] when fine. */
export function quantityProblem(quantity: number | null | undefined, line: { minQuantity: number; maxQuantity: number }): string | undefined {
  if (quantity === null || quantity === undefined || !Number.isInteger(quantity) || quantity < 0) return '请输入整数数量';
  if (quantity === 0) return undefined;
  if (quantity < line.minQuantity || quantity > line.maxQuantity) return `合同约定每次 ${line.minQuantity}–${line.maxQuantity}`;
  return undefined;
}
