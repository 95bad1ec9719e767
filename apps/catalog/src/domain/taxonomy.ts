/**
 * The catalogue's fixed vocabularies, from seed 004 §五 (“开平优品”产品分类导向) and DESIGN §2.
 * Codes are stable wire/database values; `nameZh` is what the UI shows.
 */

export interface Category {
  id: string;
  nameZh: string;
  parentId?: string;
  /** Examples of the 小类 listed in the seed, shown as hints in the merchant console. */
  examplesZh?: string;
}

/** Three 大类 and their 中类. Ids are dotted paths so a subtree is a prefix (used by the category filter). */
export const CATEGORIES: readonly Category[] = [
  { id: 'agri', nameZh: '农品' },
  { id: 'agri.goose', parentId: 'agri', nameZh: '马冈鹅', examplesZh: '鹅苗、肉鹅、预制菜、切件（鹅肝、鹅肾、鹅掌、鹅翼）、鹅蛋卷、鹅肝酱' },
  { id: 'agri.tea', parentId: 'agri', nameZh: '大沙茶', examplesZh: '红茶、绿茶、黄茶' },
  { id: 'agri.poultry_eggs', parentId: 'agri', nameZh: '禽蛋', examplesZh: '鸡、鸭、鸽，皮蛋、咸蛋、熟食蛋，禽蛋预制菜' },
  { id: 'agri.rice', parentId: 'agri', nameZh: '丝苗米', examplesZh: '稳糖米、生态丝苗米、开平小粘、米粉' },
  { id: 'agri.aquatic', parentId: 'agri', nameZh: '水产', examplesZh: '大沙水库鱼、狮山水库鱼' },
  { id: 'agri.fruit_veg', parentId: 'agri', nameZh: '果蔬', examplesZh: '沃柑、火龙果、潭碧冬瓜、大沙麦菜、西洋菜' },
  { id: 'industrial', nameZh: '工品' },
  { id: 'industrial.food', parentId: 'industrial', nameZh: '食品', examplesZh: '饼干、酱油、山泉水' },
  { id: 'industrial.crafts', parentId: 'industrial', nameZh: '工艺品', examplesZh: '手工铜制碉楼、手工玉石花盆' },
  { id: 'industrial.heritage_brand', parentId: 'industrial', nameZh: '老字号', examplesZh: '广合腐乳、彬记饼业、新昌茶楼' },
  { id: 'industrial.intangible_heritage', parentId: 'industrial', nameZh: '非遗产品', examplesZh: '马冈濑粉、马冈竹器、非遗咸蛋' },
  { id: 'service', nameZh: '服务' },
  { id: 'service.tourism', parentId: 'service', nameZh: '旅游', examplesZh: '瑞石楼、自力村碉楼、锦江里、马降龙' },
  { id: 'service.catering', parentId: 'service', nameZh: '餐饮', examplesZh: '侨心煲仔饭、开平优餐' },
  { id: 'service.cultural_creative', parentId: 'service', nameZh: '文创', examplesZh: '蚬冈文创、塘口文创' },
];

const CATEGORY_BY_ID = new Map(CATEGORIES.map((c) => [c.id, c]));

export function findCategory(id: string): Category | undefined {
  return CATEGORY_BY_ID.get(id);
}

/** Products are filed under a 中类 (leaf); a 大类 is only a browse node. */
export function isLeafCategory(id: string): boolean {
  return CATEGORY_BY_ID.has(id) && !CATEGORIES.some((c) => c.parentId === id);
}

/** The category and every descendant, for a browse filter on a 大类. */
export function categorySubtree(id: string): string[] {
  return CATEGORIES.filter((c) => c.id === id || c.id.startsWith(`${id}.`)).map((c) => c.id);
}

/** Root-to-leaf names, e.g. ['农品', '马冈鹅'], for breadcrumbs and the search index. */
export function categoryPathZh(id: string): string[] {
  const path: string[] = [];
  for (let c = CATEGORY_BY_ID.get(id); c; c = c.parentId ? CATEGORY_BY_ID.get(c.parentId) : undefined) path.unshift(c.nameZh);
  return path;
}

export interface CategoryNode extends Category {
  children: CategoryNode[];
}

export function categoryTree(): CategoryNode[] {
  const build = (parentId?: string): CategoryNode[] =>
    CATEGORIES.filter((c) => c.parentId === parentId).map((c) => ({ ...c, children: build(c.id) }));
  return build(undefined);
}

/** 高端 (flagship) / 中端 (business gifts) / 大众 (everyday): the shared vocabulary of every service. */
export { QUALITY_TIERS, QUALITY_TIER_ZH, type QualityTier } from '@techan/common';

/**
 * 三原 (原产地自然资源、原生地人文资源、原创性劳动成果): how local the product is —
 * fully local, partly local, or made elsewhere under the brand's licence.
 */
export const ORIGIN_DEGREES = ['fully_local', 'partly_local', 'brand_licensed'] as const;
export type OriginDegree = (typeof ORIGIN_DEGREES)[number];
export const ORIGIN_DEGREE_ZH: Record<OriginDegree, string> = {
  fully_local: '全原产（三原）',
  partly_local: '部分原产',
  brand_licensed: '品牌授权生产',
};

/**
 * Storage/transport temperature classes (Chinese food-safety practice): frozen ≤ −18 °C, chilled above
 * freezing and below 8 °C, ambient, hot-held ≥ 60 °C core temperature (meals eaten within 4 h).
 */
export const TEMPERATURE_CLASSES = ['frozen', 'chilled', 'ambient', 'hot'] as const;
export type TemperatureClass = (typeof TEMPERATURE_CLASSES)[number];
export const TEMPERATURE_CLASS_ZH: Record<TemperatureClass, string> = {
  frozen: '冷冻（≤ −18 °C）',
  chilled: '冷藏（0–8 °C）',
  ambient: '常温',
  hot: '保温热链（≥ 60 °C，4 小时内食用）',
};

/** Selling units shown on a SKU (每只、每盒 …). */
export const SALES_UNITS = ['只', '盒', '袋', '罐', '瓶', '箱', '份', '件', '斤', '千克', '套', '张', '晚', '位'] as const;
export type SalesUnit = (typeof SALES_UNITS)[number];

/**
 * Net content of one sales unit, so prices of different pack sizes are comparable (price index).
 * `g` for weight, `ml` for volume, `piece` for counted goods (eggs, tickets, meals).
 */
export const NET_CONTENT_UNITS = ['g', 'ml', 'piece'] as const;
export type NetContentUnit = (typeof NET_CONTENT_UNITS)[number];

/**
 * Towns of Kaiping (开平市, GB/T 2260 440783). The first six run their own town brand and hall (seed 004);
 * the others feed the county brand directly (seed 004 “非优品镇（街）…直接纳入‘开平优品’的资源”).
 */
export const TOWNS = [
  { code: 'magang', nameZh: '马冈镇', brandTown: true },
  { code: 'dasha', nameZh: '大沙镇', brandTown: true },
  { code: 'tangkou', nameZh: '塘口镇', brandTown: true },
  { code: 'xiangang', nameZh: '蚬冈镇', brandTown: true },
  { code: 'chishui', nameZh: '赤水镇', brandTown: true },
  { code: 'jinji', nameZh: '金鸡镇', brandTown: true },
  { code: 'changsha', nameZh: '长沙街道', brandTown: false },
  { code: 'sanbu', nameZh: '三埠街道', brandTown: false },
  { code: 'cangcheng', nameZh: '苍城镇', brandTown: false },
  { code: 'longsheng', nameZh: '龙胜镇', brandTown: false },
  { code: 'yueshan', nameZh: '月山镇', brandTown: false },
  { code: 'shuikou', nameZh: '水口镇', brandTown: false },
  { code: 'chikan', nameZh: '赤坎镇', brandTown: false },
  { code: 'baihe', nameZh: '百合镇', brandTown: false },
  { code: 'shatang', nameZh: '沙塘镇', brandTown: false },
  { code: 'cuishanhu', nameZh: '翠山湖新区', brandTown: false },
] as const;
export type TownCode = (typeof TOWNS)[number]['code'];
export const TOWN_CODES = TOWNS.map((t) => t.code) as [TownCode, ...TownCode[]];

export function townNameZh(code: string): string | undefined {
  return TOWNS.find((t) => t.code === code)?.nameZh;
}

/** GB/T 2260 code of Kaiping; merchants registered here are local (三原). */
export const KAIPING_DIVISION_CODE = '440783';
