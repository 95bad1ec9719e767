import { z } from 'zod';
import { MARKS, type Mark } from '@techan/common';
import { InvalidInputError } from './errors';
import { findHall, HALL_IDS } from './halls';
import { categorySubtree, findCategory, QUALITY_TIERS, TEMPERATURE_CLASSES, TOWN_CODES } from './taxonomy';
import type { QualityTier, TemperatureClass, TownCode } from './taxonomy';
import { MAX_PRICE_FEN } from './money';
import { queryTokens } from './text-search';

/**
 * Search and browse queries: validation of untrusted input, opaque cursors, and the MongoDB filter.
 * Every filter value reaches the database as a plain scalar compared with an operator *we* chose;
 * a user-supplied object, array or `$`-key is refused with the field named before anything is built.
 */

export const SORTS = ['relevance', 'price_asc', 'price_desc', 'newest', 'star'] as const;
export type SortOrder = (typeof SORTS)[number];
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;
export const MAX_QUERY_LENGTH = 40;

export interface SearchQuery {
  q?: string;
  qTokens: string[];
  hall?: string;
  town?: TownCode;
  category?: string;
  starMin?: number;
  mark?: Mark;
  tier?: QualityTier;
  temperature?: TemperatureClass;
  priceMinFen?: number;
  priceMaxFen?: number;
  sort: SortOrder;
  limit: number;
  after?: CursorPosition;
}

/** The last row of a page: its sort value and id (the tie-breaker). */
export interface CursorPosition {
  value: number;
  id: string;
}

const fenString = z
  .string()
  .regex(/^\d{1,9}$/, '必须是以“分”为单位的非负整数')
  .transform(Number)
  .refine((n) => n <= MAX_PRICE_FEN, '金额超出上限');

/** The search/browse query as sent (exported for the OpenAPI document). */
export const RawSearchQuery = z.strictObject({
  q: z.string().trim().max(MAX_QUERY_LENGTH, `搜索词最多 ${MAX_QUERY_LENGTH} 个字`).optional(),
  hall: z.enum(HALL_IDS, { error: '未知的品牌馆' }).optional(),
  town: z.enum(TOWN_CODES, { error: '未知的镇（街）' }).optional(),
  category: z
    .string()
    .refine((id) => findCategory(id) !== undefined, '未知的品类')
    .optional(),
  star: z
    .string()
    .regex(/^[1-5]$/, '星级应为 1-5')
    .transform(Number)
    .optional(),
  mark: z.enum(MARKS, { error: '未知的认证标识' }).optional(),
  tier: z.enum(QUALITY_TIERS, { error: '未知的品质档次' }).optional(),
  temperature: z.enum(TEMPERATURE_CLASSES, { error: '未知的温区' }).optional(),
  priceMin: fenString.optional(),
  priceMax: fenString.optional(),
  sort: z.enum(SORTS, { error: `排序方式应为 ${SORTS.join(' / ')}` }).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, '每页条数必须是正整数')
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_PAGE_SIZE, `每页条数应为 1-${MAX_PAGE_SIZE}`)
    .optional(),
  cursor: z.string().max(512, '游标无效').optional(),
});

/**
 * Refuses anything that is not a flat map of string values: `$`-prefixed or dotted keys, nested
 * objects (`?price[$gt]=0` under an extended query parser) and repeated parameters (arrays).
 */
export function assertFlatStringParams(raw: unknown): Record<string, string> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidInputError('query', '查询参数格式无效');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key.startsWith('$') || key.includes('.') || key.includes('[')) {
      throw new InvalidInputError(key, '参数名不能包含查询运算符或路径');
    }
    if (Array.isArray(value)) throw new InvalidInputError(key, '该参数只能指定一次');
    if (value !== null && typeof value === 'object') {
      const hasOperator = Object.keys(value).some((k) => k.startsWith('$'));
      throw new InvalidInputError(key, hasOperator ? '参数值不能包含查询运算符' : '参数值必须是单个值');
    }
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new InvalidInputError(key, '参数值必须是单个值');
    }
    out[key] = String(value);
  }
  return out;
}

/** Turns the first zod issue into an InvalidInputError naming the field. */
export function zodToInvalidInput(error: z.ZodError, fallbackField = 'body'): InvalidInputError {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') return new InvalidInputError(issue.keys.join(','), '未知参数');
  const field = issue.path.length ? issue.path.join('.') : fallbackField;
  return new InvalidInputError(field, issue.message);
}

export function parseSearchQuery(raw: unknown): SearchQuery {
  const flat = assertFlatStringParams(raw);
  // Empty values (`?town=`) mean "no filter": HTML forms send every field.
  for (const k of Object.keys(flat)) if (flat[k] === '') delete flat[k];
  const parsed = RawSearchQuery.safeParse(flat);
  if (!parsed.success) throw zodToInvalidInput(parsed.error, 'query');
  const r = parsed.data;
  if (r.priceMin !== undefined && r.priceMax !== undefined && r.priceMin > r.priceMax) {
    throw new InvalidInputError('priceMin', '最低价不能高于最高价');
  }
  const q = r.q ? r.q : undefined;
  const qTokens = q ? queryTokens(q) : [];
  if (q && qTokens.length === 0) throw new InvalidInputError('q', '搜索词需包含汉字、字母或数字');
  const sort: SortOrder = r.sort ?? (q ? 'relevance' : 'newest');
  if (sort === 'relevance' && !q) throw new InvalidInputError('sort', '按相关度排序需要提供搜索词 q');
  const query: SearchQuery = {
    ...(q ? { q } : {}),
    qTokens,
    ...(r.hall ? { hall: r.hall } : {}),
    ...(r.town ? { town: r.town } : {}),
    ...(r.category ? { category: r.category } : {}),
    ...(r.star !== undefined ? { starMin: r.star } : {}),
    ...(r.mark ? { mark: r.mark } : {}),
    ...(r.tier ? { tier: r.tier } : {}),
    ...(r.temperature ? { temperature: r.temperature } : {}),
    ...(r.priceMin !== undefined ? { priceMinFen: r.priceMin } : {}),
    ...(r.priceMax !== undefined ? { priceMaxFen: r.priceMax } : {}),
    sort,
    limit: r.limit ?? DEFAULT_PAGE_SIZE,
  };
  if (r.cursor) query.after = decodeCursor(r.cursor, query);
  return query;
}

/** A stable fingerprint of everything that decides a result order, so a cursor only continues its own query. */
function queryFingerprint(q: SearchQuery): string {
  const parts = [q.q, q.hall, q.town, q.category, q.starMin, q.mark, q.tier, q.temperature, q.priceMinFen, q.priceMaxFen, q.sort];
  const text = JSON.stringify(parts);
  let h = 0x811c9dc5; // FNV-1a, 32 bit: a fingerprint, not a security measure
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

const CursorPayload = z.tuple([z.literal(1), z.string(), z.number().finite(), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)]);

export function encodeCursor(query: SearchQuery, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([1, queryFingerprint(query), position.value, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string, query: SearchQuery): CursorPosition {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidInputError('cursor', '游标无效');
  }
  const parsed = CursorPayload.safeParse(payload);
  if (!parsed.success) throw new InvalidInputError('cursor', '游标无效');
  const [, fingerprint, value, id] = parsed.data;
  if (fingerprint !== queryFingerprint(query)) throw new InvalidInputError('cursor', '游标与当前查询条件不符，请从第一页重新开始');
  return { value, id };
}

/**
 * The document shape the filter is written against (one row per listed product). The service's
 * mongoose schema stores exactly these fields; `saleWindows`/`redWarning` come from `listingCertFields`.
 */
export interface ListingRow {
  _id: string;
  listed: boolean;
  merchantApproved: boolean;
  town: string;
  categoryIds: string[];
  tier: string;
  temperatureClass: string;
  minPriceFen: number;
  listedAtMs: number;
  starLevel: number;
  redWarning: boolean;
  saleWindows: { mark: string; level?: number; from: Date; until: Date }[];
  searchTokens: string[];
}

/** Sort value of a row for the order (relevance is computed by the caller and passed in). */
export function sortValue(row: Pick<ListingRow, 'minPriceFen' | 'listedAtMs' | 'starLevel'>, sort: SortOrder, relevance = 0): number {
  switch (sort) {
    case 'price_asc':
    case 'price_desc':
      return row.minPriceFen;
    case 'newest':
      return row.listedAtMs;
    case 'star':
      return row.starLevel;
    case 'relevance':
      return relevance;
  }
}

/** Database sort field and direction; ties are broken by _id in the same direction. */
export function sortSpec(sort: SortOrder): { field: keyof ListingRow | 'relevance'; direction: 1 | -1 } {
  switch (sort) {
    case 'price_asc':
      return { field: 'minPriceFen', direction: 1 };
    case 'price_desc':
      return { field: 'minPriceFen', direction: -1 };
    case 'newest':
      return { field: 'listedAtMs', direction: -1 };
    case 'star':
      return { field: 'starLevel', direction: -1 };
    case 'relevance':
      return { field: 'relevance', direction: -1 };
  }
}

/**
 * The MongoDB filter for a validated query at `now`. Visibility (certified-only) is part of every
 * filter: a sale window open at `now` and no red warning; `validUntil` is compared with the request time.
 * Only the text-search token is a top-level condition. MongoDB's planner sees through `$and` and picks
 * among the compound indexes either way; the local stand-in plans from top-level fields only, and
 * otherwise walks the sort's index and stops at the page size, which is the fast path for browsing
 * (a top-level category or price range would make it collect and sort thousands of rows first).
 */
export function buildListingFilter(query: SearchQuery, now: Date): Record<string, unknown> {
  const open = { from: { $lte: now }, until: { $gt: now } };
  const filter: Record<string, unknown> = { listed: true, merchantApproved: true, redWarning: false };
  const and: Record<string, unknown>[] = [{ saleWindows: { $elemMatch: open } }];
  if (query.hall) {
    const hall = findHall(query.hall);
    if (!hall) throw new InvalidInputError('hall', '未知的品牌馆');
    const plain = hall.acceptedMarks.filter((m) => m !== 'otop' || hall.minOtopLevel === undefined);
    const alternatives: Record<string, unknown>[] = [];
    if (plain.length) alternatives.push({ mark: { $in: [...plain] } });
    if (hall.acceptedMarks.includes('otop') && hall.minOtopLevel !== undefined) {
      alternatives.push({ mark: 'otop', level: { $gte: hall.minOtopLevel } });
    }
    and.push({ saleWindows: { $elemMatch: { ...open, $or: alternatives } } });
  }
  if (query.mark) and.push({ saleWindows: { $elemMatch: { ...open, mark: query.mark } } });
  if (query.starMin !== undefined) {
    and.push({ saleWindows: { $elemMatch: { ...open, mark: 'otop', level: { $gte: query.starMin } } } });
  }
  if (query.town) and.push({ town: query.town });
  if (query.category) and.push({ categoryIds: query.category });
  if (query.tier) and.push({ tier: query.tier });
  if (query.temperature) and.push({ temperatureClass: query.temperature });
  if (query.priceMinFen !== undefined || query.priceMaxFen !== undefined) {
    and.push({
      minPriceFen: {
        ...(query.priceMinFen !== undefined ? { $gte: query.priceMinFen } : {}),
        ...(query.priceMaxFen !== undefined ? { $lte: query.priceMaxFen } : {}),
      },
    });
  }
  if (query.qTokens.length) {
    // The most selective token (longest: a bigram or ASCII word) as an equality the multikey index
    // answers directly; all tokens under $all.
    const [lead] = [...query.qTokens].sort((a, b) => [...b].length - [...a].length);
    filter['searchTokens'] = lead;
    if (query.qTokens.length > 1) and.push({ searchTokens: { $all: [...query.qTokens] } });
  }
  if (query.after && query.sort !== 'relevance') {
    const { field, direction } = sortSpec(query.sort);
    const cmp = direction === 1 ? '$gt' : '$lt';
    and.push({ $or: [{ [field]: { [cmp]: query.after.value } }, { [field]: query.after.value, _id: { [cmp]: query.after.id } }] });
  }
  filter['$and'] = and;
  return filter;
}

/** Reference semantics of `buildListingFilter` in plain TS (the tests check the two agree). */
export function rowMatches(row: ListingRow, query: SearchQuery, now: Date): boolean {
  const t = now.getTime();
  const openWindows = row.saleWindows.filter((w) => w.from.getTime() <= t && t < w.until.getTime());
  if (!row.listed || !row.merchantApproved || row.redWarning || openWindows.length === 0) return false;
  if (query.hall) {
    const hall = findHall(query.hall);
    if (!hall) return false;
    const ok = openWindows.some(
      (w) =>
        hall.acceptedMarks.includes(w.mark as Mark) &&
        (w.mark !== 'otop' || hall.minOtopLevel === undefined || (w.level ?? 0) >= hall.minOtopLevel),
    );
    if (!ok) return false;
  }
  if (query.mark && !openWindows.some((w) => w.mark === query.mark)) return false;
  const starMin = query.starMin;
  if (starMin !== undefined && !openWindows.some((w) => w.mark === 'otop' && (w.level ?? 0) >= starMin)) return false;
  if (query.town && row.town !== query.town) return false;
  if (query.category && !row.categoryIds.includes(query.category)) return false;
  if (query.tier && row.tier !== query.tier) return false;
  if (query.temperature && row.temperatureClass !== query.temperature) return false;
  if (query.priceMinFen !== undefined && row.minPriceFen < query.priceMinFen) return false;
  if (query.priceMaxFen !== undefined && row.minPriceFen > query.priceMaxFen) return false;
  if (!query.qTokens.every((tok) => row.searchTokens.includes(tok))) return false;
  return true;
}

/** Root-to-leaf category ids stored on a row, so filtering a 大类 is one equality on a multikey field. */
export function categoryIdsFor(leafId: string): string[] {
  const ids: string[] = [];
  const parts = leafId.split('.');
  for (let i = 1; i <= parts.length; i++) ids.push(parts.slice(0, i).join('.'));
  return ids.filter((id) => categorySubtree(id).includes(leafId));
}
