/**
 * Certification schemes and marks known to the whole system. Codes are stable wire values;
 * the Chinese names are what the UI shows.
 */
export const SCHEMES = ['otop', 'gi', 'county_brand', 'town_brand', 'external'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** Regional-brand marks of Kaiping county (seed 004): one county mark and six town marks. */
export const COUNTY_MARK = 'kaiping' as const;
export const TOWN_MARKS = ['magang', 'dasha', 'tangkou', 'xiangang', 'chishui', 'jinji'] as const;
export type TownMark = (typeof TOWN_MARKS)[number];

/** Every mark code. `otop` carries a star level 1-5; `gi` is the GI registration; externals are recorded only. */
export const MARKS = ['otop', 'gi', COUNTY_MARK, ...TOWN_MARKS, 'green', 'organic', 'haccp'] as const;
export type Mark = (typeof MARKS)[number];

export const MARK_NAMES_ZH: Record<Mark, string> = {
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

/** Marks that can make a product purchasable (external certificates are informative only). */
export const PURCHASE_MARKS: readonly Mark[] = ['otop', 'gi', COUNTY_MARK, ...TOWN_MARKS];

/** A certificate's mark as people say it: 一乡一品 with its stars, or the brand's name. */
export function markLabel(certificate: { mark: string; level?: number }): string {
  if (certificate.mark === 'otop') return `一乡一品 ${'★'.repeat(certificate.level ?? 0)}`;
  return MARK_NAMES_ZH[certificate.mark as Mark] ?? certificate.mark;
}
