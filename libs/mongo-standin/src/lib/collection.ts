import { Query } from 'mingo/query';
import { MINGO_OPTIONS } from './type-operator';
import { UUID } from 'bson';
import { CommandError, badValue } from './errors';
import { SortedList } from './sorted-list';
import { compareValues, keyString, pathValues, tupleKeyString, typeRank } from './values';

export type Doc = Record<string, unknown>;

/** One committed state of a document; older states are kept only while a transaction snapshot needs them. */
export interface Version {
  doc: Doc | null;
  ts: number;
  prev?: Version;
}

export interface IndexSpec {
  key: Record<string, 1 | -1>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
}

interface IndexEntry {
  k: unknown[];
  id: string;
}

/** A closed/open interval over one key field of an index, confined to one BSON type bracket. */
export interface KeyRange {
  /** Set by an equality only: `{$gte: 1, $lte: 1}` is an interval, which on an array two elements can meet. */
  point?: true;
  lo?: unknown;
  loInclusive: boolean;
  hi?: unknown;
  hiInclusive: boolean;
  typeRank: number;
}

function pathTouchesArray(doc: unknown, path: string): boolean {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(v)) return true;
    if (v === null || typeof v !== 'object') return false;
    v = (v as Doc)[part];
  }
  return Array.isArray(v);
}

/**
 * A range's two ends as predicates in index order on a field of direction `dir`: `first` holds from
 * the range's first entry onwards, `last` holds up to its last entry (both monotone over the index).
 */
function rangeEnds(range: KeyRange, dir: 1 | -1): { first: (v: unknown) => boolean; last: (v: unknown) => boolean } {
  const aboveLo = (v: unknown) => {
    if (range.lo === undefined) return typeRank(v) >= range.typeRank;
    const c = compareValues(v, range.lo);
    return range.loInclusive ? c >= 0 : c > 0;
  };
  const belowHi = (v: unknown) => {
    if (range.hi === undefined) return typeRank(v) <= range.typeRank;
    const c = compareValues(v, range.hi);
    return range.hiInclusive ? c <= 0 : c < 0;
  };
  return dir === 1 ? { first: aboveLo, last: belowHi } : { first: belowHi, last: aboveLo };
}

export class Index {
  readonly fields: Array<[string, 1 | -1]>;
  readonly entries: SortedList<IndexEntry>;
  readonly uniqueKeys?: Map<string, string>;
  private readonly partial?: Query;
  multikey = false;
  /** Per key field: whether some document ever had an array on its path (never reset, so conservative). */
  readonly multikeyFields: boolean[];

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.entries(spec.key).map(([f, d]) => [f, d]);
    const fields = this.fields;
    this.multikeyFields = fields.map(() => false);
    this.entries = new SortedList<IndexEntry>((a, b) => {
      for (let i = 0; i < fields.length; i++) {
        const c = compareValues(a.k[i], b.k[i]);
        if (c) return fields[i][1] === 1 ? c : -c;
      }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    // The _id index's uniqueness is the collection's record map itself: no second map of every id.
    if (spec.unique && spec.name !== '_id_') this.uniqueKeys = new Map();
    if (spec.partialFilterExpression) this.partial = new Query(spec.partialFilterExpression, MINGO_OPTIONS);
  }

  get name(): string {
    return this.spec.name;
  }

  /** Whether query planning may rely on this index holding every document. */
  get coversAllDocuments(): boolean {
    return !this.spec.sparse && !this.partial;
  }

  /** Index keys of a document (several for array fields), or none if sparse/partial excludes it. */
  keysOf(doc: Doc): unknown[][] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.fields.map(([field]) => {
      const seen = new Map<string, unknown>();
      for (const v of pathValues(doc, field)) seen.set(keyString(v ?? null), v === undefined ? null : v);
      return [...seen.values()];
    });
    if (this.spec.sparse && this.fields.every(([field]) => pathValues(doc, field).every((v) => v === undefined))) {
      return [];
    }
    const arrayFields = perField.filter((values) => values.length > 1).length;
    if (arrayFields > 1) {
      throw new CommandError(171, 'CannotIndexParallelArrays', `cannot index parallel arrays in index ${this.name}`);
    }
    let keys: unknown[][] = [[]];
    for (const values of perField) keys = keys.flatMap((prefix) => values.map((v) => [...prefix, v]));
    return keys;
  }

  /** Throws the MongoDB duplicate-key error if `doc` would collide with another document's key. */
  checkUnique(ns: string, id: string, doc: Doc, isOtherHolder: (holderId: string) => boolean = () => true): void {
    if (!this.uniqueKeys) return;
    for (const key of this.keysOf(doc)) {
      const holder = this.uniqueKeys.get(tupleKeyString(key));
      if (holder !== undefined && holder !== id && isOtherHolder(holder)) throw this.duplicateKeyError(ns, key);
    }
  }

  duplicateKeyError(ns: string, key: unknown[]): CommandError {
    const keyValue: Doc = {};
    this.fields.forEach(([field], i) => (keyValue[field] = key[i]));
    const shown = this.fields.map(([field], i) => `${field}: ${JSON.stringify(key[i] ?? null)}`).join(', ');
    return new CommandError(
      11000,
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: { ${shown} }`,
      [],
      { keyPattern: { ...this.spec.key }, keyValue },
    );
  }

  add(id: string, doc: Doc): void {
    for (const k of this.keysOf(doc)) {
      this.entries.insert({ k, id });
      this.uniqueKeys?.set(tupleKeyString(k), id);
    }
    this.fields.forEach(([field], i) => {
      if (!this.multikeyFields[i] && pathTouchesArray(doc, field)) {
        this.multikeyFields[i] = true;
        this.multikey = true;
      }
    });
  }

  remove(id: string, doc: Doc): void {
    for (const k of this.keysOf(doc)) {
      this.entries.remove({ k, id });
      const ks = tupleKeyString(k);
      if (this.uniqueKeys?.get(ks) === id) this.uniqueKeys.delete(ks);
    }
  }

  /** Ids of documents whose first key field lies in `range`. */
  *scan(range: KeyRange): IterableIterator<string> {
    const { first, last } = rangeEnds(range, this.fields[0][1]);
    for (const entry of this.entries.from((e) => first(e.k[0]))) {
      if (!last(entry.k[0])) return;
      yield entry.id;
    }
  }

  /**
   * Ids of documents whose leading key fields equal `points` and whose next field lies in `range`
   * (any value when omitted): one contiguous stretch of the index, walked in index order (`forward`)
   * or backwards. A document is yielded once per matching key (several only when a later field is multikey).
   */
  *scanPrefix(points: unknown[], range: KeyRange | undefined, forward: boolean): IterableIterator<string> {
    const k = points.length;
    const fields = this.fields;
    const prefixOrder = (e: IndexEntry) => {
      for (let i = 0; i < k; i++) {
        const c = compareValues(e.k[i], points[i]);
        if (c) return fields[i][1] === 1 ? c : -c;
      }
      return 0;
    };
    const always = () => true;
    const { first, last } = range && k < fields.length ? rangeEnds(range, fields[k][1]) : { first: always, last: always };
    if (forward) {
      for (const entry of this.entries.from((e) => {
        const c = prefixOrder(e);
        return c > 0 || (c === 0 && first(e.k[k]));
      })) {
        if (prefixOrder(entry) !== 0 || !last(entry.k[k])) return;
        yield entry.id;
      }
    } else {
      for (const entry of this.entries.before((e) => {
        const c = prefixOrder(e);
        return c > 0 || (c === 0 && !last(e.k[k]));
      })) {
        if (prefixOrder(entry) !== 0 || !first(entry.k[k])) return;
        yield entry.id;
      }
    }
  }

  /** Ids in index order (forward) or reverse order. */
  *ordered(forward: boolean): IterableIterator<string> {
    for (const entry of forward ? this.entries.from() : this.entries.before()) yield entry.id;
  }

  describe(): Doc {
    const out: Doc = { v: 2, key: { ...this.spec.key }, name: this.name };
    if (this.spec.unique && this.name !== '_id_') out['unique'] = true;
    if (this.spec.sparse) out['sparse'] = true;
    if (this.spec.partialFilterExpression) out['partialFilterExpression'] = this.spec.partialFilterExpression;
    if (this.spec.expireAfterSeconds !== undefined) out['expireAfterSeconds'] = this.spec.expireAfterSeconds;
    return out;
  }
}

export class Collection {
  readonly records = new Map<string, Version>();
  readonly indexes = new Map<string, Index>();
  /** Writes made while transactions were open: lets snapshot reads find documents changed since. */
  recent: Array<{ ts: number; id: string }> = [];
  readonly uuid = new UUID();
  liveCount = 0;

  constructor(
    readonly db: string,
    readonly name: string,
  ) {
    this.indexes.set('_id_', new Index({ key: { _id: 1 }, name: '_id_', unique: true }));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** The document as seen by a snapshot taken at logical time `ts` (or the latest state). */
  visible(id: string, ts?: number): Doc | null {
    let v = this.records.get(id);
    if (ts !== undefined) while (v && v.ts > ts) v = v.prev;
    return v?.doc ?? null;
  }

  createIndex(spec: IndexSpec): Index {
    const index = new Index(spec);
    for (const [id, v] of this.records) {
      if (!v.doc) continue;
      index.checkUnique(this.ns, id, v.doc);
      index.add(id, v.doc);
    }
    this.indexes.set(spec.name, index);
    return index;
  }

  /**
   * Commits a new state for one document at logical time `ts`, maintaining every index.
   * Returns an undo function (used to roll back a transaction commit that fails half way).
   */
  applyWrite(id: string, doc: Doc | null, ts: number, keepHistoryAfter: number | undefined): () => void {
    const old = this.records.get(id);
    const oldDoc = old?.doc ?? null;
    if (doc) for (const index of this.indexes.values()) index.checkUnique(this.ns, id, doc);
    for (const index of this.indexes.values()) {
      if (oldDoc) index.remove(id, oldDoc);
      if (doc) index.add(id, doc);
    }
    this.liveCount += (doc ? 1 : 0) - (oldDoc ? 1 : 0);
    if (keepHistoryAfter !== undefined) {
      // Keep older versions down to the newest one every open snapshot can still see.
      let keep = old;
      while (keep && keep.ts > keepHistoryAfter) keep = keep.prev;
      if (keep) keep.prev = undefined;
      this.records.set(id, { doc, ts, prev: old });
      this.recent.push({ ts, id });
    } else if (doc) {
      this.records.set(id, { doc, ts });
    } else {
      this.records.delete(id);
    }
    return () => {
      for (const index of this.indexes.values()) {
        if (doc) index.remove(id, doc);
        if (oldDoc) index.add(id, oldDoc);
      }
      this.liveCount += (oldDoc ? 1 : 0) - (doc ? 1 : 0);
      if (old) this.records.set(id, old);
      else this.records.delete(id);
    };
  }

  /**
   * Drops versions no open snapshot can see: everything when no transaction is open (`floor`
   * undefined), else whatever was superseded at or before the oldest open snapshot.
   */
  pruneHistory(floor: number | undefined): void {
    const kept: Array<{ ts: number; id: string }> = [];
    for (const change of this.recent) {
      if (floor !== undefined && change.ts > floor) {
        kept.push(change);
        continue;
      }
      const v = this.records.get(change.id);
      if (!v || (floor !== undefined && v.ts > floor)) continue;
      if (v.doc === null) this.records.delete(change.id);
      else v.prev = undefined;
    }
    this.recent = kept;
  }

  *liveDocuments(): IterableIterator<[string, Doc]> {
    for (const [id, v] of this.records) if (v.doc) yield [id, v.doc];
  }
}

export function validateIndexSpec(raw: Doc): IndexSpec {
  const key = raw['key'];
  const name = raw['name'];
  if (!key || typeof key !== 'object') throw badValue('index specification needs a key document');
  if (typeof name !== 'string') throw badValue('index specification needs a name');
  const normalizedKey: Record<string, 1 | -1> = {};
  for (const [field, dir] of Object.entries(key as Doc)) {
    if (typeof dir === 'string') throw notSupportedIndex(dir);
    const n = Number(dir);
    if (n !== 1 && n !== -1) throw badValue(`bad index key direction for ${field}: ${String(dir)}`);
    normalizedKey[field] = n;
  }
  for (const option of ['collation', 'wildcardProjection', 'weights', '2dsphereIndexVersion', 'textIndexVersion']) {
    if (raw[option] !== undefined) throw notSupportedIndex(option);
  }
  const spec: IndexSpec = { key: normalizedKey, name };
  if (raw['unique']) spec.unique = true;
  if (raw['sparse']) spec.sparse = true;
  if (raw['partialFilterExpression']) spec.partialFilterExpression = raw['partialFilterExpression'] as Doc;
  if (raw['expireAfterSeconds'] !== undefined) spec.expireAfterSeconds = Number(raw['expireAfterSeconds']);
  return spec;
}

function notSupportedIndex(what: string): CommandError {
  return new CommandError(
    238,
    'NotImplemented',
    `mongo-standin does not support index option/type '${what}' (text, 2d, 2dsphere, hashed, wildcard and collation indexes are refused)`,
  );
}

export function sameIndexSpec(a: IndexSpec, b: IndexSpec): boolean {
  return keyString(a.key) === keyString(b.key) && !!a.unique === !!b.unique && !!a.sparse === !!b.sparse &&
    keyString(a.partialFilterExpression ?? null) === keyString(b.partialFilterExpression ?? null) &&
    a.expireAfterSeconds === b.expireAfterSeconds;
}
