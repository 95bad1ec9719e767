import fc from 'fast-check';
import { CommandError } from './errors';
import { projectDocuments } from './commands';
import { applyUpdate } from './update';

/*
 * Property tests: the stand-in's updates and projections against a small, separately written model
 * of MongoDB's documented semantics (update operators: field paths through objects and arrays,
 * PathNotViable / TypeMismatch / BadValue / ConflictingUpdateOperators, paths processed in
 * lexicographic order; find projections: inclusion, exclusion, $slice, $elemMatch), on random documents.
 */

type V = unknown;
type Doc = Record<string, V>;

const isObj = (v: V): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
const isIdx = (p: string) => /^(0|[1-9]\d*)$/.test(p);
const same = (a: V, b: V) => JSON.stringify(a) === JSON.stringify(b);

/** JSON copy (the generated values are JSON); structuredClone would build objects of another realm under Jest. */
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

class ModelError extends Error {
  constructor(readonly code: number) {
    super(`code ${code}`);
  }
}

/** Model of one operator on a field: returns the new value (undefined = remove), given the current one. */
function modelOp(op: string, arg: V, current: V, exists: boolean): V {
  switch (op) {
    case '$set':
      return arg;
    case '$inc':
      if (!exists) return arg;
      if (typeof current !== 'number') throw new ModelError(14);
      return current + (arg as number);
    case '$min':
    case '$max': {
      if (!exists) return arg;
      const c = compare(arg, current);
      return (op === '$min' ? c < 0 : c > 0) ? arg : current;
    }
    case '$push':
      if (!exists) return [arg];
      if (!Array.isArray(current)) throw new ModelError(2);
      return [...current, arg];
    case '$addToSet':
      if (!exists) return [arg];
      if (!Array.isArray(current)) throw new ModelError(2);
      return current.some((x) => same(x, arg)) ? current : [...current, arg];
    case '$pop':
      if (!Array.isArray(current)) throw new ModelError(14);
      return arg === 1 ? current.slice(0, -1) : current.slice(1);
    case '$pull':
      if (!Array.isArray(current)) throw new ModelError(2);
      return current.filter((x) => !same(x, arg));
  }
  throw new Error(`model lacks ${op}`);
}

/** BSON order restricted to the values generated here: numbers < strings < objects < arrays < null is not used. */
function compare(a: V, b: V): number {
  const rank = (v: V) => (v === null ? 1 : typeof v === 'number' ? 2 : typeof v === 'string' ? 3 : isObj(v) ? 4 : 5);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' || typeof a === 'string') return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0;
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0;
}

const removing = (op: string) => op === '$unset' || op === '$pop' || op === '$pull';

/** Model of applying one operator at a path, immutably: the documented field-path rules. */
function modelAt(container: V, parts: string[], op: string, arg: V): V {
  const [key, ...rest] = parts;
  if (Array.isArray(container)) {
    if (!isIdx(key)) {
      if (removing(op)) return container;
      throw new ModelError(28);
    }
    const i = Number(key);
    const exists = i < container.length;
    if (rest.length === 0) {
      if (op === '$unset') return exists ? container.map((x, j) => (j === i ? null : x)) : container;
      if (removing(op) && !exists) return container;
      const next = modelOp(op, arg, container[i], exists);
      const out = [...container];
      while (out.length < i) out.push(null);
      out[i] = next;
      return out;
    }
    if (!exists && removing(op)) return container;
    const out = [...container];
    while (out.length < i) out.push(null);
    out[i] = modelAt(exists ? container[i] : {}, rest, op, arg);
    return out;
  }
  if (isObj(container)) {
    const exists = Object.prototype.hasOwnProperty.call(container, key);
    if (rest.length === 0) {
      if (op === '$unset') {
        if (!exists) return container;
        const others = { ...container };
        delete others[key];
        return others;
      }
      if (removing(op) && !exists) return container;
      return { ...container, [key]: modelOp(op, arg, container[key], exists) };
    }
    if (!exists) return removing(op) ? container : { ...container, [key]: modelAt({}, rest, op, arg) };
    return { ...container, [key]: modelAt(container[key], rest, op, arg) };
  }
  if (removing(op)) return container;
  throw new ModelError(28);
}

function modelUpdate(doc: Doc, update: Record<string, Doc>): Doc {
  const entries: Array<[string, string, V]> = [];
  for (const [op, fields] of Object.entries(update)) for (const [path, arg] of Object.entries(fields)) entries.push([op, path, arg]);
  const paths = entries.map(([, p]) => p.split('.'));
  for (let i = 0; i < paths.length; i++) {
    for (let j = 0; j < paths.length; j++) {
      if (i !== j && paths[i].length <= paths[j].length && paths[i].every((p, k) => paths[j][k] === p)) throw new ModelError(40);
    }
  }
  const cmp = (a: string[], b: string[]) => {
    for (let k = 0; k < Math.min(a.length, b.length); k++) {
      if (a[k] === b[k]) continue;
      if (isIdx(a[k]) && isIdx(b[k])) return Number(a[k]) - Number(b[k]);
      return a[k] < b[k] ? -1 : 1;
    }
    return a.length - b.length;
  };
  entries.sort((x, y) => cmp(x[1].split('.'), y[1].split('.')));
  let out: V = doc;
  for (const [op, path, arg] of entries) out = modelAt(out, path.split('.'), op, arg);
  return out as Doc;
}

// ---------------------------------------------------------------------------------------------

const scalar = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('茶', '鹅', 'x'), fc.constant(null));
const leaf = fc.oneof(scalar, fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }));
const sub = fc.record({ x: leaf, y: leaf }, { requiredKeys: [] }).map((r) => ({ ...r }));
const value = fc.oneof(leaf, sub, fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), sub), { maxLength: 3 }));
const doc = fc.record({ a: value, b: value, c: value }, { requiredKeys: [] }).map((r) => ({ _id: 1, ...r }));
const path = fc.constantFrom('a', 'b', 'c', 'd', 'a.x', 'a.y', 'b.x', 'a.0', 'a.1', 'b.2', 'a.x.y', 'a.0.x', 'c.1.y');
const operation = fc.oneof(
  fc.tuple(fc.constant('$set'), value),
  fc.tuple(fc.constant('$unset'), fc.constant('')),
  fc.tuple(fc.constant('$inc'), fc.integer({ min: -2, max: 2 })),
  fc.tuple(fc.constantFrom('$min', '$max'), scalar),
  fc.tuple(fc.constantFrom('$push', '$addToSet', '$pull'), fc.integer({ min: 0, max: 3 })),
  fc.tuple(fc.constant('$pop'), fc.constantFrom(1, -1)),
);
const update = fc.array(fc.tuple(path, operation), { minLength: 1, maxLength: 4 }).map((ops) => {
  const out: Record<string, Doc> = {};
  for (const [p, [op, arg]] of ops) (out[op] ??= {})[p] = arg;
  return out;
});

describe('updates and projections against a model of MongoDB semantics', () => {
  it('updates: same document (fields in the same order) or the same error code', () => {
    fc.assert(
      fc.property(doc, update, (d, u) => {
        let expected: Doc | number;
        try {
          expected = modelUpdate(clone(d), clone(u));
        } catch (e) {
          if (!(e instanceof ModelError)) throw e;
          expected = e.code;
        }
        let actual: Doc | number;
        try {
          actual = applyUpdate(clone(d), clone(u), { isInsert: false });
        } catch (e) {
          if (!(e instanceof CommandError)) throw e;
          actual = e.code;
        }
        expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 400 },
    );
  });

  const projection = fc.oneof(
    // 'a' with 'a.x' is a path collision (an error in mongod too): not generated.
    fc.subarray(['a', 'b', 'c', 'a.x'], { minLength: 1 }).filter((f) => !(f.includes('a') && f.includes('a.x'))).map((fields) => ({ inc: fields, exc: [] as string[], slice: undefined as undefined | [string, number] })),
    fc.subarray(['a', 'b', 'c', 'a.x'], { minLength: 1 }).filter((f) => !(f.includes('a') && f.includes('a.x'))).map((fields) => ({ inc: [] as string[], exc: fields, slice: undefined as undefined | [string, number] })),
    fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: -3, max: 3 }), fc.subarray(['b', 'c'])).map(([f, n, exc]) => ({
      inc: [] as string[],
      exc: exc.filter((e) => e !== f),
      slice: [f, n] as [string, number],
    })),
  );

  /** Model of find projections (MongoDB 4.4+): paths through arrays keep only sub-documents on inclusion. */
  function include(v: V, parts: string[]): V {
    if (Array.isArray(v)) return v.filter((el) => isObj(el) || Array.isArray(el)).map((el) => include(el, parts));
    if (!isObj(v)) return undefined;
    const [k, ...rest] = parts;
    if (!Object.prototype.hasOwnProperty.call(v, k)) return {};
    return { [k]: rest.length ? include(v[k], rest) : v[k] };
  }
  function merge(a: V, b: V): V {
    if (isObj(a) && isObj(b)) {
      const out: Doc = { ...a };
      for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
      return out;
    }
    if (Array.isArray(a) && Array.isArray(b)) return a.map((x, i) => merge(x, b[i]));
    return b;
  }
  function exclude(v: V, parts: string[]): V {
    if (Array.isArray(v)) return v.map((el) => (isObj(el) || Array.isArray(el) ? exclude(el, parts) : el));
    if (!isObj(v)) return v;
    const [k, ...rest] = parts;
    if (!Object.prototype.hasOwnProperty.call(v, k)) return v;
    if (!rest.length) {
      const others = { ...v };
      delete others[k];
      return others;
    }
    return { ...v, [k]: exclude(v[k], rest) };
  }
  const slice = (arr: V, n: number) => (Array.isArray(arr) ? (n >= 0 ? arr.slice(0, n) : arr.slice(Math.max(0, arr.length + n))) : arr);
  /** Keys in the stored document's order (mongod keeps it), `_id` first. */
  function inOrder(projected: Doc, original: Doc): Doc {
    const out: Doc = {};
    for (const k of Object.keys(original)) if (k in projected) out[k] = isObj(projected[k]) && isObj(original[k]) ? inOrder(projected[k] as Doc, original[k] as Doc) : projected[k];
    return out;
  }

  it('projections: inclusion, exclusion and $slice (alone or beside exclusions)', () => {
    fc.assert(
      fc.property(doc, projection, (d, p) => {
        let expected: V;
        const spec: Doc = {};
        if (p.inc.length) {
          for (const f of p.inc) spec[f] = 1;
          expected = inOrder(p.inc.reduce<V>((acc, f) => merge(acc, include(d, f.split('.'))), { _id: d._id }) as Doc, d);
        } else {
          for (const f of p.exc) spec[f] = 0;
          expected = p.exc.reduce<V>((acc, f) => exclude(acc, f.split('.')), d);
          if (p.slice) {
            const [f, n] = p.slice;
            spec[f] = { $slice: n };
            if (Object.prototype.hasOwnProperty.call(expected, f)) expected = { ...(expected as Doc), [f]: slice((expected as Doc)[f], n) };
          }
        }
        const [actual] = projectDocuments([clone(d)], spec);
        expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 300 },
    );
  });

  it('$elemMatch projections return _id and the first matching element', () => {
    fc.assert(
      fc.property(doc, fc.integer({ min: 0, max: 3 }), (d, k) => {
        const [actual] = projectDocuments([clone(d)], { a: { $elemMatch: { $gte: k } } });
        const hit = Array.isArray(d['a']) ? d['a'].find((el) => typeof el === 'number' && el >= k) : undefined;
        expect(actual).toEqual(hit === undefined ? { _id: 1 } : { _id: 1, a: [hit] });
      }),
      { numRuns: 200 },
    );
  });
});
