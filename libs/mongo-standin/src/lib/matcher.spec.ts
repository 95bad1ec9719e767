import fc from 'fast-check';
import { Query } from 'mingo/query';
import { compileFilter } from './engine';
import { MINGO_OPTIONS } from './type-operator';

/** The hand-written matcher for simple filters must agree with mingo on every document. */
describe('simple filter matcher', () => {
  const scalar = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', 'c'), fc.boolean(), fc.constantFrom(new Date(0), new Date(1000)));
  // Spread: fast-check builds null-prototype objects, BSON never does.
  const sub = fc.record({ b: scalar }, { requiredKeys: [] }).map((r) => ({ ...r }));
  const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.constant(null), sub, fc.array(sub, { maxLength: 2 }));
  const doc = fc
    .record({ a: value, n: fc.option(fc.record({ b: value }).map((r) => ({ ...r })), { nil: undefined }) }, { requiredKeys: [] })
    .map((r) => ({ ...r }));
  const op = fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin');
  const condition = fc.oneof(
    scalar,
    fc.tuple(op, scalar, fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([o, s, list]) => ({ [o]: o === '$in' || o === '$nin' ? list : s })),
  );
  const filter = fc.record({ a: condition, 'a.b': condition, 'n.b': condition }, { requiredKeys: [] }).map((r) => ({ ...r }));

  it('agrees with mingo', () => {
    fc.assert(
      fc.property(doc, filter, (d, f) => {
        const fast = compileFilter(f);
        const expected = new Query(f, MINGO_OPTIONS).test(d);
        expect(fast ? fast.test(d) : true).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
