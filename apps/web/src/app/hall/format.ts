import { CERTIFICATE_STATUS_NAMES_ZH } from '@techan/common/vocabulary';

/** Money is integer fen; people read yuan with two decimals. */
export function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

export function stars(level: number | undefined): string {
  return level ? '★'.repeat(Math.max(0, Math.min(5, level))) : '';
}

export const CERTIFICATE_STATUS_ZH: Record<string, string> = CERTIFICATE_STATUS_NAMES_ZH;

/** 2026-11-23T16:00:00Z → 2026年11月24日 (China Standard Time, UTC+8). */
export function dateZh(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return Number.isNaN(d.getTime()) ? '—' : `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

export const SORTS: { id: string; label: string }[] = [
  { id: '', label: '默认排序' },
  { id: 'relevance', label: '相关度' },
  { id: 'price_asc', label: '价格从低到高' },
  { id: 'price_desc', label: '价格从高到低' },
  { id: 'newest', label: '最新上架' },
  { id: 'star', label: '星级' },
];

export const TIERS = [
  { id: 'premium', label: '高端' },
  { id: 'midrange', label: '中端' },
  { id: 'mass', label: '大众' },
];

export const TEMPERATURES = [
  { id: 'frozen', label: '冷冻' },
  { id: 'chilled', label: '冷藏' },
  { id: 'ambient', label: '常温' },
  { id: 'hot', label: '保温热链' },
];

export const PRICE_INDEX_GROUPS = [
  { id: 'magang_goose', label: '马冈鹅' },
  { id: 'dasha_tea', label: '大沙茶' },
  { id: 'simiao_rice', label: '丝苗米' },
  { id: 'poultry_eggs', label: '禽蛋' },
];

/** Which hall a search covers, in words ("all halls" when none is chosen). */
export function scopeText(hallName: string | undefined): string {
  return hallName ? `在「${hallName}」中` : '在全部品牌馆中';
}

/** A product image reference from the catalog: an uploaded image id (served resized by the catalog) or a full URL. */
export function imageSrc(ref: string, width: 320 | 800): string {
  return /^https?:\/\//.test(ref) ? ref : `/api/catalog/images/${encodeURIComponent(ref)}?w=${width}`;
}
