import { update as mingoUpdate } from 'mingo/updater';
import { Aggregator } from 'mingo/aggregator';
import { ObjectId } from 'bson';
import { CommandError, badValue, failedToParse } from './errors';
import { Doc } from './collection';
import { assertSupportedExpression, MINGO_OPTIONS } from './engine';
import { NumType, cloneDoc, getNumType, isPlainObject, keyString, setNumType } from './values';

const SUPPORTED_OPERATORS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll',
  '$addToSet', '$pop', '$currentDate', '$bit', '$setOnInsert',
]);

/** True for an update document made of operators, false for a replacement document. */
export function isOperatorUpdate(update: Doc): boolean {
  const keys = Object.keys(update);
  return keys.length > 0 && keys[0].startsWith('$');
}

export function validateUpdate(update: unknown): void {
  if (Array.isArray(update)) {
    assertSupportedExpression(update);
    return;
  }
  if (!isPlainObject(update)) throw failedToParse('update must be a document or a pipeline');
  if (isOperatorUpdate(update)) {
    for (const op of Object.keys(update)) {
      if (!SUPPORTED_OPERATORS.has(op)) {
        throw new CommandError(9, 'FailedToParse', `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
      }
      if (!isPlainObject(update[op])) throw failedToParse(`Modifiers operate on fields but we found type ${typeof update[op]} instead.`);
    }
  } else {
    for (const key of Object.keys(update)) {
      if (key.startsWith('$')) throw failedToParse(`The dollar ($) prefixed field '${key}' in a replacement document is not valid`);
    }
  }
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let target: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(target[part])) target[part] = {};
    target = target[part] as Doc;
  }
  target[parts[parts.length - 1]] = value;
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

function resolveParent(doc: Doc, path: string): [object, string] | undefined {
  const parts = path.split('.');
  let target: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    if (part.startsWith('$')) return undefined;
    if (target === null || typeof target !== 'object') return undefined;
    target = (target as Doc)[part];
  }
  const last = parts[parts.length - 1];
  if (target === null || typeof target !== 'object' || last.startsWith('$')) return undefined;
  return [target, last];
}

type EffectiveNumType = 'int' | 'long' | 'double';

const isInt32 = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;

/** The BSON numeric type a stored number has: its annotation, else what its value implies. */
function effectiveNumType(container: unknown, key: string): EffectiveNumType | undefined {
  const value = (container as Doc | undefined)?.[key];
  if (typeof value !== 'number') return undefined;
  return getNumType(container, key) ?? (isInt32(value) ? 'int' : 'double');
}

/** Keeps int64/double annotations right after mingo applied numeric or assigning operators. */
function fixNumericTypes(doc: Doc, modifier: Doc, before: Map<string, EffectiveNumType | undefined>): void {
  for (const [op, fields] of Object.entries(modifier)) {
    for (const path of Object.keys(fields as Doc)) {
      const target = resolveParent(doc, path);
      if (!target) continue;
      const [container, key] = target;
      const value = (container as Doc)[key];
      if (op === '$set' || op === '$min' || op === '$max') {
        if (value === (fields as Doc)[path]) setNumType(container, key, getNumType(fields, path));
      } else if (op === '$inc' || op === '$mul') {
        if (typeof value !== 'number') continue;
        const old = before.get(path) ?? 'int'; // a missing field starts as int32 0
        const operand = effectiveNumType(fields, path);
        // mongod's promotion: any double → double; else any long → long; int32 overflow → long.
        const type: NumType | undefined =
          old === 'double' || operand === 'double'
            ? 'double'
            : old === 'long' || operand === 'long' || !isInt32(value)
              ? 'long'
              : undefined;
        setNumType(container, key, type === 'long' && !Number.isInteger(value) ? 'double' : type);
      } else if (op === '$unset') {
        setNumType(container, key, undefined);
      }
    }
  }
}

/**
 * Applies an update (operators, replacement or pipeline) to a copy of `doc` and returns the new
 * document; `doc` itself is never mutated (mingo updates in place).
 */
export function applyUpdate(
  doc: Doc,
  update: Doc | Doc[],
  options: { filter?: Doc; arrayFilters?: Doc[]; isInsert: boolean },
): Doc {
  const id = doc['_id'];
  let result: Doc;
  if (Array.isArray(update)) {
    const out = new Aggregator(update, MINGO_OPTIONS).run([cloneDoc(doc)]);
    result = out[0] as Doc;
  } else if (!isOperatorUpdate(update)) {
    if (update['_id'] !== undefined && id !== undefined && keyString(update['_id']) !== keyString(id)) {
      throw immutableId();
    }
    const replacement = cloneDoc(update);
    result = id === undefined ? replacement : { _id: id, ...replacement };
    if (id !== undefined) setNumType(result, '_id', getNumType(doc, '_id'));
    for (const k of Object.keys(replacement)) setNumType(result, k, getNumType(replacement, k));
  } else {
    const modifier = cloneDoc(update) as Doc;
    const onInsert = modifier['$setOnInsert'] as Doc | undefined;
    delete modifier['$setOnInsert'];
    if (onInsert && options.isInsert) {
      const set = (modifier['$set'] as Doc | undefined) ?? {};
      for (const [k, v] of Object.entries(onInsert)) {
        set[k] = v;
        setNumType(set, k, getNumType(onInsert, k));
      }
      modifier['$set'] = set;
    }
    result = cloneDoc(doc);
    if (Object.keys(modifier).length > 0) {
      const before = new Map<string, EffectiveNumType | undefined>();
      for (const op of ['$inc', '$mul']) {
        for (const path of Object.keys((modifier[op] as Doc | undefined) ?? {})) {
          const target = resolveParent(result, path);
          before.set(path, target ? effectiveNumType(target[0], target[1]) : undefined);
        }
      }
      try {
        mingoUpdate(result, modifier, options.arrayFilters, options.isInsert ? undefined : options.filter, {
          cloneMode: 'none',
          // The filter only serves the positional `$`; mingo's own minimal context is enough (and cheap).
          queryOptions: { scriptEnabled: false },
        });
      } catch (e) {
        if (e instanceof CommandError) throw e;
        if (/immutable field '_id'/.test((e as Error).message)) throw immutableId();
        throw badValue((e as Error).message);
      }
      fixNumericTypes(result, modifier, before);
    }
  }
  if (id !== undefined && keyString(result['_id']) !== keyString(id)) throw immutableId();
  return result;
}

function immutableId(): CommandError {
  return new CommandError(66, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
}

/** Puts `_id` first (generating an ObjectId when missing), like mongod does on insert. */
export function withId(doc: Doc): Doc {
  if (doc['_id'] === undefined) return { _id: new ObjectId(), ...doc };
  const id = doc['_id'];
  if (Array.isArray(id)) throw new CommandError(53, 'InvalidIdField', "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw new CommandError(53, 'InvalidIdField', "The '_id' value cannot be of type regex");
  if (Object.keys(doc)[0] === '_id') return doc;
  const out: Doc = { _id: id };
  for (const [k, v] of Object.entries(doc)) if (k !== '_id') out[k] = v;
  for (const k of Object.keys(out)) setNumType(out, k, getNumType(doc, k));
  return out;
}
