/**
 * Chinese text search by character n-grams (unigrams + bigrams), not a dictionary segmenter.
 *
 * Why n-grams:
 *  - Recall on short queries. Shoppers type one or two characters ("鹅", "马冈"). A segmenter cuts
 *    “马冈鹅预制菜” into words such as 马冈 / 鹅 / 预制菜 or even 马冈鹅 depending on its dictionary,
 *    and then "鹅" or "冈鹅" only matches when the cut happens to agree. Indexing every single
 *    character and every adjacent pair finds any 1-2 character query as a substring, always.
 *  - Longer queries are matched by all their bigrams, which is near phrase precision for Chinese
 *    (a false hit needs every overlapping pair present elsewhere in the same product).
 *  - No native dependency and no dictionary to ship and keep up to date (nodejieba needs a compiler;
 *    local names such as 蚬冈, 潭碧冬瓜, 濑粉 are missing from general dictionaries anyway).
 *  - Index-friendly: the tokens are plain strings in an array field, so a MongoDB multikey index answers
 *    `{ searchTokens: { $all: [...] } }` without a text-search engine (MongoDB's $text has no Chinese).
 *    Product texts are short (name, category, town, a description), so the token arrays stay small.
 * ASCII words (brand names, "GI", "HACCP", numbers like 500g) are kept whole, lower-cased.
 */

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
/** Runs of CJK characters, or of ASCII letters/digits; everything else separates tokens. */
const RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/gu;

export function normalizeText(text: string): string {
  // NFKC folds full-width letters/digits (ＧＩ, ５００ｇ) to ASCII; lower-case for ASCII words.
  return text.normalize('NFKC').toLowerCase();
}

function runs(text: string): string[] {
  return normalizeText(text).match(RUNS) ?? [];
}

/** Tokens stored for a document field: every unigram and bigram of each CJK run, whole ASCII words. */
export function indexTokens(text: string): string[] {
  const out = new Set<string>();
  for (const run of runs(text)) {
    if (!CJK.test(run[0])) {
      out.add(run);
      continue;
    }
    const chars = [...run];
    for (let i = 0; i < chars.length; i++) {
      out.add(chars[i]);
      if (i + 1 < chars.length) out.add(chars[i] + chars[i + 1]);
    }
  }
  return [...out];
}

/**
 * Tokens a query must all match: a one-character CJK run is its unigram, a longer run its bigrams
 * (so "马冈鹅" requires 马冈 and 冈鹅, not merely 马, 冈 and 鹅 scattered anywhere).
 */
export function queryTokens(query: string): string[] {
  const out = new Set<string>();
  for (const run of runs(query)) {
    if (!CJK.test(run[0])) {
      out.add(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) out.add(chars[0]);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  }
  return [...out];
}

/** Field weights for relevance: a hit in the name counts more than one in the description. */
export const FIELD_WEIGHTS = { name: 8, tags: 4, description: 1 } as const;
export type SearchField = keyof typeof FIELD_WEIGHTS;
export type SearchableText = Record<SearchField, string>;

export interface SearchDocumentTokens {
  /** Union of all fields' tokens: the indexed array the database matches with $all. */
  searchTokens: string[];
  nameTokens: string[];
  tagTokens: string[];
}

export function documentTokens(doc: SearchableText): SearchDocumentTokens {
  const nameTokens = indexTokens(doc.name);
  const tagTokens = indexTokens(doc.tags);
  const all = new Set([...nameTokens, ...tagTokens, ...indexTokens(doc.description)]);
  return { searchTokens: [...all], nameTokens, tagTokens };
}

/** True when every query token occurs in the document (the $all match). An empty query matches all. */
export function matchesQuery(tokens: Pick<SearchDocumentTokens, 'searchTokens'>, qTokens: readonly string[]): boolean {
  const set = new Set(tokens.searchTokens);
  return qTokens.every((t) => set.has(t));
}

/** The name without bracketed qualifiers: “马冈鹅（整只，冰鲜）” → “马冈鹅”. NFKC turns （） into (). */
export function coreName(name: string): string {
  return normalizeText(name).replace(/\([^)]*\)/g, '').replace(/\s+/g, '');
}

/**
 * Relevance of a matching document, an integer so it can be a stable sort key and go in a cursor:
 * per query token, the weight of the best field it occurs in; plus a bonus when the name starts with
 * or equals the query (someone typing "马冈鹅" wants the goose itself before 马冈鹅蛋卷).
 */
export function relevanceScore(
  tokens: Pick<SearchDocumentTokens, 'nameTokens' | 'tagTokens'>,
  qTokens: readonly string[],
  name: string,
  query: string,
): number {
  const nameSet = new Set(tokens.nameTokens);
  const tagSet = new Set(tokens.tagTokens);
  let score = 0;
  for (const t of qTokens) {
    score += nameSet.has(t) ? FIELD_WEIGHTS.name : tagSet.has(t) ? FIELD_WEIGHTS.tags : FIELD_WEIGHTS.description;
  }
  const n = coreName(name);
  const q = normalizeText(query).replace(/\s+/g, '');
  if (q && n === q) score += 20;
  else if (q && n.startsWith(q)) score += 10;
  else if (q && n.includes(q)) score += 5;
  // Shorter names are closer matches for the same hits (鹅肝 before 马冈鹅肝酱礼盒装).
  return score * 100 + Math.max(0, 99 - [...n].length);
}
