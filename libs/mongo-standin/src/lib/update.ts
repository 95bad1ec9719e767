import { Aggregator } from 'mingo/aggregator';
import { BSON, ObjectId, Timestamp } from 'bson';
import { CommandError, badValue, failedToParse, notSupported } from './errors';
import { Doc } from './collection';
import { Matcher, assertSupportedExpression, compileFilter, MINGO_OPTIONS } from './engine';
import { bsonTypeName } from './type-operator';
import { NumType, cloneDoc, setOwn, compareValues, getNumType, isPlainObject, keyString, setNumType, sortKey, toWire } from './values';

/*
 * MongoDB's update operators, implemented here rather than delegated to mingo's updater: the spec is
 * small and exact (field-path resolution through objects and arrays, positional `$`, `$[]`, `$[id]`,
 * conflicts between paths, the order fields are processed in, error codes), and mingo's updater
 * silently skipped operations mongod refuses (`$push` onto a number, `$set` through an array of
 * scalars) and refused operations mongod accepts (two positional paths into one array).
 */

export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

const SUPPORTED_OPERATORS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll',
  '$addToSet', '$pop', '$currentDate', '$bit', '$setOnInsert',
]);

/** True for an update document made of operators, false for a replacement document. */
export function isOperatorUpdate(update: Doc): boolean {
  const keys = Object.keys(update);
  return keys.length > 0 && keys[0].startsWith('$');
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

const isIndex = (part: string) => /^(0|[1-9]\d*)$/.test(part);

/** mongod's order of update paths: numeric field names numerically, the others lexicographically. */
function compareParts(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (isIndex(x) && isIndex(y)) return x.length - y.length || (x < y ? -1 : 1);
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const isPrefix = (short: string[], long: string[]) => short.length <= long.length && short.every((p, i) => long[i] === p);

type Positional = { kind: '$' } | { kind: 'all' } | { kind: 'filtered'; id: string };

function positionalOf(part: string): Positional | undefined {
  if (part === '$') return { kind: '$' };
  if (part === '$[]') return { kind: 'all' };
  const m = /^\$\[(.*)\]$/.exec(part);
  if (m) return { kind: 'filtered', id: m[1] };
  return undefined;
}

interface Entry {
  op: string;
  path: string;
  parts: string[];
  /** The operand and the container/key it came from (for its numeric type). */
  operand: unknown;
  operandType?: NumType;
  /** $rename: the source path (this entry's path is the destination). */
  from?: string[];
  arrayUpdate: boolean;
  /** A `$`-prefixed field name on the path (allowed only when the update inserts). */
  dollarField?: string;
}

export interface CompiledUpdate {
  entries: Entry[];
  /** Whether some path uses `$[]` / `$[id]` / `$`, so one update may reach a field twice. */
  dynamic: boolean;
  arrayFilters: Map<string, Matcher>;
}

function describeType(value: unknown, container: unknown, key: string): string {
  return bsonTypeName(value, container, key) ?? 'missing';
}

function show(value: unknown): string {
  try {
    return JSON.stringify(toWire(value), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

function validatePath(op: string, path: string): string[] {
  if (path === '') throw new CommandError(56, 'EmptyFieldName', 'An empty update path is not valid.');
  const parts = path.split('.');
  if (parts.some((p) => p === '')) {
    throw new CommandError(56, 'EmptyFieldName', `The update path '${path}' contains an empty field name, which is not allowed.`);
  }
  let dollars = 0;
  for (const part of parts) {
    if (!part.startsWith('$')) continue;
    const positional = positionalOf(part);
    if (!positional) continue; // a $-prefixed field name: accepted when the update inserts (upsert), refused on existing documents
    if (positional.kind === '$' && ++dollars > 1) throw badValue(`Too many positional (i.e. '$') elements found in path '${path}'`);
    if (op === '$rename') throw badValue(`The source field for $rename may not be dynamic: ${path}`);
  }
  if (positionalOf(parts[0])) throw badValue(`Cannot have array filter identifier (i.e. '$[<id>]') element in the first position in path '${path}'`);
  return parts;
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number';
}

function validateOperand(op: string, field: string, value: unknown): void {
  switch (op) {
    case '$inc':
    case '$mul':
      if (!isNumber(value)) {
        const verb = op === '$inc' ? 'increment' : 'multiply';
        throw new CommandError(14, 'TypeMismatch', `Cannot ${verb} with non-numeric argument: {${field}: ${show(value)}}`);
      }
      return;
    case '$pop':
      if (value !== 1 && value !== -1) throw failedToParse(`$pop expects 1 or -1, found: ${show(value)}`);
      return;
    case '$pullAll':
      if (!Array.isArray(value)) throw badValue(`$pullAll requires an array argument but was given a ${describeType(value, {}, '')}`);
      return;
    case '$currentDate': {
      if (typeof value === 'boolean') return;
      const type = isPlainObject(value) ? value['$type'] : undefined;
      if (isPlainObject(value) && Object.keys(value).length === 1 && (type === 'date' || type === 'timestamp')) return;
      throw badValue(`${show(value)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
    }
    case '$bit': {
      if (!isPlainObject(value) || Object.keys(value).length === 0) {
        throw badValue(`The $bit modifier is not compatible with a ${describeType(value, {}, '')}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}`);
      }
      for (const [how, n] of Object.entries(value)) {
        if (!['and', 'or', 'xor'].includes(how)) {
          throw badValue(`The $bit modifier only supports 'and', 'or', and 'xor', not '${how}' which is an unknown operator: {${how}: ${show(n)}}`);
        }
        const t = bsonTypeName(n, value, how);
        if (t !== 'int' && t !== 'long') throw badValue(`The $bit modifier field must be an Integer(32/64 bit); a '${t}' is not supported here: {${how}: ${show(n)}}`);
      }
      return;
    }
    case '$push':
    case '$addToSet': {
      if (!isPlainObject(value) || !hasOwn(value, '$each')) return;
      if (!Array.isArray(value['$each'])) throw badValue(`The argument to $each in ${op} must be an array but it was of type: ${describeType(value['$each'], value, '$each')}`);
      for (const key of Object.keys(value)) {
        if (key === '$each') continue;
        if (op === '$addToSet') throw badValue(`Found unexpected fields after $each in $addToSet: ${show(value)}`);
        if (!['$slice', '$sort', '$position'].includes(key)) throw badValue(`Unrecognized clause in $push: ${key}`);
      }
      const slice = value['$slice'];
      if (slice !== undefined && !(isNumber(slice) && Number.isInteger(slice))) throw badValue(`The value for $slice must be an integer value but was given type: ${describeType(slice, value, '$slice')}`);
      const position = value['$position'];
      if (position !== undefined && !(isNumber(position) && Number.isInteger(position))) throw badValue(`The value for $position must be an integer value, not of type: ${describeType(position, value, '$position')}`);
      const sort = value['$sort'];
      if (sort !== undefined) {
        const ok =
          sort === 1 || sort === -1 ||
          (isPlainObject(sort) && Object.keys(sort).length > 0 && Object.entries(sort).every(([k, d]) => k !== '' && (d === 1 || d === -1)));
        if (!ok) throw badValue('The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
      }
      return;
    }
  }
}

/** Identifiers used by an array filter: the first component of each field of its (possibly $and/$or'ed) conditions. */
function arrayFilterIds(filter: Doc, out: Set<string>): void {
  for (const [key, cond] of Object.entries(filter)) {
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainObject(sub)) arrayFilterIds(sub, out);
    } else if (!key.startsWith('$')) {
      out.add(key.split('.')[0]);
    }
  }
}

/** Parses and validates an operator update once; the result is applied to every matched document. */
export function compileUpdate(update: Doc, arrayFiltersRaw?: Doc[]): CompiledUpdate {
  const entries: Entry[] = [];
  for (const [op, fields] of Object.entries(update)) {
    if (!SUPPORTED_OPERATORS.has(op)) {
      if (!op.startsWith('$')) throw failedToParse(`Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
      throw new CommandError(9, 'FailedToParse', `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(fields)) {
      throw failedToParse(`Modifiers operate on fields but we found type ${describeType(fields, update, op)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${show(fields)}}`);
    }
    for (const path of Object.keys(fields)) {
      const operand = fields[path];
      validateOperand(op, path, operand);
      const parts = validatePath(op, path);
      const arrayUpdate = parts.some((p) => positionalOf(p) !== undefined);
      const dollarField = parts.find((p) => p.startsWith('$') && !positionalOf(p));
      if (op === '$rename') {
        if (typeof operand !== 'string') throw badValue(`The 'to' field for $rename must be a string: ${path}: ${show(operand)}`);
        const to = validatePath(op, operand);
        if (path === operand) throw badValue(`The source and target field for $rename must differ: ${path}: ${show(operand)}`);
        if (isPrefix(parts, to) || isPrefix(to, parts)) throw badValue(`The source and target field for $rename must not be on the same path: ${path}: ${show(operand)}`);
        entries.push({ op, path: operand, parts: to, operand, from: parts, arrayUpdate: false });
        continue;
      }
      entries.push({ op, path, parts, operand, operandType: getNumType(fields, path), arrayUpdate, dollarField });
    }
  }
  // Two paths where one is (a prefix of) the other would update the same field twice.
  const claimed: Array<{ parts: string[]; path: string }> = [];
  for (const e of entries) {
    claimed.push({ parts: e.parts, path: e.path });
    if (e.from) claimed.push({ parts: e.from, path: e.from.join('.') });
  }
  claimed.sort((a, b) => compareParts(a.parts, b.parts));
  for (let i = 1; i < claimed.length; i++) {
    if (isPrefix(claimed[i - 1].parts, claimed[i].parts)) {
      throw new CommandError(40, 'ConflictingUpdateOperators', `Updating the path '${claimed[i].path}' would create a conflict at '${claimed[i - 1].path}'`);
    }
  }
  entries.sort((a, b) => compareParts(a.parts, b.parts));

  const arrayFilters = new Map<string, Matcher>();
  for (const filter of arrayFiltersRaw ?? []) {
    if (!isPlainObject(filter)) throw failedToParse('Each array filter must be an object');
    const ids = new Set<string>();
    arrayFilterIds(filter, ids);
    if (ids.size !== 1) {
      throw failedToParse(ids.size === 0 ? 'Cannot use an expression without a top-level field name in arrayFilters' : `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${[...ids][0]}' and '${[...ids][1]}'`);
    }
    const [id] = ids;
    if (!/^[a-z][a-zA-Z0-9]*$/.test(id)) throw badValue(`Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`);
    if (arrayFilters.has(id)) throw failedToParse(`Found multiple array filters with the same top-level field name ${id}`);
    assertSupportedExpression(filter);
    arrayFilters.set(id, compileFilter(filter) ?? { test: () => true });
  }
  const used = new Set<string>();
  for (const e of entries) {
    for (const part of e.parts) {
      const p = positionalOf(part);
      if (p?.kind !== 'filtered') continue;
      if (!arrayFilters.has(p.id)) throw badValue(`No array filter found for identifier '${p.id}' in path '${e.path}'`);
      used.add(p.id);
    }
  }
  for (const id of arrayFilters.keys()) {
    if (!used.has(id)) throw failedToParse(`The array filter for identifier '${id}' was not used in the update ${show(update)}`);
  }
  return { entries, dynamic: entries.some((e) => e.arrayUpdate), arrayFilters };
}

export function validateUpdate(update: unknown): void {
  if (Array.isArray(update)) {
    assertSupportedExpression(update);
    return;
  }
  if (!isPlainObject(update)) throw failedToParse('update must be a document or a pipeline');
  if (isOperatorUpdate(update)) return; // compileUpdate validates operators and paths
  for (const key of Object.keys(update)) {
    if (key.startsWith('$')) {
      throw new CommandError(52, 'DollarPrefixedFieldName', `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`);
    }
  }
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let target: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(target[part])) setOwn(target, part, {});
    target = target[part] as Doc;
  }
  setOwn(target, parts[parts.length - 1], value);
}

/** The document an upsert starts from: the equality conditions of the filter (MongoDB's rule). */
export function upsertSeed(filter: Doc | undefined): Doc {
  const seed: Doc = {};
  const visit = (f: Doc | undefined) => {
    for (const [key, cond] of Object.entries(f ?? {})) {
      if (key === '$and' && Array.isArray(cond)) {
        for (const sub of cond) visit(sub as Doc);
        continue;
      }
      if (key.startsWith('$')) continue;
      if (isPlainObject(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
        if ('$eq' in cond) setPath(seed, key, cloneDoc(cond['$eq']));
        continue;
      }
      setPath(seed, key, cloneDoc(cond));
    }
  };
  visit(filter);
  return seed;
}

// ---------------------------------------------------------------------------------------------
// Applying a compiled update to one document.

type EffectiveNumType = 'int' | 'long' | 'double';

const isInt32 = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;

function numType(value: unknown, container: unknown, key: string): EffectiveNumType {
  return getNumType(container, key) ?? (isInt32(value) ? 'int' : 'double');
}

interface ApplyState {
  doc: Doc;
  filter?: Doc;
  isInsert: boolean;
  now: number;
  /** Positional `$` index per array path, found from the filter. */
  positions: Map<string, number>;
  /** Concrete paths written so far (only tracked for dynamic updates). */
  written?: string[][];
}

/** A located field: the object or array holding it, and its key there. */
interface Slot {
  container: Doc | unknown[];
  key: string;
}

function readSlot(slot: Slot): unknown {
  const { container, key } = slot;
  if (Array.isArray(container)) return container[Number(key)];
  return hasOwn(container, key) ? container[key] : undefined;
}

function slotExists(slot: Slot): boolean {
  const { container, key } = slot;
  if (Array.isArray(container)) return Number(key) < container.length;
  return hasOwn(container, key);
}

function writeSlot(slot: Slot, value: unknown, type: NumType | undefined): void {
  const { container, key } = slot;
  if (Array.isArray(container)) {
    const i = Number(key);
    while (container.length < i) container.push(null);
    container[i] = value;
  } else {
    setOwn(container, key, value);
  }
  setNumType(container, key, typeof value === 'number' ? type : undefined);
}

function cannotCreate(part: string, parentKey: string, parent: unknown): CommandError {
  return new CommandError(28, 'PathNotViable', `Cannot create field '${part}' in element {${parentKey}: ${show(parent)}}`);
}

/**
 * Walks `parts` (all concrete) from the document root. With `create`, missing objects are created
 * along the way (and a field that cannot hold the path is error 28 PathNotViable); without, a missing
 * or non-viable path yields undefined.
 */
function locate(doc: Doc, parts: string[], create: boolean): Slot | undefined {
  let current: unknown = doc;
  let currentKey = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const last = i === parts.length - 1;
    if (Array.isArray(current)) {
      if (!isIndex(part)) {
        if (create) throw cannotCreate(part, currentKey, current);
        return undefined;
      }
      if (last) return { container: current, key: part };
      const index = Number(part);
      let next = current[index];
      if (index >= current.length) {
        if (!create) return undefined;
        while (current.length < index) current.push(null);
        next = {};
        current.push(next);
      }
      current = next;
    } else if (isPlainObject(current)) {
      if (last) return { container: current, key: part };
      let next = hasOwn(current, part) ? current[part] : undefined;
      if (next === undefined) {
        if (!create) return undefined;
        next = {};
        setOwn(current, part, next);
      }
      current = next;
    } else {
      if (create) throw cannotCreate(part, currentKey, current);
      return undefined;
    }
    currentKey = part;
  }
  return undefined;
}

/** The value at concrete `parts` without creating anything (undefined when missing or not viable). */
function valueAt(doc: Doc, parts: string[]): unknown {
  const slot = locate(doc, parts, false);
  return slot ? readSlot(slot) : undefined;
}

/** Index of the first element of the array at `prefix` that satisfies the filter's conditions on it. */
function positionalIndex(state: ApplyState, prefix: string[]): number {
  const key = prefix.join('.');
  const known = state.positions.get(key);
  if (known !== undefined) return known;
  const notFound = () => badValue('The positional operator did not find the match needed from the query.');
  if (state.isInsert || !state.filter) throw notFound();
  const conditions: Doc = {};
  const collect = (f: Doc) => {
    for (const [field, cond] of Object.entries(f)) {
      if (field === '$and' && Array.isArray(cond)) for (const sub of cond) if (isPlainObject(sub)) collect(sub);
      if (field === key || field.startsWith(key + '.')) {
        // One condition per field stays a plain filter (the fast matcher); repeats go to $and.
        if (!Object.prototype.hasOwnProperty.call(conditions, field)) conditions[field] = cond;
        else ((conditions['$and'] ??= []) as Doc[]).push({ [field]: cond });
      }
    }
  };
  collect(state.filter);
  const array = valueAt(state.doc, prefix);
  if (Object.keys(conditions).length === 0 || !Array.isArray(array)) throw notFound();
  const matcher = compileFilter(conditions);
  for (let i = 0; i < array.length; i++) {
    // The conditions only read below the array: a document holding just this element answers them.
    const probe: Doc = {};
    setPath(probe, key, [array[i]]);
    if (!matcher || matcher.test(probe)) {
      state.positions.set(key, i);
      return i;
    }
  }
  throw notFound();
}

/** Replaces positional elements by concrete indexes: one path for `$`, one per (matching) element for `$[]`/`$[id]`. */
function expand(state: ApplyState, compiled: CompiledUpdate, entry: Entry): string[][] {
  let paths: string[][] = [[]];
  for (let i = 0; i < entry.parts.length; i++) {
    const part = entry.parts[i];
    const positional = positionalOf(part);
    if (!positional) {
      for (const p of paths) p.push(part);
      continue;
    }
    const next: string[][] = [];
    for (const prefix of paths) {
      if (positional.kind === '$') {
        next.push([...prefix, String(positionalIndex(state, prefix))]);
        continue;
      }
      const array = valueAt(state.doc, prefix);
      if (array === undefined) {
        throw badValue(`The path '${prefix.join('.')}' must exist in the document in order to apply array updates.`);
      }
      if (!Array.isArray(array)) throw badValue(`Cannot apply array updates to non-array element ${prefix[prefix.length - 1]}: ${show(array)}`);
      const matcher = positional.kind === 'filtered' ? compiled.arrayFilters.get(positional.id) : undefined;
      array.forEach((element, index) => {
        if (positional.kind === 'filtered' && matcher && !matcher.test({ [positional.id]: element })) return;
        next.push([...prefix, String(index)]);
      });
    }
    paths = next;
  }
  return paths;
}

function claim(state: ApplyState, parts: string[]): void {
  if (!state.written) return;
  for (const other of state.written) {
    if (isPrefix(other, parts) || isPrefix(parts, other)) {
      throw new CommandError(40, 'ConflictingUpdateOperators', `Update created a conflict at '${(other.length < parts.length ? other : parts).join('.')}'`);
    }
  }
  state.written.push(parts);
}

/** mongod's numeric promotion for $inc/$mul: any double → double; else any long → long; int32 overflow → long. */
function arithmetic(op: '$inc' | '$mul', current: unknown, currentType: EffectiveNumType, operand: number, operandType: EffectiveNumType): [number, NumType | undefined] {
  const value = op === '$inc' ? (current as number) + operand : (current as number) * operand;
  if (currentType === 'double' || operandType === 'double') return [value, 'double'];
  if (!Number.isSafeInteger(value)) throw notSupported(`int64 values beyond ±2^53 (a ${op} result)`);
  if (currentType === 'long' || operandType === 'long' || !isInt32(value)) return [value, 'long'];
  return [value, undefined];
}

function docId(doc: Doc): string {
  return `{_id: ${show(doc['_id'])}}`;
}

function elementsOf(array: unknown[]): Array<{ v: unknown; t?: NumType }> {
  return array.map((v, i) => ({ v, t: getNumType(array, String(i)) }));
}

function arrayOf(items: Array<{ v: unknown; t?: NumType }>): unknown[] {
  const out = items.map((x) => x.v);
  items.forEach((x, i) => {
    if (typeof x.v === 'number' && x.t) setNumType(out, String(i), x.t);
  });
  return out;
}

/** `$pull`'s three matchers (mongod's pull_node): sub-document query, query on the element itself, or equality. */
function pullMatcher(cond: unknown): (element: unknown) => boolean {
  if (isPlainObject(cond)) {
    const first = Object.keys(cond)[0];
    const elementQuery = first !== undefined && first.startsWith('$') && !['$and', '$or', '$nor', '$expr', '$comment'].includes(first);
    if (!elementQuery) {
      const matcher = compileFilter(cond);
      return (el) => isPlainObject(el) && (!matcher || matcher.test(el));
    }
    const matcher = compileFilter({ v: cond });
    return (el) => !matcher || matcher.test({ v: el });
  }
  if (cond instanceof RegExp) {
    const matcher = compileFilter({ v: cond });
    return (el) => !matcher || matcher.test({ v: el });
  }
  const wanted = keyString(cond);
  return (el) => keyString(el) === wanted;
}

function applyEntry(state: ApplyState, compiled: CompiledUpdate, entry: Entry): void {
  const { op } = entry;
  if (op === '$setOnInsert' && !state.isInsert) return;
  if (op === '$rename') {
    applyRename(state, entry);
    return;
  }
  if (entry.dollarField && !state.isInsert) {
    throw new CommandError(52, 'DollarPrefixedFieldName', `The dollar ($) prefixed field '${entry.dollarField}' in '${entry.path}' is not valid for storage.`);
  }
  const paths = entry.arrayUpdate ? expand(state, compiled, entry) : [entry.parts];
  for (const parts of paths) {
    claim(state, parts);
    applyAt(state, entry, parts);
  }
}

function applyRename(state: ApplyState, entry: Entry): void {
  const from = entry.from as string[];
  // Neither end may go through an array.
  let v: unknown = state.doc;
  for (let i = 0; i < from.length; i++) {
    if (Array.isArray(v)) throw badValue(`The source field cannot be an array element, '${from.join('.')}' in doc with ${from[i - 1]} being an array`);
    if (!isPlainObject(v) || !hasOwn(v, from[i])) return; // missing source: nothing to do
    v = v[from[i]];
  }
  const sourceSlot = locate(state.doc, from, false) as Slot;
  const value = readSlot(sourceSlot);
  const type = getNumType(sourceSlot.container, sourceSlot.key);
  let d: unknown = state.doc;
  for (const part of entry.parts.slice(0, -1)) {
    if (Array.isArray(d)) throw badValue(`The destination field cannot be an array element, '${entry.path}' in doc with ${part} being an array`);
    if (!isPlainObject(d)) break;
    d = d[part];
  }
  if (Array.isArray(d)) throw badValue(`The destination field cannot be an array element, '${entry.path}' in doc with an array on the way`);
  delete (sourceSlot.container as Doc)[sourceSlot.key];
  setNumType(sourceSlot.container, sourceSlot.key, undefined);
  // An existing destination is overwritten in place (mongod's rename node sets it like $set).
  writeSlot(locate(state.doc, entry.parts, true) as Slot, value, type);
}

function applyAt(state: ApplyState, entry: Entry, parts: string[]): void {
  const { op, operand } = entry;
  const field = parts[parts.length - 1];
  const removing = op === '$unset' || op === '$pull' || op === '$pullAll' || op === '$pop';
  const slot = locate(state.doc, parts, !removing);
  if (!slot) return;
  const exists = slotExists(slot);
  const current = exists ? readSlot(slot) : undefined;
  const currentType = exists ? describeType(current, slot.container, slot.key) : 'missing';
  switch (op) {
    case '$set':
    case '$setOnInsert':
      writeSlot(slot, cloneDoc(operand), entry.operandType);
      return;
    case '$unset':
      if (!exists) return;
      if (Array.isArray(slot.container)) writeSlot(slot, null, undefined);
      else {
        delete slot.container[slot.key];
        setNumType(slot.container, slot.key, undefined);
      }
      return;
    case '$inc':
    case '$mul': {
      const opType = (entry.operandType ?? (isInt32(operand) ? 'int' : 'double')) as EffectiveNumType;
      if (!exists) {
        const start = op === '$inc' ? (operand as number) : 0;
        writeSlot(slot, start, opType === 'int' ? undefined : opType);
        return;
      }
      if (typeof current !== 'number') {
        throw new CommandError(14, 'TypeMismatch', `Cannot apply ${op} to a value of non-numeric type. ${docId(state.doc)} has the field '${field}' of non-numeric type ${currentType}`);
      }
      const [value, type] = arithmetic(op, current, numType(current, slot.container, slot.key), operand as number, opType);
      writeSlot(slot, value, type);
      return;
    }
    case '$min':
    case '$max': {
      const c = exists ? compareValues(operand, current) : 0;
      if (!exists || (op === '$min' ? c < 0 : c > 0)) writeSlot(slot, cloneDoc(operand), entry.operandType);
      return;
    }
    case '$currentDate': {
      const asTimestamp = isPlainObject(operand) && operand['$type'] === 'timestamp';
      const seconds = Math.floor(state.now / 1000);
      writeSlot(slot, asTimestamp ? new Timestamp({ t: seconds, i: 1 }) : new Date(state.now), undefined);
      return;
    }
    case '$bit': {
      if (exists && currentType !== 'int' && currentType !== 'long') {
        throw badValue(`Cannot apply $bit to a value of non-integral type.${docId(state.doc)} has the field ${field} of non-integer type ${currentType}`);
      }
      let result = BigInt.asIntN(64, BigInt(exists ? (current as number) : 0));
      let long = currentType === 'long';
      for (const [how, n] of Object.entries(operand as Doc)) {
        const b = BigInt(n as number);
        if (getNumType(operand, how) === 'long') long = true;
        result = how === 'and' ? result & b : how === 'or' ? result | b : result ^ b;
      }
      const value = Number(long ? BigInt.asIntN(64, result) : BigInt.asIntN(32, result));
      if (!Number.isSafeInteger(value)) throw notSupported('int64 values beyond ±2^53 (a $bit result)');
      writeSlot(slot, value, long ? 'long' : undefined);
      return;
    }
    case '$push':
    case '$addToSet': {
      if (exists && !Array.isArray(current)) {
        if (op === '$push') {
          throw badValue(`The field '${field}' must be an array but is of type ${currentType} in document ${docId(state.doc)}`);
        }
        throw badValue(`Cannot apply $addToSet to non-array field. Field named '${field}' has non-array type ${currentType}`);
      }
      const each = isPlainObject(operand) && hasOwn(operand, '$each');
      const source = each ? (operand['$each'] as unknown[]) : [operand];
      const sourceItems = each ? elementsOf(source) : [{ v: operand, t: entry.operandType }];
      const items = elementsOf((current as unknown[] | undefined) ?? []);
      if (op === '$addToSet') {
        const present = new Set(items.map((x) => keyString(x.v)));
        for (const x of sourceItems) {
          const k = keyString(x.v);
          if (present.has(k)) continue;
          present.add(k);
          items.push({ v: cloneDoc(x.v), t: x.t });
        }
        writeSlot(slot, arrayOf(items), undefined);
        return;
      }
      const mods = each ? (operand as Doc) : {};
      let position = mods['$position'] === undefined ? items.length : (mods['$position'] as number);
      if (position < 0) position = Math.max(0, items.length + position);
      position = Math.min(position, items.length);
      items.splice(position, 0, ...sourceItems.map((x) => ({ v: cloneDoc(x.v), t: x.t })));
      const sort = mods['$sort'];
      if (sort !== undefined) sortPushed(items, sort);
      const slice = mods['$slice'] as number | undefined;
      const kept = slice === undefined ? items : slice >= 0 ? items.slice(0, slice) : items.slice(Math.max(0, items.length + slice));
      writeSlot(slot, arrayOf(kept), undefined);
      return;
    }
    case '$pop': {
      if (!exists) return;
      if (!Array.isArray(current)) {
        throw new CommandError(14, 'TypeMismatch', `Path '${parts.join('.')}' contains an element of non-array type '${currentType}'`);
      }
      if (current.length === 0) return;
      const items = elementsOf(current);
      if (operand === 1) items.pop();
      else items.shift();
      writeSlot(slot, arrayOf(items), undefined);
      return;
    }
    case '$pull':
    case '$pullAll': {
      if (!exists) return;
      if (!Array.isArray(current)) throw badValue(`Cannot apply ${op} to a non-array value`);
      let remove: (el: unknown) => boolean;
      if (op === '$pullAll') {
        const unwanted = new Set((operand as unknown[]).map(keyString));
        remove = (el) => unwanted.has(keyString(el));
      } else {
        remove = pullMatcher(operand);
      }
      const items = elementsOf(current);
      const kept = items.filter((x) => !remove(x.v));
      if (kept.length !== items.length) writeSlot(slot, arrayOf(kept), undefined);
      return;
    }
  }
}

/** `$push`'s `$sort`: whole elements (1/-1) or by fields of sub-documents, in BSON order, stable. */
function sortPushed(items: Array<{ v: unknown; t?: NumType }>, sort: unknown): void {
  if (sort === 1 || sort === -1) {
    items.sort((a, b) => compareValues(a.v, b.v) * (sort as number));
    return;
  }
  const spec = Object.entries(sort as Doc) as Array<[string, 1 | -1]>;
  const keyOf = (v: unknown, field: string, dir: 1 | -1) => (isPlainObject(v) || Array.isArray(v) ? sortKey(v, field, dir) : null);
  items.sort((a, b) => {
    for (const [field, dir] of spec) {
      const c = compareValues(keyOf(a.v, field, dir), keyOf(b.v, field, dir));
      if (c) return c * dir;
    }
    return 0;
  });
}

/**
 * Applies an update (operators, replacement or pipeline) to a copy of `doc` and returns the new
 * document; `doc` itself is never mutated.
 */
export function applyUpdate(
  doc: Doc,
  update: Doc | Doc[],
  options: { filter?: Doc; arrayFilters?: Doc[]; isInsert: boolean; compiled?: CompiledUpdate; now?: number },
): Doc {
  const id = doc['_id'];
  let result: Doc;
  if (Array.isArray(update)) {
    let out: Doc[];
    try {
      out = new Aggregator(update, MINGO_OPTIONS).run([cloneDoc(doc)]) as Doc[];
    } catch (e) {
      if (e instanceof CommandError) throw e;
      throw badValue((e as Error).message);
    }
    result = out[0];
  } else if (!isOperatorUpdate(update)) {
    if (options.arrayFilters?.length) throw failedToParse('arrayFilters may not be specified for replacement-style updates');
    if (update['_id'] !== undefined && id !== undefined && keyString(update['_id']) !== keyString(id)) {
      throw immutableId(update['_id'], options.isInsert);
    }
    const replacement = cloneDoc(update);
    if (id === undefined) result = replacement;
    else {
      result = { _id: id };
      setNumType(result, '_id', getNumType(doc, '_id'));
      for (const k of Object.keys(replacement)) {
        if (k === '_id') continue;
        setOwn(result, k, replacement[k]);
        setNumType(result, k, getNumType(replacement, k));
      }
    }
  } else {
    const compiled = options.compiled ?? compileUpdate(update, options.arrayFilters);
    result = cloneDoc(doc);
    const state: ApplyState = {
      doc: result,
      filter: options.filter,
      isInsert: options.isInsert,
      now: options.now ?? Date.now(),
      positions: new Map(),
      written: compiled.dynamic ? [] : undefined,
    };
    for (const entry of compiled.entries) applyEntry(state, compiled, entry);
  }
  if (id !== undefined && keyString(result['_id']) !== keyString(id)) throw immutableId(result['_id'], options.isInsert);
  return result;
}

function immutableId(now: unknown, isInsert: boolean): CommandError {
  if (isInsert) {
    return new CommandError(66, 'ImmutableField', `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${show(now)}`);
  }
  return new CommandError(66, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
}

/** BSON size of a stored document (as sent on the wire). */
export function bsonSize(doc: Doc): number {
  return BSON.calculateObjectSize(toWire(doc) as Doc);
}

/** Puts `_id` first (generating an ObjectId when missing), like mongod does on insert. */
export function withId(doc: Doc): Doc {
  if (doc['_id'] === undefined) {
    const out: Doc = { _id: new ObjectId() };
    for (const k of Object.keys(doc)) {
      setOwn(out, k, doc[k]);
      setNumType(out, k, getNumType(doc, k));
    }
    return out;
  }
  const id = doc['_id'];
  if (Array.isArray(id)) throw new CommandError(53, 'InvalidIdField', "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw new CommandError(53, 'InvalidIdField', "The '_id' value cannot be of type regex");
  if (Object.keys(doc)[0] === '_id') return doc;
  const out: Doc = { _id: id };
  for (const [k, v] of Object.entries(doc)) if (k !== '_id') setOwn(out, k, v);
  for (const k of Object.keys(out)) setNumType(out, k, getNumType(doc, k));
  return out;
}
