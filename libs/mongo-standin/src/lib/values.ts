import { Binary, Document, Double, Int32, Long, ObjectId, Timestamp } from 'bson';
import { badValue, notSupported } from './errors';

/**
 * Internal documents hold plain JS numbers so mingo can compare them. Numbers whose BSON type
 * cannot be inferred back from the JS value (int64, or an integral double) are recorded in a
 * hidden per-container annotation, keyed by field name, and restored when sent to the client.
 */
export const NUM_TYPES: unique symbol = Symbol('mongo-standin.numTypes');
export type NumType = 'long' | 'double';
type Annotated = Record<string | symbol, unknown> & { [NUM_TYPES]?: Record<string, NumType> };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

export function getNumType(container: unknown, key: string): NumType | undefined {
  return (container as Annotated | undefined)?.[NUM_TYPES]?.[key];
}

export function setNumType(container: object, key: string, type: NumType | undefined): void {
  const c = container as Annotated;
  if (type) {
    let types = Object.prototype.hasOwnProperty.call(c, NUM_TYPES) ? c[NUM_TYPES] : undefined;
    if (!types) {
      types = {};
      Object.defineProperty(c, NUM_TYPES, { value: types, enumerable: false, writable: true, configurable: true });
    }
    types[key] = type;
  } else {
    const types = c[NUM_TYPES];
    if (types) delete types[key];
  }
}

function convertNumber(v: unknown, container: object, key: string): unknown {
  if (v instanceof Int32) return v.value;
  if (v instanceof Double) {
    const n = v.value;
    if (Number.isInteger(n) && n >= -2147483648 && n <= 2147483647) setNumType(container, key, 'double');
    return n;
  }
  if (v instanceof Long) {
    if (v.greaterThan(Long.fromNumber(Number.MAX_SAFE_INTEGER)) || v.lessThan(Long.fromNumber(-Number.MAX_SAFE_INTEGER))) {
      throw notSupported(`int64 values beyond ±2^53 (got ${v.toString()})`);
    }
    setNumType(container, key, 'long');
    return v.toNumber();
  }
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw notSupported(`int64 values beyond ±2^53 (got ${v})`);
    }
    setNumType(container, key, 'long');
    return Number(v);
  }
  return undefined;
}

/** Converts a freshly deserialised wire value into the internal representation (in place). */
export function fromWire<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = convertValue(value[i], value, String(i));
    return value;
  }
  if (isPlainObject(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) obj[key] = convertValue(obj[key], obj, key);
    return value;
  }
  return convertValue(value, {}, '') as T;
}

/**
 * Short strings repeat across documents (status, city, category…); sharing one copy saves tens of
 * bytes per field. The cache is bounded and simply reset when full.
 */
const internedStrings = new Map<string, string>();
const MAX_INTERNED_LENGTH = 16;
const MAX_INTERNED_STRINGS = 50_000;

function intern(s: string): string {
  if (s.length > MAX_INTERNED_LENGTH) return s;
  const shared = internedStrings.get(s);
  if (shared !== undefined) return shared;
  if (internedStrings.size >= MAX_INTERNED_STRINGS) internedStrings.clear();
  internedStrings.set(s, s);
  return s;
}

function convertValue(v: unknown, container: object, key: string): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'string') return intern(v);
    if (typeof v === 'bigint') return convertNumber(v, container, key);
    return v;
  }
  const num = convertNumber(v, container, key);
  if (num !== undefined) return num;
  if (Array.isArray(v) || isPlainObject(v)) return fromWire(v);
  const bsontype = (v as { _bsontype?: string })._bsontype;
  if (bsontype === 'Decimal128') {
    throw notSupported('Decimal128 values (store money as integer minor units, e.g. fen)');
  }
  if (bsontype === 'Code') throw notSupported('BSON JavaScript code values');
  if (bsontype === 'DBRef') {
    // Stored as the plain {$ref, $id, $db} document it is in BSON, so paths like 'ref.$id' resolve.
    const ref = v as unknown as { collection: string; oid: unknown; db?: string; fields?: Record<string, unknown> };
    const plain: Record<string, unknown> = { $ref: ref.collection, $id: ref.oid };
    if (ref.db) plain['$db'] = ref.db;
    for (const [k, f] of Object.entries(ref.fields ?? {})) plain[k] = f;
    return fromWire(plain);
  }
  return v;
}

/** Converts an internal value back to wire form, restoring int64/double annotations. */
export function toWire(value: unknown): unknown {
  if (Array.isArray(value)) {
    const types = (value as unknown as Annotated)[NUM_TYPES];
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const converted = convertOut(value[i], types?.[String(i)]);
      if (converted !== value[i]) {
        out ??= value.slice();
        out[i] = converted;
      }
    }
    return out ?? value;
  }
  if (isPlainObject(value)) {
    const types = (value as Annotated)[NUM_TYPES];
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const v = value[key];
      const converted = convertOut(v, types?.[key]);
      if (converted !== v) {
        out ??= { ...value };
        out[key] = converted;
      }
    }
    return out ?? value;
  }
  return value;
}

function convertOut(v: unknown, type: NumType | undefined): unknown {
  if (typeof v === 'number') {
    if (type === 'long' && Number.isInteger(v)) return Long.fromNumber(v);
    if (type === 'double') return new Double(v);
    return v;
  }
  if (v !== null && typeof v === 'object') return toWire(v);
  return v;
}

/** Assigns an own property, also for the key `__proto__` (a plain assignment would set the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Deep copy of plain objects/arrays keeping numeric annotations; BSON value objects are shared (immutable). */
export function cloneDoc<T>(value: T): T {
  if (Array.isArray(value)) {
    const out = value.map((v) => cloneDoc(v));
    copyAnnotations(out, value);
    return out as T;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, cloneDoc(value[key]));
    copyAnnotations(out, value);
    return out as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  return value;
}

function copyAnnotations(target: object, source: object): void {
  const types = (source as Annotated)[NUM_TYPES];
  if (types) for (const [k, t] of Object.entries(types)) setNumType(target, k, t);
}

/** Re-attaches annotations from `original` onto a derived object (projection output) where values still match. */
export function reannotate(derived: unknown, original: unknown): void {
  if (derived === null || typeof derived !== 'object' || original === null || typeof original !== 'object') return;
  if (!(Array.isArray(derived) || isPlainObject(derived))) return;
  const types = (original as Annotated)[NUM_TYPES];
  for (const key of Object.keys(derived)) {
    const d = (derived as Record<string, unknown>)[key];
    const o = (original as Record<string, unknown>)[key];
    if (typeof d === 'number' && d === o && types?.[key]) setNumType(derived, key, types[key]);
    else if (d !== o) reannotate(d, o);
  }
}

// ---------------------------------------------------------------------------------------------
// Ordering and identity of values (MongoDB's BSON comparison order).

export function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 1;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    case 'boolean':
      return 8;
  }
  if (Array.isArray(v)) return 5;
  if (v instanceof Date) return 9;
  if (v instanceof RegExp) return 11;
  if (isPlainObject(v)) return 4;
  switch ((v as { _bsontype?: string })._bsontype) {
    case 'MinKey':
      return 0;
    case 'MaxKey':
      return 12;
    case 'Binary':
      return 6;
    case 'ObjectId':
      return 7;
    case 'Timestamp':
      return 10;
    case 'BSONRegExp':
      return 11;
  }
  return 4;
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 2:
    case 3:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 8:
      return a === b ? 0 : a ? 1 : -1;
    case 9:
      return Math.sign((a as Date).getTime() - (b as Date).getTime());
    case 7: {
      const x = (a as ObjectId).toHexString();
      const y = (b as ObjectId).toHexString();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 5: {
      const xs = a as unknown[];
      const ys = b as unknown[];
      for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
        const c = compareValues(xs[i], ys[i]);
        if (c) return c;
      }
      return Math.sign(xs.length - ys.length);
    }
    case 4: {
      const xo = a as Record<string, unknown>;
      const yo = b as Record<string, unknown>;
      const xk = Object.keys(xo);
      const yk = Object.keys(yo);
      for (let i = 0; i < Math.min(xk.length, yk.length); i++) {
        const c = compareValues(xo[xk[i]], yo[yk[i]]) || (xk[i] < yk[i] ? -1 : xk[i] > yk[i] ? 1 : 0);
        if (c) return c;
      }
      return Math.sign(xk.length - yk.length);
    }
    case 6: {
      // mongod's order: length, then subtype, then bytes.
      const x = (a as Binary).buffer;
      const y = (b as Binary).buffer;
      if (x.length !== y.length) return Math.sign(x.length - y.length);
      const st = (a as Binary).sub_type - (b as Binary).sub_type;
      if (st) return Math.sign(st);
      return Buffer.compare(Buffer.from(x), Buffer.from(y));
    }
    case 10:
      return (a as Timestamp).compare(b as Timestamp);
    case 11:
      return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  }
  return 0;
}

/**
 * Concatenation leaves V8 cons-string trees (tens of bytes per piece); keys kept in maps for every
 * document are flattened so the garbage collector can drop the pieces.
 */
function flat(s: string): string {
  Number(s); // forces V8 to flatten the string in place
  return s;
}

/** A string that is equal for two values exactly when MongoDB considers them equal (used for `_id` and unique keys). */
export function keyString(v: unknown): string {
  return flat(rawKeyString(v));
}

/** Key string of a compound index key. */
export function tupleKeyString(values: unknown[]): string {
  return values.length === 1 ? keyString(values[0]) : flat(values.map(rawKeyString).join('|'));
}

function rawKeyString(v: unknown): string {
  if (v === undefined || v === null) return 'z';
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? 'n0' : 'n' + v;
    case 'bigint':
      return 'n' + v;
    case 'string':
      return 's' + JSON.stringify(v);
    case 'boolean':
      return v ? 'b1' : 'b0';
  }
  if (Array.isArray(v)) return '[' + v.map(rawKeyString).join(',') + ']';
  if (v instanceof Date) return 'd' + v.getTime();
  if (v instanceof RegExp) return 'r' + JSON.stringify(v.source + '/' + v.flags);
  if (isPlainObject(v)) {
    return '{' + Object.keys(v).map((k) => JSON.stringify(k) + ':' + rawKeyString(v[k])).join(',') + '}';
  }
  const bsontype = (v as { _bsontype?: string })._bsontype;
  switch (bsontype) {
    case 'ObjectId':
      // One flat 13-char string: toHexString() yields a tree of cons strings (~230 bytes per id).
      return String.fromCharCode(111, ...(v as ObjectId).id);
    case 'Binary':
      return 'x' + (v as Binary).sub_type + ':' + Buffer.from((v as Binary).buffer).toString('base64');
    case 'Timestamp':
      return 't' + (v as Timestamp).toString();
    case 'MinKey':
      return 'min';
    case 'MaxKey':
      return 'max';
  }
  return 'u' + bsontype + ':' + String(v);
}

/** All values reachable by a dotted path, expanding arrays like MongoDB does for indexes and sorts. */
export function pathValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else for (const v of value) out.push(v);
    } else out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[i];
    if (/^\d+$/.test(part) && Number(part) < value.length) {
      collect(value[Number(part)], parts, i + 1, out);
      return;
    }
    let any = false;
    for (const el of value) {
      if (el !== null && typeof el === 'object' && !Array.isArray(el)) {
        collect(el, parts, i, out);
        any = true;
      }
    }
    if (!any) out.push(undefined);
    return;
  }
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    collect((value as Record<string, unknown>)[parts[i]], parts, i + 1, out);
    return;
  }
  out.push(undefined);
}

/** Sort key of a document for one field: min element ascending, max element descending (MongoDB rule). */
export function sortKey(doc: unknown, path: string, direction: 1 | -1): unknown {
  const values = pathValues(doc, path);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareValues(values[i], best);
    if ((direction === 1 && c < 0) || (direction === -1 && c > 0)) best = values[i];
  }
  return best === undefined ? null : best;
}

export type SortSpec = Array<[string, 1 | -1]>;

export function parseSort(sort: unknown): SortSpec | undefined {
  if (sort === undefined || sort === null) return undefined;
  if (!isPlainObject(sort)) throw badValue('sort must be a document');
  const spec: SortSpec = [];
  for (const [field, dir] of Object.entries(sort)) {
    if (isPlainObject(dir)) throw notSupported(`sort by ${JSON.stringify(dir)} (e.g. $meta textScore)`);
    const n = Number(dir);
    if (n !== 1 && n !== -1) throw badValue(`bad sort specification for ${field}: ${String(dir)}`);
    spec.push([field, n]);
  }
  return spec.length ? spec : undefined;
}

/** Sorts rows by a MongoDB sort spec, computing each row's sort keys once. */
export function sortRows<T>(rows: T[], spec: SortSpec, docOf: (row: T) => Document): T[] {
  const decorated = rows.map((row) => ({ row, keys: spec.map(([field, dir]) => sortKey(docOf(row), field, dir)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < spec.length; i++) {
      const c = compareValues(a.keys[i], b.keys[i]);
      if (c) return spec[i][1] === 1 ? c : -c;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}

export { isPlainObject };
