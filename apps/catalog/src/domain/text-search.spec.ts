import { documentTokens, indexTokens, matchesQuery, queryTokens, relevanceScore } from './text-search';
import { DEMO_PRODUCTS } from './demo-data';
import { categoryPathZh, townNameZh } from './taxonomy';

const docOf = (p: (typeof DEMO_PRODUCTS)[number]) => ({
  name: p.nameZh,
  tags: [...categoryPathZh(p.categoryId), townNameZh(p.town) ?? ''].join(' '),
  description: p.descriptionZh,
});
const search = (q: string) => {
  const qt = queryTokens(q);
  return DEMO_PRODUCTS.filter((p) => matchesQuery(documentTokens(docOf(p)), qt))
    .map((p) => ({ p, score: relevanceScore(documentTokens(docOf(p)), qt, p.nameZh, q) }))
    .sort((a, b) => b.score - a.score)
    .map((x) => x.p.nameZh);
};

describe('Chinese n-gram tokenizer', () => {
  it('indexes every character and adjacent pair of a CJK run', () => {
    expect(indexTokens('马冈鹅')).toEqual(['马', '马冈', '冈', '冈鹅', '鹅']);
  });

  it('keeps ASCII words whole and folds full-width forms and case', () => {
    expect(indexTokens('ＧＩ认证 HACCP 500g')).toEqual(['gi', '认', '认证', '证', 'haccp', '500g']);
  });

  it('does not pair characters across punctuation or spaces', () => {
    expect(indexTokens('鹅肝，鹅肾')).not.toContain('肝鹅');
  });

  it('queries a single character by its unigram and longer runs by their bigrams', () => {
    expect(queryTokens('鹅')).toEqual(['鹅']);
    expect(queryTokens('马冈鹅')).toEqual(['马冈', '冈鹅']);
    expect(queryTokens('马冈 烧鹅')).toEqual(['马冈', '烧鹅']);
    expect(queryTokens('  ！！ ')).toEqual([]);
  });
});

describe('search over the demo catalogue', () => {
  it('finds 马冈鹅 from "鹅" and from "马冈"', () => {
    expect(search('鹅')).toContain('马冈鹅（整只，冰鲜）');
    expect(search('马冈')).toContain('马冈鹅（整只，冰鲜）');
  });

  it('ranks the product named by the query first', () => {
    expect(search('马冈鹅')[0]).toBe('马冈鹅（整只，冰鲜）');
    expect(search('大沙茶').slice(0, 1)).toEqual(['大沙茶三色礼盒（红茶·绿茶·黄茶）']);
    expect(search('丝苗米')[0]).toBe('丝苗米粉');
  });

  it('ranks name hits above description-only hits', () => {
    const results = search('鹅');
    const nameHits = results.filter((n) => n.includes('鹅'));
    expect(results.slice(0, nameHits.length)).toEqual(nameHits);
    expect(results.length).toBeGreaterThan(nameHits.length); // 工作餐 mentions 马冈鹅 only in its description
  });

  it('matches bigrams, not scattered characters', () => {
    expect(search('鹅茶')).toEqual([]);
    expect(search('黄茶')).toEqual(expect.arrayContaining(['大沙里黄茶（茶王）', '大沙黄茶']));
  });

  it('finds by town and category names', () => {
    expect(search('蚬冈')).toEqual(expect.arrayContaining(['侨心煲仔饭', '瑞石楼碉楼导览']));
    expect(search('非遗')).toEqual(expect.arrayContaining(['马冈濑粉']));
  });
});
