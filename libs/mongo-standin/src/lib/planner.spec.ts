import type { Document } from 'bson';
import fc from 'fast-check';
import { Query } from 'mingo/query';
import { Engine } from './engine';
import { MINGO_OPTIONS } from './type-operator';
import { SortSpec, keyString, sortKey, sortRows } from './values';

type Row = Record<string, unknown>;

/** What MongoDB semantics require: mingo over every document, a stable sort, then skip/limit. */
function fullScan(docs: Row[], filter: Row, sort: SortSpec | undefined, skip: number, limit: number): Row[] {
  const query = new Query(filter, MINGO_OPTIONS);
  const matched = docs.filter((d) => query.test(d));
  const sorted = sort ? sortRows(matched, sort, (d) => d as Document) : matched;
  return sorted.slice(skip, limit ? skip + limit : undefined);
}

const sortKeys = (rows: Row[], sort: SortSpec) => rows.map((d) => sort.map(([field, dir]) => sortKey(d, field, dir)));

/** Index-driven reads must return exactly what a full scan with mingo returns (no lost matches). */
describe('index planner', () => {
  const scalar = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'ab', 'abc', 'b', 'ba'), fc.boolean(), fc.constant(null));
  const field = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.constant(undefined));
  const doc = fc.record({ x: field, y: field }, { requiredKeys: [] }).map((r) => ({ ...r }));
  const bound = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'ab', 'b'));
  const cond = fc.oneof(
    scalar,
    fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), bound).map(([op, v]) => ({ [op]: v })),
    fc.tuple(bound, bound).map(([lo, hi]) => ({ $gte: lo, $lt: hi })),
    fc.array(scalar, { minLength: 1, maxLength: 3 }).map((values) => ({ $in: values })),
    fc.array(scalar, { minLength: 1, maxLength: 2 }).map((values) => ({ $all: values })),
    fc.constantFrom(/^a/, /^ab?/, /^b|a/, /^a$/, /^ab/),
  );
  const filter = fc.record({ x: cond, y: cond }, { requiredKeys: [] }).map((r) => ({ ...r }));

  it('finds an array whose elements meet the two bounds of a closed interval separately ({$gte: 1, $lte: 1} matches [2, 0])', () => {
    // A counterexample fast-check found (seed -731414224): the interval was read as the point 1.
    for (const key of [{ b: 1 }, { b: 1, c: 1 }, { a: 1, b: 1 }] as Record<string, 1>[]) {
      const engine = new Engine();
      engine.createIndex('db', 'c', { key, name: 'i' });
      engine.write('db', 'c', keyString(1), { _id: 1, a: 5, b: [2, 0] }, {}, 'insert');
      const filter = { a: 5, b: { $gte: 1, $lte: 1 } };
      expect(engine.select('db', 'c', filter, {}).map(([, d]) => d['_id'])).toEqual([1]);
    }
  });

  it('agrees with a full scan for single, compound and multikey indexes', () => {
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 25 }), filter, fc.boolean(), (docs, f, descending) => {
        const engine = new Engine();
        engine.createIndex('db', 'c', { key: { x: descending ? -1 : 1 }, name: 'x' });
        engine.createIndex('db', 'c', { key: { y: 1, x: -1 }, name: 'y_x' });
        docs.forEach((d, i) => {
          const stored: Record<string, unknown> = { _id: i };
          for (const [k, v] of Object.entries(d)) if (v !== undefined) stored[k] = v;
          try {
            engine.write('db', 'c', keyString(i), stored, {}, 'insert');
          } catch {
            // parallel arrays in the compound index: mongod refuses those documents too
          }
        });
        const all = engine.select('db', 'c', undefined, {}).map(([, d]) => d);
        const query = new Query(f, MINGO_OPTIONS);
        const expected = all.filter((d) => query.test(d)).map((d) => d['_id']).sort();
        const actual = engine.select('db', 'c', f, {}).map(([, d]) => d['_id']).sort();
        expect(actual).toEqual(expected);
        const sorted = engine.select('db', 'c', f, {}, { sort: [['x', descending ? -1 : 1]], limit: 3 });
        expect(sorted.length).toBe(Math.min(3, expected.length));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compound index plans', () => {
  const FIELDS = ['a', 'b', 'c'] as const;
  const scalar = fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constantFrom('p', 'q', 'qr'), fc.constant(null));
  const value = fc.oneof(
    { weight: 6, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const doc = fc.record({ a: value, b: value, c: value });
  const direction = fc.constantFrom<1 | -1>(1, -1);
  /** A random compound index: some of a, b, c in random order and directions, maybe a trailing _id. */
  const index = fc
    .tuple(fc.shuffledSubarray([...FIELDS], { minLength: 1 }), fc.array(direction, { minLength: 4, maxLength: 4 }), fc.boolean())
    .map(([fields, dirs, withId]) => {
      const key: Record<string, 1 | -1> = {};
      fields.forEach((f, i) => (key[f] = dirs[i]));
      if (withId) key['_id'] = dirs[3];
      return key;
    });
  const equality = scalar.chain((v) => fc.constantFrom<unknown>(v, { $eq: v }, { $in: [v] }));
  const interval = fc.oneof(
    fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constantFrom('p', 'q'))).map(([op, v]) => ({ [op]: v })),
    fc.tuple(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -2, max: 2 })).map(([lo, hi]) => ({ $gte: lo, $lte: hi })),
    fc.constant(/^q/),
  );
  /** Equalities on `eqCount` leading index fields, maybe an interval on the next, maybe noise on others; some under $and. */
  const query = (key: Record<string, 1 | -1>) => {
    const fields = Object.keys(key);
    return fc
      .record({
        eqCount: fc.nat({ max: fields.length }),
        eqs: fc.array(equality, { minLength: fields.length, maxLength: fields.length }),
        range: fc.option(interval),
        noise: fc.option(fc.record({ field: fc.constantFrom(...FIELDS), cond: fc.oneof(equality, interval, fc.constant({ $ne: 1 })) })),
        nested: fc.array(fc.boolean(), { minLength: fields.length + 2, maxLength: fields.length + 2 }),
        sortFrom: fc.nat({ max: fields.length }),
        sortLength: fc.nat({ max: 3 }),
        flip: fc.boolean(),
        sortWithId: fc.boolean(),
        skip: fc.nat({ max: 3 }),
        limit: fc.nat({ max: 5 }),
      })
      .map((q) => {
        const filter: Row = {};
        const and: Row[] = [];
        const put = (i: number, field: string, cond: unknown) => {
          if (q.nested[i]) and.push({ [field]: cond });
          else if (field in filter) and.push({ [field]: cond });
          else filter[field] = cond;
        };
        fields.slice(0, q.eqCount).forEach((f, i) => put(i, f, q.eqs[i]));
        if (q.range && q.eqCount < fields.length) put(fields.length, fields[q.eqCount], q.range);
        if (q.noise) put(fields.length + 1, q.noise.field, q.noise.cond);
        if (and.length) filter['$and'] = and;
        // A sort along the index from some field on (the served shapes), in or against its direction.
        const sort: SortSpec = fields
          .slice(q.sortFrom, q.sortFrom + q.sortLength)
          .filter((f) => f !== '_id')
          .map((f) => [f, (q.flip ? -key[f] : key[f]) as 1 | -1]);
        if (q.sortWithId) sort.push(['_id', sort.length ? sort[sort.length - 1][1] : 1]);
        return { filter, sort: sort.length ? sort : undefined, skip: q.skip, limit: q.limit };
      });
  };
  const scenario = fc.tuple(index, index).chain(([first, second]) =>
    fc.record({ docs: fc.array(doc, { maxLength: 30 }), first: fc.constant(first), second: fc.constant(second), q: query(first) }),
  );

  it('returns exactly what a full scan returns, in order, with skip and limit', () => {
    fc.assert(
      fc.property(scenario, ({ docs, first, second, q }) => {
        const engine = new Engine();
        engine.createIndex('db', 'c', { key: first, name: 'first' });
        engine.createIndex('db', 'c', { key: second, name: 'second' });
        // Ids inserted out of their sort order, so index order by id-string is not insertion order.
        docs.forEach((d, i) => {
          const _id = (i * 7) % 31;
          const stored: Row = { _id };
          for (const [k, v] of Object.entries(d)) if (v !== undefined) stored[k] = v;
          try {
            engine.write('db', 'c', keyString(_id), stored, {}, 'insert');
          } catch {
            // parallel arrays in a compound index: mongod refuses those documents too
          }
        });
        const all = engine.select('db', 'c', undefined, {}).map(([, d]) => d);
        const expected = fullScan(all, q.filter, q.sort, q.skip, q.limit);
        const actual = engine.select('db', 'c', q.filter, {}, { sort: q.sort, skip: q.skip, limit: q.limit || undefined }).map(([, d]) => d);
        if (!q.sort || q.sort.some(([f]) => f === '_id')) {
          // A total order (or none: compare as sets) fixes the result exactly.
          const ids = (rows: Row[]) => rows.map((d) => d['_id']);
          if (q.sort) expect(ids(actual)).toEqual(ids(expected));
          else if (!q.skip && !q.limit) expect(ids(actual).sort()).toEqual(ids(expected).sort());
          else expect(actual).toHaveLength(expected.length);
        } else {
          // Ties may come in any order (MongoDB promises none): the sequence of sort keys must agree.
          expect(sortKeys(actual, q.sort)).toEqual(sortKeys(expected, q.sort));
          if (!q.skip && !q.limit) expect(actual.map((d) => d['_id']).sort()).toEqual(expected.map((d) => d['_id']).sort());
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('prefers the index covering the most equality fields, then the one serving the sort', () => {
    const engine = new Engine();
    engine.createIndex('db', 'c', { key: { a: 1 }, name: 'a' });
    engine.createIndex('db', 'c', { key: { a: 1, c: -1 }, name: 'a_c' });
    engine.createIndex('db', 'c', { key: { a: 1, b: 1, c: 1 }, name: 'a_b_c' });
    engine.createIndex('db', 'c', { key: { sku: 1 }, name: 'sku', unique: true });
    for (let i = 0; i < 200; i++) engine.write('db', 'c', keyString(i), { _id: i, a: i % 3, b: i % 5, c: i % 7, sku: `s${i}` }, {}, 'insert');
    const planned = (filter: Row, sort?: SortSpec) => {
      engine.select('db', 'c', filter, {}, { sort, limit: 3 });
      return [engine.lastQueryStats.index, engine.lastQueryStats.ordered];
    };
    expect(planned({ a: 1, b: 2 }, [['c', 1]])).toEqual(['a_b_c', true]);
    expect(planned({ a: 1, b: 2 }, [['c', -1]])).toEqual(['a_b_c', true]); // walked backwards
    expect(planned({ a: 1 }, [['c', 1]])).toEqual(['a_c', true]);
    expect(planned({ a: 1, b: { $gt: 0 } }, [['c', 1]])).toEqual(['a_c', true]);
    expect(planned({ a: 1, b: { $gt: 0 } }, [['b', 1]])).toEqual(['a_b_c', true]);
    expect(planned({ a: 1, b: { $gt: 0 } }, [['a', -1], ['b', 1], ['c', 1]])).toEqual(['a_b_c', true]); // a is constant
    expect(planned({ a: 1, b: 2, sku: 's7' }, [['c', 1]])).toEqual(['sku', false]);
    expect(planned({ a: { $in: [1, 2] } }, [['c', 1]])).toEqual(['a', false]);
    expect(planned({ b: 2 }, [['c', 1]])).toEqual([null, false]);
  });

  it('stops after skip+limit documents when equalities and a sort follow the index (50 000 documents)', () => {
    const engine = new Engine();
    engine.createIndex('db', 'p', { key: { tokens: 1, listedAt: -1, _id: -1 }, name: 'tokens_listed' });
    engine.createIndex('db', 'p', { key: { price: 1, _id: 1 }, name: 'price' });
    engine.createIndex('db', 'p', { key: { town: 1, price: 1, _id: 1 }, name: 'town_price' });
    const towns = ['dasha', 'magang', 'shuikou', 'chikan'];
    const docs: Row[] = [];
    for (let i = 0; i < 50_000; i++) {
      const _id = `p${String((i * 7919) % 50_000).padStart(5, '0')}`;
      const d: Row = { _id, tokens: i % 4 === 0 ? ['马冈', '冈鹅'] : ['大沙', '沙茶'], listedAt: (i * 37) % 10_000, price: (i * 131) % 20_000, town: towns[i % 4], listed: i % 5 !== 0 };
      docs.push(d);
      engine.write('db', 'p', keyString(_id), d, {}, 'insert');
    }
    const cases: Array<{ filter: Row; sort: SortSpec; index: string }> = [
      { filter: { listed: true, tokens: '马冈', $and: [{ tokens: { $all: ['马冈', '冈鹅'] } }] }, sort: [['listedAt', -1], ['_id', -1]], index: 'tokens_listed' },
      { filter: { tokens: { $in: ['马冈'] } }, sort: [['listedAt', 1], ['_id', 1]], index: 'tokens_listed' },
      { filter: { listed: true, $and: [{ price: { $gte: 5000, $lte: 9000 } }] }, sort: [['price', 1], ['_id', 1]], index: 'price' },
      { filter: { town: 'magang', price: { $gt: 100 } }, sort: [['town', 1], ['price', -1], ['_id', -1]], index: 'town_price' },
    ];
    for (const { filter, sort, index } of cases) {
      const actual = engine.select('db', 'p', filter, {}, { sort, skip: 5, limit: 20 }).map(([, d]) => d['_id']);
      expect(engine.lastQueryStats.index).toBe(index);
      expect(engine.lastQueryStats.ordered).toBe(true);
      // Only the rows up to skip+limit, plus the ones the rest of the filter rejects on the way.
      expect(engine.lastQueryStats.docsExamined).toBeLessThanOrEqual(40);
      expect(actual).toEqual(fullScan(docs, filter, sort, 5, 20).map((d) => d['_id']));
    }
    // A sort alone, on a leading part of an index's keys, reversed.
    const cheapest = engine.select('db', 'p', {}, {}, { sort: [['price', -1]], limit: 20 }).map(([, d]) => d['price']);
    expect(engine.lastQueryStats).toEqual({ index: 'price', ordered: true, docsExamined: 20 });
    expect(cheapest).toEqual(fullScan(docs, {}, [['price', -1]], 0, 20).map((d) => d['price']));
    engine.select('db', 'p', { listed: true }, {}, { sort: [['listedAt', -1]], limit: 20 });
    expect(engine.lastQueryStats).toEqual({ index: null, ordered: false, docsExamined: 50_000 });
  });
});
