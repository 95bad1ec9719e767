/** Institutional buyers (机团客户, seed 004 §五). */
export const ORGANISATION_TYPES = ['school', 'hospital', 'elderly_home', 'agency', 'enterprise'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];
export const ORGANISATION_TYPE_ZH: Record<OrganisationType, string> = {
  school: '学校',
  hospital: '医院',
  elderly_home: '养老院',
  agency: '机关单位',
  enterprise: '企业',
};

/** People's roles inside an organisation. */
export const BUYER_ROLES = ['buyer_admin', 'orderer', 'site_receiver', 'finance'] as const;
export type BuyerRole = (typeof BUYER_ROLES)[number];

/** Schools and hospitals keep a retained sample (留样) of every meal batch. */
export function keepsRetainedSamples(type: OrganisationType): boolean {
  return type === 'school' || type === 'hospital';
}

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters of a 31-symbol alphabet,
 * a 6-digit division code at 3-8 and a check character. (Catalog has a fuller parser; apps do not
 * import each other, and orders needs only the check.) Returns a Chinese error or null.
 */
export function creditCodeProblem(input: string): string | null {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return '统一社会信用代码应为18位';
  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad) return `统一社会信用代码含有非法字符“${bad}”`;
  if (!/^[1-8]\d{5}$/.test(code.slice(2, 8))) return '登记管理机关行政区划码应为6位数字';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(code[i]) * WEIGHTS[i];
  if (ALPHABET[(31 - (sum % 31)) % 31] !== code[17]) return '统一社会信用代码校验位错误';
  return null;
}

/** A valid code for a first 17 characters (demo data and tests build codes with it). */
export function withCreditCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return first17 + ALPHABET[(31 - (sum % 31)) % 31];
}
