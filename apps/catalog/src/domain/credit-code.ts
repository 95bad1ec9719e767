/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters from a 31-symbol alphabet (digits and capitals without I, O, Z, S, V):
 *   [1] registration authority  [2] entity type  [3-8] administrative division (GB/T 2260)
 *   [9-17] organisation code (GB 11714)  [18] check character.
 * Check: c18 = 31 - (Σ value(ci) × 3^(i-1) mod 31) mod 31, mapped back to the alphabet.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

/** Registration authority → allowed entity-type codes and what they mean (GB 32100-2015, table 1). */
const AUTHORITIES: Record<string, { authority: string; types: Record<string, string> }> = {
  '1': { authority: '机构编制', types: { '1': '机关', '2': '事业单位', '3': '群众团体', '9': '其他' } },
  '2': { authority: '外交', types: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    authority: '司法行政',
    types: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  },
  '4': { authority: '文化', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { authority: '民政', types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { authority: '旅游', types: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻代表机构', '9': '其他' } },
  '7': { authority: '宗教', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { authority: '工会', types: { '1': '基层工会', '9': '其他' } },
  '9': { authority: '工商', types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { authority: '中央军委改革和编制办公室', types: { '1': '军队事业单位', '9': '其他' } },
  N: {
    authority: '农业',
    types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  },
  Y: { authority: '其他', types: { '1': '其他' } },
};

export interface CreditCodeInfo {
  code: string;
  authority: string;
  entityType: string;
  /** GB/T 2260 administrative division of the registering office, e.g. 440783 (开平市). */
  divisionCode: string;
  organisationCode: string;
}

export type CreditCodeResult =
  | { valid: true; info: CreditCodeInfo }
  | { valid: false; error: string };

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new RangeError(`invalid character ${first17[i]}`);
    sum += v * WEIGHTS[i];
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Validates a code; input is trimmed and upper-cased (people type it in lower case). Messages in Chinese for the UI. */
export function parseCreditCode(input: unknown): CreditCodeResult {
  if (typeof input !== 'string') return { valid: false, error: '统一社会信用代码必须是字符串' };
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return { valid: false, error: '统一社会信用代码应为18位' };
  const bad = [...code].find((c) => !CREDIT_CODE_ALPHABET.includes(c));
  if (bad) return { valid: false, error: `统一社会信用代码含有非法字符“${bad}”（不使用 I、O、Z、S、V）` };
  const authority = AUTHORITIES[code[0]];
  if (!authority) return { valid: false, error: `登记管理部门代码“${code[0]}”无效` };
  const entityType = authority.types[code[1]];
  if (!entityType) return { valid: false, error: `机构类别代码“${code[1]}”与登记管理部门不匹配` };
  const divisionCode = code.slice(2, 8);
  if (!/^[1-8]\d{5}$/.test(divisionCode)) return { valid: false, error: '登记管理机关行政区划码应为6位数字' };
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return { valid: false, error: '统一社会信用代码校验位错误' };
  return {
    valid: true,
    info: { code, authority: authority.authority, entityType, divisionCode, organisationCode: code.slice(8, 17) },
  };
}
