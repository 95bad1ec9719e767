import fc from 'fast-check';
import { Query } from 'mingo';
import { MARKS } from '@techan/common';
import { InvalidInputError } from './errors';
import { HALL_IDS } from './halls';
import { listingCertFields } from './listing';
import {
  assertFlatStringParams,
  buildListingFilter,
  encodeCursor,
  MAX_PAGE_SIZE,
  parseSearchQuery,
  rowMatches,
  type ListingRow,
  type SearchQuery,
} from './query';
import { CATEGORIES, QUALITY_TIERS, TEMPERATURE_CLASSES, TOWN_CODES } from './taxonomy';
import { certificatesArb, instantArb } from './test/arbitraries';
import { indexTokens } from './text-search';

const fieldOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidInputError) return e.field;
    throw e;
  }
  throw new Error('expected an InvalidInputError');
};

describe('search query validation', () => {
  it('parses a full query', () => {
    const q = parseSearchQuery({
      q: '马冈鹅',
      hall: 'magang',
      town: 'magang',
      category: 'agri',
      star: '3',
      mark: 'otop',
      tier: 'premium',
      temperature: 'chilled',
      priceMin: '1000',
      priceMax: '50000',
      sort: 'price_asc',
      limit: '10',
    });
    expect(q).toEqual({
      q: '马冈鹅',
      qTokens: ['马冈', '冈鹅'],
      hall: 'magang',
      town: 'magang',
      category: 'agri',
      starMin: 3,
      mark: 'otop',
      tier: 'premium',
      temperature: 'chilled',
      priceMinFen: 1000,
      priceMaxFen: 50000,
      sort: 'price_asc',
      limit: 10,
    });
  });

  it('defaults to relevance with a query and newest without, 20 per page, and ignores empty form fields', () => {
    expect(parseSearchQuery({ q: '鹅' })).toMatchObject({ sort: 'relevance', limit: 20 });
    expect(parseSearchQuery({ town: '', q: '' })).toEqual({ qTokens: [], sort: 'newest', limit: 20 });
  });

  it.each([
    [{ price: { $gt: '0' } }, 'price'],
    [{ town: { $ne: 'x' } }, 'town'],
    [{ $where: '1' }, '$where'],
    [{ 'town.$ne': 'x' }, 'town.$ne'],
    [{ q: ['鹅', '茶'] }, 'q'],
    [{ category: { a: 1 } }, 'category'],
  ])('refuses operators and non-scalars %p, naming %s', (raw, field) => {
    expect(fieldOf(() => parseSearchQuery(raw))).toBe(field);
  });

  it.each([
    [{ limit: String(MAX_PAGE_SIZE + 1) }, 'limit'],
    [{ limit: '0' }, 'limit'],
    [{ priceMin: '-1' }, 'priceMin'],
    [{ priceMin: '1.5' }, 'priceMin'],
    [{ priceMin: '500', priceMax: '100' }, 'priceMin'],
    [{ category: 'agri.caviar' }, 'category'],
    [{ hall: 'shenzhen' }, 'hall'],
    [{ town: 'beijing' }, 'town'],
    [{ star: '6' }, 'star'],
    [{ mark: 'ISO9001' }, 'mark'],
    [{ tier: 'luxury' }, 'tier'],
    [{ temperature: 'warm' }, 'temperature'],
    [{ sort: 'random' }, 'sort'],
    [{ sort: 'relevance' }, 'sort'],
    [{ q: '鹅'.repeat(41) }, 'q'],
    [{ q: '!!!' }, 'q'],
    [{ colour: 'red' }, 'colour'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
  ])('refuses %p naming %s', (raw, field) => {
    expect(fieldOf(() => parseSearchQuery(raw))).toBe(field);
  });

  it('messages are in Chinese', () => {
    expect(() => parseSearchQuery({ limit: '500' })).toThrow('limit: 每页条数应为 1-50');
    expect(() => parseSearchQuery({ town: { $ne: 1 } })).toThrow('town: 参数值不能包含查询运算符');
  });

  it('accepts a flat map only', () => {
    expect(assertFlatStringParams({ a: '1', b: 2 })).toEqual({ a: '1', b: '2' });
    expect(() => assertFlatStringParams('x')).toThrow(InvalidInputError);
  });
});

describe('opaque cursors', () => {
  it('round-trip for the same query and refuse another query', () => {
    const first = parseSearchQuery({ q: '鹅', sort: 'price_asc' });
    const cursor = encodeCursor(first, { value: 2680, id: 'p_123' });
    expect(parseSearchQuery({ q: '鹅', sort: 'price_asc', cursor }).after).toEqual({ value: 2680, id: 'p_123' });
    expect(() => parseSearchQuery({ q: '茶', sort: 'price_asc', cursor })).toThrow(/cursor: 游标与当前查询条件不符/);
  });

  it('refuse tampered payloads that could smuggle operators', () => {
    const evil = Buffer.from(JSON.stringify([1, 'x', { $gt: 0 }, 'p'])).toString('base64url');
    expect(fieldOf(() => parseSearchQuery({ cursor: evil }))).toBe('cursor');
    const badId = Buffer.from(JSON.stringify([1, 'x', 1, '{"$ne":1}'])).toString('base64url');
    expect(fieldOf(() => parseSearchQuery({ cursor: badId }))).toBe('cursor');
  });
});

describe('MongoDB listing filter', () => {
  const leafIds = CATEGORIES.filter((c) => c.parentId).map((c) => c.id);
  const rowArb: fc.Arbitrary<ListingRow> = fc
    .record({
      id: fc.stringMatching(/^p[0-9]{1,3}$/),
      listed: fc.boolean(),
      merchantApproved: fc.boolean(),
      town: fc.constantFrom(...TOWN_CODES.slice(0, 4)),
      leaf: fc.constantFrom(...leafIds),
      tier: fc.constantFrom(...QUALITY_TIERS),
      temperatureClass: fc.constantFrom(...TEMPERATURE_CLASSES),
      minPriceFen: fc.integer({ min: 1, max: 5000 }),
      listedAtMs: fc.integer({ min: 0, max: 10 }),
      starLevel: fc.integer({ min: 0, max: 5 }),
      certs: certificatesArb,
      name: fc.constantFrom('马冈鹅', '大沙茶', '丝苗米', '鹅蛋卷', '皮蛋'),
    })
    .map(({ id, leaf, certs, name, ...r }) => ({
      _id: id,
      ...r,
      categoryIds: [leaf.split('.')[0], leaf],
      ...listingCertFields(certs),
      searchTokens: indexTokens(name),
    }));
  const queryArb: fc.Arbitrary<SearchQuery> = fc
    .record(
      {
        q: fc.constantFrom('鹅', '马冈', '茶', '蛋卷'),
        hall: fc.constantFrom(...HALL_IDS),
        town: fc.constantFrom(...TOWN_CODES.slice(0, 4)),
        category: fc.constantFrom('agri', 'agri.goose', 'service'),
        star: fc.constantFrom('1', '3', '5'),
        mark: fc.constantFrom(...MARKS),
        tier: fc.constantFrom(...QUALITY_TIERS),
        temperature: fc.constantFrom(...TEMPERATURE_CLASSES),
        priceMin: fc.integer({ min: 0, max: 3000 }).map(String),
        sort: fc.constantFrom('price_asc', 'price_desc', 'newest', 'star'),
      },
      { requiredKeys: [] },
    )
    .map((raw) => parseSearchQuery(raw));

  it('selects exactly the rows the reference predicate selects (checked with mingo)', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 12 }), queryArb, instantArb, (rows, query, now) => {
        const filter = new Query(buildListingFilter(query, now));
        for (const row of rows) expect(filter.test(row as unknown as Record<string, unknown>)).toBe(rowMatches(row, query, now));
      }),
      { numRuns: 300 },
    );
  });

  it('continues after the cursor position in sort order with _id as tie-breaker', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    const rows = fc.sample(rowArb, 200).map((r, i) => ({
      ...r,
      _id: `p${String(i).padStart(3, '0')}`,
      listed: true,
      merchantApproved: true,
      redWarning: false,
      saleWindows: [{ mark: 'kaiping' as const, from: new Date('2026-01-01T00:00:00Z'), until: new Date('2027-01-01T00:00:00Z') }],
      minPriceFen: r.minPriceFen % 7,
    }));
    const base = parseSearchQuery({ sort: 'price_desc' });
    const sorted = [...rows].sort((a, b) => b.minPriceFen - a.minPriceFen || (a._id < b._id ? 1 : -1));
    const pivot = sorted[57];
    const cursor = encodeCursor(base, { value: pivot.minPriceFen, id: pivot._id });
    const next = parseSearchQuery({ sort: 'price_desc', cursor });
    const filter = new Query(buildListingFilter(next, now));
    expect(rows.filter((r) => filter.test(r as unknown as Record<string, unknown>)).map((r) => r._id).sort()).toEqual(sorted.slice(58).map((r) => r._id).sort());
  });
});
