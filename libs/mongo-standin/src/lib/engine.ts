import { Query } from 'mingo/query';
import { CommandError, noSuchTransaction, notSupported, writeConflict } from './errors';
import { Collection, Doc, Index, IndexSpec, KeyRange } from './collection';
import { MINGO_OPTIONS } from './type-operator';
import { SortSpec, compareValues, isPlainObject, keyString, pathValues, sortRows, tupleKeyString, typeRank } from './values';

/** Journal hook: every committed change is handed over as one atomic batch. */
export interface JournalSink {
  append(entry: JournalEntry): void;
}

export type JournalEntry =
  | { op: 'writes'; writes: Array<{ db: string; coll: string; id: unknown; doc: Doc | null }> }
  | { op: 'createCollection'; db: string; coll: string }
  | { op: 'dropCollection'; db: string; coll: string }
  | { op: 'dropDatabase'; db: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string };

export class Transaction {
  readonly overlay = new Map<string, Map<string, Doc | null>>();
  /** Set when the transaction was aborted behind the client's back (conflict, lifetime limit). */
  abortReason?: CommandError;
  state: 'active' | 'committed' | 'aborted' = 'active';
  /** Plain writes parked until this transaction ends (they touched a document it has written). */
  readonly waiters: Array<() => void> = [];

  constructor(
    readonly sessionKey: string,
    readonly txnNumber: number,
    readonly snapshot: number,
    readonly startedAt: number,
  ) {}
}

export interface ExecContext {
  txn?: Transaction;
}

/**
 * Thrown by a plain write that hits a document an open transaction has written, before the command
 * changed anything: the command is parked and re-run when that transaction ends, as mongod does.
 */
export class WouldBlock extends Error {
  constructor(readonly holder: Transaction) {
    super('write waits for a transaction');
  }
}

/** Per-command bookkeeping that decides whether a plain write may wait instead of winning. */
export interface CommandScope {
  writes: number;
  mayWait: boolean;
}

export interface SelectOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  /** A `hint`: read this index whole (a sparse or partial one yields only the documents it holds), or the collection in natural order. */
  hint?: Index | 'natural';
}

export interface QueryStats {
  /** Name of the index the candidates came from; null for a collection scan. */
  index: string | null;
  /** Whether documents were read in sort order (so reading stopped at skip+limit). */
  ordered: boolean;
  docsExamined: number;
}

export interface EngineOptions {
  /** Wall clock in ms; injectable so TTL and transaction lifetime are testable without sleeping. */
  now?: () => number;
  transactionLifetimeLimitSeconds?: number;
}

/** Query operators that would otherwise be silently mis-evaluated or are not implemented. */
const REFUSED_QUERY_OPERATORS: Record<string, string> = {
  $text: '$text search (text indexes)',
  $where: '$where (server-side JavaScript)',
  $jsonSchema: '$jsonSchema',
  $near: 'geospatial queries ($near)',
  $nearSphere: 'geospatial queries ($nearSphere)',
  $geoWithin: 'geospatial queries ($geoWithin)',
  $geoIntersects: 'geospatial queries ($geoIntersects)',
  $function: '$function (server-side JavaScript)',
  $accumulator: '$accumulator (server-side JavaScript)',
};

export function assertSupportedExpression(value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) assertSupportedExpression(v);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const refused = REFUSED_QUERY_OPERATORS[key];
    if (refused) throw notSupported(refused);
    assertSupportedExpression(v);
  }
}

export { MINGO_OPTIONS };

export interface Matcher {
  test(doc: Doc): boolean;
}

const SIMPLE_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin']);

function isSimpleOperand(v: unknown): boolean {
  return v !== null && isIndexableValue(v);
}

/**
 * Most service queries are conjunctions of scalar comparisons ({sku: 'x', stock: {$gte: 1}}). They
 * are matched here directly, with MongoDB's array semantics (any element may satisfy a condition);
 * building a mingo Query costs more than the match itself. Anything else goes to mingo.
 */
function compileSimpleFilter(filter: Doc): Matcher | undefined {
  const checks: Array<(doc: Doc) => boolean> = [];
  for (const [field, cond] of Object.entries(filter)) {
    if (!field || field.startsWith('$') || field.split('.').some((p) => p === '' || /^\d+$/.test(p))) return undefined;
    const ops: Array<[string, unknown]> = isOperatorObject(cond) ? Object.entries(cond) : [['$eq', cond]];
    for (const [op, operand] of ops) {
      if (!SIMPLE_OPERATORS.has(op)) return undefined;
      const operands = op === '$in' || op === '$nin' ? operand : [operand];
      if (!Array.isArray(operands) || !operands.every(isSimpleOperand)) return undefined;
      const equalsAny = (v: unknown) => operands.some((o) => compareValues(v, o) === 0);
      let test: (values: unknown[]) => boolean;
      switch (op) {
        case '$eq':
        case '$in':
          test = (values) => values.some(equalsAny);
          break;
        case '$ne':
        case '$nin':
          test = (values) => !values.some(equalsAny);
          break;
        default: {
          const bound = operands[0];
          const rank = typeRank(bound);
          const ok = op === '$gt' ? (c: number) => c > 0 : op === '$gte' ? (c: number) => c >= 0 : op === '$lt' ? (c: number) => c < 0 : (c: number) => c <= 0;
          test = (values) => values.some((v) => typeRank(v) === rank && ok(compareValues(v, bound)));
        }
      }
      checks.push((doc) => test(pathValues(doc, field)));
    }
  }
  return { test: (doc) => checks.every((check) => check(doc)) };
}

export function compileFilter(filter: Doc | undefined): Matcher | undefined {
  if (!filter || Object.keys(filter).length === 0) return undefined;
  const simple = compileSimpleFilter(filter);
  if (simple) return simple;
  assertSupportedExpression(filter);
  try {
    return new Query(quoteDbRefs(filter), MINGO_OPTIONS);
  } catch (e) {
    throw new CommandError(2, 'BadValue', (e as Error).message);
  }
}

function isIndexableValue(v: unknown): boolean {
  if (v === undefined) return false;
  const rank = typeRank(v);
  return rank !== 4 && rank !== 5 && rank !== 11 && rank !== 0 && rank !== 12;
}

/** A DBRef's BSON form, {$ref, $id[, $db]}: a value, although its keys look like operators. */
export function isDbRefLike(v: unknown): boolean {
  return isPlainObject(v) && Object.keys(v)[0] === '$ref' && '$id' in v;
}

function isOperatorObject(v: unknown): v is Doc {
  return isPlainObject(v) && Object.keys(v).length > 0 && !isDbRefLike(v) && Object.keys(v).every((k) => k.startsWith('$'));
}

/** mingo would read a DBRef's `$ref`/`$id` keys as operators: compare such values with `$eq` instead. */
function quoteDbRefs(filter: Doc): Doc {
  let out: Doc | undefined;
  for (const [key, cond] of Object.entries(filter)) {
    let next = cond;
    if (isDbRefLike(cond)) next = { $eq: cond };
    else if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(cond)) next = cond.map((c) => (isPlainObject(c) ? quoteDbRefs(c) : c));
    else if (isPlainObject(cond) && Array.isArray(cond['$in']) && cond['$in'].some(isDbRefLike)) next = cond; // $in compares values as they are
    if (next !== cond) {
      out ??= { ...filter };
      out[key] = next;
    }
  }
  return out ?? filter;
}

/** Index ranges implied by one top-level condition, with a score saying how selective they are. */
function rangesFor(cond: unknown): { ranges: KeyRange[]; score: number } | undefined {
  const point = (v: unknown): KeyRange => ({ point: true, lo: v, hi: v, loInclusive: true, hiInclusive: true, typeRank: typeRank(v) });
  if (isIndexableValue(cond)) return { ranges: [point(cond)], score: 3 };
  if (cond instanceof RegExp) return prefixRange(cond);
  if (!isOperatorObject(cond)) return undefined;
  const all = cond['$all'];
  if (Array.isArray(all) && all.length > 0 && all.every(isIndexableValue)) {
    return { ranges: [point(all[0])], score: 3 }; // every match contains the first element
  }
  if (cond['$regex'] !== undefined) {
    const source = cond['$regex'];
    const options = typeof cond['$options'] === 'string' ? cond['$options'] : '';
    if (typeof source === 'string') return prefixRange(new RegExp(source, options.replace(/[^imsu]/g, '')));
    if (source instanceof RegExp) return prefixRange(source);
    return undefined;
  }
  if ('$eq' in cond && isIndexableValue(cond['$eq'])) return { ranges: [point(cond['$eq'])], score: 3 };
  const inValues = cond['$in'];
  if (Array.isArray(inValues) && inValues.every(isIndexableValue)) {
    const unique = new Map(inValues.map((v) => [keyString(v), v]));
    return { ranges: [...unique.values()].map(point), score: 2.5 };
  }
  let range: KeyRange | undefined;
  for (const [op, v] of Object.entries(cond)) {
    if (!['$gt', '$gte', '$lt', '$lte'].includes(op) || !isIndexableValue(v)) continue;
    range ??= { loInclusive: false, hiInclusive: false, typeRank: typeRank(v) };
    if (typeRank(v) !== range.typeRank) return undefined;
    if (op === '$gt' || op === '$gte') {
      range.lo = v;
      range.loInclusive = op === '$gte';
    } else {
      range.hi = v;
      range.hiInclusive = op === '$lte';
    }
  }
  if (!range) return undefined;
  return { ranges: [range], score: range.lo !== undefined && range.hi !== undefined ? 2 : 1 };
}

/** An equality: one key value, both ends inclusive. */
const isPointRange = (r: KeyRange) => r.point === true;

/** `^literal…` regexes (case-sensitive, single-line) only match strings within [literal, literal+1). */
function prefixRange(re: RegExp): { ranges: KeyRange[]; score: number } | undefined {
  if (re.flags.includes('i') || re.flags.includes('m') || re.source.includes('|')) return undefined;
  const match = /^\^([^.*+?^${}()|[\]\\]+)/.exec(re.source);
  if (!match) return undefined;
  const quantified = ['?', '*', '{'].includes(re.source[match[0].length]); // /^abc?/: the c is optional
  const prefix = quantified ? match[1].slice(0, -1) : match[1];
  if (!prefix) return undefined;
  const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return { ranges: [{ lo: prefix, loInclusive: true, hi: next, hiInclusive: false, typeRank: typeRank(prefix) }], score: 1.5 };
}

/** Chooses an index for the filter; returns the candidate ids it yields (a superset of the matches). */
export function planCandidates(coll: Collection, filter: Doc | undefined, sort?: SortSpec): Iterable<string> | undefined {
  return plan(coll, filter, sort)?.ids;
}

interface Plan {
  ids: Iterable<string>;
  /** True when the ids come out in the requested sort order, so reading may stop at skip+limit. */
  ordered: boolean;
  /** Name of the index read, for stats. */
  index: string;
}

interface ScoredPlan {
  score: number;
  index: Index;
  ordered: boolean;
  scan: () => Iterable<string>;
}

/** Conditions a conjunctive filter puts on each field: its top level plus the members of (nested) `$and`s. */
function conditionsByField(filter: Doc): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const visit = (f: Doc) => {
    for (const [field, cond] of Object.entries(f)) {
      if (field === '$and' && Array.isArray(cond)) {
        for (const member of cond) if (isPlainObject(member)) visit(member);
      } else if (!field.startsWith('$')) {
        const list = out.get(field);
        if (list) list.push(cond);
        else out.set(field, [cond]);
      }
    }
  };
  visit(filter);
  return out;
}

const NO_POINT = Symbol('no point');

/** The one value some condition pins the field to (equality, one-value `$in`, `$all`'s first element). */
function pointFor(conds: unknown[] | undefined): unknown {
  for (const cond of conds ?? []) {
    const found = rangesFor(cond);
    if (found?.ranges.length === 1 && isPointRange(found.ranges[0])) return found.ranges[0].lo;
  }
  return NO_POINT;
}

/** The best single interval some condition gives the field (both bounds beat one). */
function intervalFor(conds: unknown[] | undefined): { range: KeyRange; score: number } | undefined {
  let best: { range: KeyRange; score: number } | undefined;
  for (const cond of conds ?? []) {
    const found = rangesFor(cond);
    if (found?.ranges.length !== 1 || isPointRange(found.ranges[0])) continue;
    if (!best || found.score > best.score) best = { range: found.ranges[0], score: found.score };
  }
  return best;
}

/**
 * MongoDB's compound-index plan: equalities on a leading prefix of the index's fields, then an
 * optional interval on the next field, read as one contiguous stretch of the index. When the sort
 * (minus fields the equalities make constant) continues the index's fields from there, in the index's
 * direction or exactly reversed, the stretch is walked in sort order.
 * Score: 10 per equality field, the interval's selectivity, 5 for serving the sort, and 100 when
 * a unique index is fully pinned (at most one document).
 */
function compoundPlan(index: Index, conds: Map<string, unknown[]>, sort: SortSpec | undefined): ScoredPlan | undefined {
  const fields = index.fields;
  const points: unknown[] = [];
  while (points.length < fields.length) {
    const point = pointFor(conds.get(fields[points.length][0]));
    if (point === NO_POINT) break;
    points.push(point);
  }
  const k = points.length;
  // On a multikey field an interval's two bounds may be met by different elements: no tight bounds.
  const interval = k < fields.length && !index.multikeyFields[k] ? intervalFor(conds.get(fields[k][0])) : undefined;
  if (k === 0 && !interval) return undefined;
  const constant = (field: string) => fields.findIndex(([f], i) => i < k && f === field && !index.multikeyFields[i]) >= 0;
  const rest = (sort ?? []).filter(([field]) => !constant(field));
  let forward = true;
  let servesSort = false;
  if (sort) {
    servesSort = rest.every(([field, dir], i) => {
      const at = k + i;
      if (at >= fields.length || fields[at][0] !== field || index.multikeyFields[at]) return false;
      const same = fields[at][1] === dir;
      if (i === 0) forward = same;
      return same === forward;
    });
  }
  // Multikey fields past the equalities give a document several keys within the stretch.
  const dedupe = index.multikeyFields.some((multi, i) => multi && i >= k);
  const score = 10 * k + (interval?.score ?? 0) + (servesSort ? 5 : 0) + (index.spec.unique && k === fields.length ? 100 : 0);
  return {
    score,
    index,
    ordered: servesSort,
    scan: () => {
      const ids = index.scanPrefix(points, interval?.range, forward);
      return dedupe ? unique(ids) : ids;
    },
  };
}

/** Today's first-field plan for what the compound plan leaves out: multi-value `$in` and multikey intervals. */
function firstFieldPlan(index: Index, conds: Map<string, unknown[]>): ScoredPlan | undefined {
  let best: ScoredPlan | undefined;
  for (const cond of conds.get(index.fields[0][0]) ?? []) {
    const found = rangesFor(cond);
    if (!found) continue;
    let ranges = found.ranges;
    if (index.multikeyFields[0]) {
      // {a: {$gt: 1, $lt: 5}} matches [0, 9] in MongoDB: on arrays only one bound may be used.
      ranges = ranges.map((r) => (r.lo !== undefined && r.hi !== undefined && !isPointRange(r) ? { ...r, hi: undefined } : r));
    }
    const score = found.score + (index.spec.unique && index.fields.length === 1 ? 1 : 0);
    if (!best || score > best.score) best = { score, index, ordered: false, scan: () => scanRanges(index, ranges) };
  }
  return best;
}

function plan(coll: Collection, filter: Doc | undefined, sort?: SortSpec): Plan | undefined {
  if (!filter) return undefined;
  const idCond = filter['_id'];
  if (isIndexableValue(idCond)) return { ids: [keyString(idCond)], ordered: true, index: '_id_' };
  const conds = conditionsByField(filter);
  let best: ScoredPlan | undefined;
  for (const index of coll.indexes.values()) {
    if (!index.coversAllDocuments) continue;
    const candidate = compoundPlan(index, conds, sort) ?? firstFieldPlan(index, conds);
    if (candidate && (!best || candidate.score > best.score)) best = candidate;
  }
  if (!best) return undefined;
  return { ids: best.scan(), ordered: best.ordered, index: best.index.name };
}

function* unique(ids: Iterable<string>): Iterable<string> {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    yield id;
  }
}

function scanRanges(index: Index, ranges: KeyRange[]): Iterable<string> {
  return (function* () {
    const seen = ranges.length > 1 || index.multikey ? new Set<string>() : undefined;
    for (const range of ranges) {
      for (const id of index.scan(range)) {
        if (seen) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        yield id;
      }
    }
  })();
}

/** An index whose leading keys are the sort (same or exactly reversed directions), for a sort without usable conditions. */
function indexForSort(coll: Collection, sort: SortSpec): { index: Index; forward: boolean } | undefined {
  for (const index of coll.indexes.values()) {
    if (!index.coversAllDocuments || index.multikey || index.fields.length < sort.length) continue;
    let forward: boolean | undefined;
    let ok = true;
    for (let i = 0; i < sort.length && ok; i++) {
      const [field, dir] = index.fields[i];
      if (field !== sort[i][0]) ok = false;
      else {
        const same = dir === sort[i][1];
        if (forward === undefined) forward = same;
        else if (forward !== same) ok = false;
      }
    }
    if (ok && forward !== undefined) return { index, forward }; // a prefix of the keys is enough: ties follow the rest
  }
  return undefined;
}

function idIndex(coll: Collection): Index {
  const index = coll.indexes.get('_id_');
  if (!index) throw new Error(`collection ${coll.ns} lost its _id index`);
  return index;
}

export class Engine {
  readonly dbs = new Map<string, Map<string, Collection>>();
  readonly transactions = new Set<Transaction>();
  readonly sessions = new Map<string, Transaction>();
  private readonly locks = new Map<string, Transaction>();
  private clock = 0;
  journal?: JournalSink;
  /** Set by the command handler while it runs one command. */
  scope?: CommandScope;
  readonly now: () => number;
  /** MongoDB's transactionLifetimeLimitSeconds (settable at run time with setParameter, as in mongod). */
  transactionLifetimeMs: number;
  /** How the last select ran (explain-like, for tests and benchmarks): index read, streamed in sort order, documents read. */
  lastQueryStats: QueryStats = { index: null, ordered: false, docsExamined: 0 };

  constructor(options: EngineOptions = {}) {
    this.now = options.now ?? Date.now;
    this.transactionLifetimeMs = (options.transactionLifetimeLimitSeconds ?? 60) * 1000;
  }

  // ------------------------------------------------------------------ catalog

  getCollection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  ensureCollection(db: string, name: string): Collection {
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    let coll = colls.get(name);
    if (!coll) {
      if (!name || name.includes('$') || name.startsWith('system.')) {
        throw new CommandError(73, 'InvalidNamespace', `Invalid collection name: ${db}.${name}`);
      }
      coll = new Collection(db, name);
      colls.set(name, coll);
      this.journal?.append({ op: 'createCollection', db, coll: name });
    }
    return coll;
  }

  dropCollection(db: string, name: string): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.has(name)) return false;
    this.assertNoOpenTransactionTouches(`${db}.${name}`);
    colls.delete(name);
    this.journal?.append({ op: 'dropCollection', db, coll: name });
    return true;
  }

  dropDatabase(db: string): void {
    for (const name of this.dbs.get(db)?.keys() ?? []) this.assertNoOpenTransactionTouches(`${db}.${name}`);
    this.dbs.delete(db);
    this.journal?.append({ op: 'dropDatabase', db });
  }

  private assertNoOpenTransactionTouches(ns: string): void {
    for (const txn of this.transactions) {
      if (txn.overlay.has(ns)) this.abortTransaction(txn, writeConflict(`collection ${ns} was dropped`));
    }
  }

  createIndex(db: string, name: string, spec: IndexSpec): void {
    const coll = this.ensureCollection(db, name);
    coll.createIndex(spec);
    this.journal?.append({ op: 'createIndex', db, coll: name, spec });
  }

  dropIndex(db: string, name: string, indexName: string): void {
    const coll = this.getCollection(db, name);
    coll?.indexes.delete(indexName);
    this.journal?.append({ op: 'dropIndex', db, coll: name, name: indexName });
  }

  // ------------------------------------------------------------------ reads

  /** The document with internal id `id` as the context sees it (own transaction writes, then snapshot). */
  read(coll: Collection | undefined, ns: string, id: string, ctx: ExecContext): Doc | null {
    const overlay = ctx.txn?.overlay.get(ns);
    if (overlay?.has(id)) return overlay.get(id) ?? null;
    if (!coll) return null;
    return ctx.txn ? coll.visible(id, ctx.txn.snapshot) : (coll.records.get(id)?.doc ?? null);
  }

  /** Matching documents as [internal id, document] pairs, sorted and paged. Documents must not be mutated. */
  select(db: string, name: string, filter: Doc | undefined, ctx: ExecContext, opts: SelectOptions = {}): Array<[string, Doc]> {
    if (opts.sort?.some(([field]) => field === '$natural')) {
      // Natural order is insertion order; {$natural: -1} reverses it.
      if (opts.sort.length > 1) throw new CommandError(2, 'BadValue', '$natural cannot be combined with other sort keys');
      const rows = this.select(db, name, filter, ctx, { sort: undefined });
      if (opts.sort[0][1] === -1) rows.reverse();
      const start = opts.skip ?? 0;
      return rows.slice(start, opts.limit ? start + opts.limit : undefined);
    }
    const ns = `${db}.${name}`;
    const coll = this.getCollection(db, name);
    const overlay = ctx.txn?.overlay.get(ns);
    const query = compileFilter(filter); // before the early return: an invalid filter is an error even on a missing collection
    if (!coll && !overlay) return [];
    const txn = ctx.txn;
    const changedSinceSnapshot = txn && coll ? coll.recent.filter((r) => r.ts > txn.snapshot) : [];
    const snapshotIsCurrent = !overlay?.size && changedSinceSnapshot.length === 0;

    let ids: Iterable<string> = coll ? coll.records.keys() : [];
    let needsDedupe = false;
    let ordered = false;
    let indexName: string | null = null;
    const planned = coll && !opts.hint ? plan(coll, filter, opts.sort) : undefined;
    if (opts.hint instanceof Index) {
      const hinted = opts.hint;
      ids = hinted.multikey ? unique(hinted.ordered(true)) : hinted.ordered(true);
      indexName = hinted.name;
    } else if (opts.hint === 'natural') {
      // the collection's own order, below
    } else if (planned) {
      ids = planned.ids;
      ordered = !!opts.sort && planned.ordered && snapshotIsCurrent;
      indexName = planned.index;
    } else if (opts.sort && coll && snapshotIsCurrent && !opts.hint) {
      const bySort = indexForSort(coll, opts.sort);
      if (bySort) {
        ids = bySort.index.ordered(bySort.forward);
        ordered = true;
        indexName = bySort.index.name;
      }
    }
    if (!snapshotIsCurrent) {
      const extra = [...(overlay?.keys() ?? []), ...changedSinceSnapshot.map((r) => r.id)];
      const base = ids;
      ids = (function* () {
        yield* base;
        yield* extra;
      })();
      needsDedupe = true;
    }

    const wanted = ordered && opts.limit ? (opts.skip ?? 0) + opts.limit : Infinity;
    const out: Array<[string, Doc]> = [];
    const seen = needsDedupe ? new Set<string>() : undefined;
    let docsExamined = 0;
    for (const id of ids) {
      if (seen) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      docsExamined++;
      const doc = this.read(coll, ns, id, ctx);
      if (!doc) continue;
      if (query && !query.test(doc)) continue;
      out.push([id, doc]);
      if (out.length >= wanted) break;
    }
    this.lastQueryStats = { index: indexName, ordered, docsExamined };
    const sorted = opts.sort && !ordered ? sortRows(out, opts.sort, (row) => row[1]) : out;
    const start = opts.skip ?? 0;
    const end = opts.limit ? start + opts.limit : undefined;
    return start || end !== undefined ? sorted.slice(start, end) : sorted;
  }

  /** All live documents of a collection as the context sees them (used by $lookup and friends). */
  allDocuments(db: string, name: string, ctx: ExecContext): Doc[] {
    return this.select(db, name, undefined, ctx).map(([, d]) => d);
  }

  // ------------------------------------------------------------------ writes

  private historyFloor(exclude?: Transaction): number | undefined {
    let floor: number | undefined;
    for (const t of this.transactions) if (t !== exclude && (floor === undefined || t.snapshot < floor)) floor = t.snapshot;
    return floor;
  }

  /**
   * Writes one document state (null = delete) for the context: immediately for plain writes, into the
   * transaction's private overlay (with write-conflict detection) inside a transaction.
   */
  write(db: string, name: string, id: string, doc: Doc | null, ctx: ExecContext, mode: 'insert' | 'update' | 'delete'): void {
    const ns = `${db}.${name}`;
    const lockKey = `${ns}\u0000${id}`;
    const txn = ctx.txn;
    if (!txn) {
      const coll = doc ? this.ensureCollection(db, name) : this.getCollection(db, name);
      if (!coll) return;
      const current = coll.records.get(id)?.doc ?? null;
      if (mode === 'insert' && current) throw idIndex(coll).duplicateKeyError(ns, [current['_id']]);
      // Deleting nothing changes nothing, as in mongod: it neither waits for nor aborts a transaction
      // holding an uncommitted write to that id.
      if (!doc && !current) return;
      const holder = this.locks.get(lockKey);
      if (holder) {
        // Like mongod, wait for the transaction when nothing was written yet; a command that
        // already wrote other documents cannot be re-run, so it wins and the transaction is
        // aborted with a transient error instead (withTransaction retries it).
        if (this.scope?.mayWait && this.scope.writes === 0) throw new WouldBlock(holder);
        this.abortTransaction(holder, writeConflict(`document in ${ns} was modified outside the transaction`));
      }
      if (this.scope) this.scope.writes++;
      const ts = ++this.clock;
      coll.applyWrite(id, doc, ts, this.historyFloor());
      this.journal?.append({ op: 'writes', writes: [{ db, coll: name, id: doc ? doc['_id'] : current?.['_id'], doc }] });
      return;
    }

    const holder = this.locks.get(lockKey);
    if (holder && holder !== txn) throw writeConflict(`document in ${ns} is being modified by another transaction`);
    const coll = this.getCollection(db, name);
    const record = coll?.records.get(id);
    if (record && record.ts > txn.snapshot) {
      throw writeConflict(`document in ${ns} was modified after this transaction's snapshot`);
    }
    let overlay = txn.overlay.get(ns);
    const visible = this.read(coll, ns, id, ctx);
    if (mode === 'insert' && visible) throw idIndex(coll ?? new Collection(db, name)).duplicateKeyError(ns, [visible['_id']]);
    if (doc && coll) {
      for (const index of coll.indexes.values()) {
        if (!index.uniqueKeys || index.name === '_id_') continue;
        index.checkUnique(ns, id, doc, (holderId) => {
          if (overlay?.has(holderId)) return false; // re-checked below against the overlay
          const holderRecord = coll.records.get(holderId);
          if (holderRecord && holderRecord.ts > txn.snapshot) {
            throw writeConflict(`unique key in ${ns} was written after this transaction's snapshot`);
          }
          return true;
        });
        const myKeys = new Set(index.keysOf(doc).map((k) => tupleKeyString(k)));
        for (const [otherId, otherDoc] of overlay ?? []) {
          if (otherId === id || !otherDoc) continue;
          for (const k of index.keysOf(otherDoc)) {
            if (myKeys.has(tupleKeyString(k))) throw index.duplicateKeyError(ns, k);
          }
        }
      }
    }
    if (!overlay) {
      overlay = new Map();
      txn.overlay.set(ns, overlay);
    }
    overlay.set(id, doc);
    this.locks.set(lockKey, txn);
  }

  // ------------------------------------------------------------------ transactions

  startTransaction(sessionKey: string, txnNumber: number): Transaction {
    const previous = this.sessions.get(sessionKey);
    if (previous?.state === 'active') this.abortTransaction(previous);
    const txn = new Transaction(sessionKey, txnNumber, this.clock, this.now());
    this.sessions.set(sessionKey, txn);
    this.transactions.add(txn);
    return txn;
  }

  /** The open transaction a command continues, or the error MongoDB would return. */
  continueTransaction(sessionKey: string, txnNumber: number): Transaction {
    const txn = this.sessions.get(sessionKey);
    if (!txn || txn.txnNumber !== txnNumber) {
      throw noSuchTransaction(`Given transaction number ${txnNumber} does not match any in-progress transactions.`);
    }
    this.expireIfTooOld(txn);
    if (txn.state === 'aborted') throw txn.abortReason ?? noSuchTransaction(`Transaction ${txnNumber} has been aborted.`);
    if (txn.state === 'committed') {
      throw new CommandError(256, 'TransactionCommitted', `Transaction ${txnNumber} has been committed.`);
    }
    return txn;
  }

  private expireIfTooOld(txn: Transaction): void {
    if (txn.state === 'active' && this.now() - txn.startedAt > this.transactionLifetimeMs) {
      this.abortTransaction(
        txn,
        noSuchTransaction(
          `Transaction ${txn.txnNumber} has been aborted because it exceeded transactionLifetimeLimitSeconds (${this.transactionLifetimeMs / 1000}s).`,
        ),
      );
    }
  }

  /** Aborts transactions past their lifetime limit; returns how many. */
  expireOldTransactions(): number {
    let n = 0;
    for (const txn of [...this.transactions]) {
      this.expireIfTooOld(txn);
      if (txn.state === 'aborted') n++;
    }
    return n;
  }

  commitTransaction(sessionKey: string, txnNumber: number): void {
    const txn = this.sessions.get(sessionKey);
    if (txn && txn.txnNumber === txnNumber && txn.state === 'committed') return; // retried commit
    const active = this.continueTransaction(sessionKey, txnNumber);
    this.transactions.delete(active);
    const floor = this.historyFloor();
    const ts = this.clock + 1;
    const undo: Array<() => void> = [];
    const journalWrites: Array<{ db: string; coll: string; id: unknown; doc: Doc | null }> = [];
    try {
      for (const [ns, overlay] of active.overlay) {
        const dot = ns.indexOf('.');
        const db = ns.slice(0, dot);
        const name = ns.slice(dot + 1);
        for (const [id, doc] of overlay) {
          const coll = doc ? this.ensureCollection(db, name) : this.getCollection(db, name);
          if (!coll) continue;
          const record = coll.records.get(id);
          if (record && record.ts > active.snapshot) throw writeConflict(`document in ${ns} changed during the transaction`);
          const before = record?.doc ?? null;
          if (!doc && !before) continue;
          undo.push(coll.applyWrite(id, doc, ts, floor));
          journalWrites.push({ db, coll: name, id: doc ? doc['_id'] : before?.['_id'], doc });
        }
      }
    } catch (e) {
      for (const u of undo.reverse()) u();
      const error =
        e instanceof CommandError && e.code === 11000
          ? writeConflict(`unique key conflict with a concurrent write at commit: ${e.message}`)
          : e;
      this.abortTransaction(active, error as CommandError);
      throw error;
    }
    this.clock = ts;
    if (journalWrites.length) this.journal?.append({ op: 'writes', writes: journalWrites });
    active.state = 'committed';
    active.overlay.clear(); // the session keeps the transaction object for retried commits only
    this.releaseTransaction(active);
  }

  abortTransaction(txn: Transaction, reason?: CommandError): void {
    if (txn.state !== 'active') return;
    txn.state = 'aborted';
    txn.abortReason = reason;
    txn.overlay.clear();
    this.releaseTransaction(txn);
  }

  private releaseTransaction(txn: Transaction): void {
    this.transactions.delete(txn);
    for (const [key, holder] of this.locks) if (holder === txn) this.locks.delete(key);
    const waiters = txn.waiters.splice(0);
    if (waiters.length) setImmediate(() => waiters.forEach((resume) => resume()));
    const floor = this.historyFloor();
    for (const colls of this.dbs.values()) for (const coll of colls.values()) if (coll.recent.length) coll.pruneHistory(floor);
  }

  endSession(sessionKey: string): void {
    const txn = this.sessions.get(sessionKey);
    if (txn) this.abortTransaction(txn);
    this.sessions.delete(sessionKey);
  }

  // ------------------------------------------------------------------ TTL

  /** Deletes documents whose TTL index date is older than expireAfterSeconds; returns how many. */
  expireTtlDocuments(): number {
    let removed = 0;
    const now = this.now();
    for (const [db, colls] of this.dbs) {
      for (const coll of colls.values()) {
        for (const index of coll.indexes.values()) {
          const seconds = index.spec.expireAfterSeconds;
          if (seconds === undefined || index.fields.length !== 1) continue;
          const cutoff = new Date(now - seconds * 1000);
          const ids = [...index.scan({ hi: cutoff, hiInclusive: true, loInclusive: true, typeRank: typeRank(cutoff) })];
          for (const id of ids) {
            if (!coll.records.get(id)?.doc) continue;
            this.write(db, coll.name, id, null, {}, 'delete');
            removed++;
          }
        }
      }
    }
    return removed;
  }
}
