import { Context } from 'mingo';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { QueryOperator } from 'mingo/types';
import { Query } from 'mingo/query';
import type { Binary } from 'bson';
import { badValue } from './errors';
import { getNumType, isPlainObject } from './values';

/** BSON type names by alias and number, as accepted by `$type`. */
const TYPE_NUMBERS: Record<number, string> = {
  1: 'double', 2: 'string', 3: 'object', 4: 'array', 5: 'binData', 7: 'objectId', 8: 'bool', 9: 'date',
  10: 'null', 11: 'regex', 16: 'int', 17: 'timestamp', 18: 'long', 19: 'decimal', [-1]: 'minKey', 127: 'maxKey',
};
const TYPE_NAMES = new Set([...Object.values(TYPE_NUMBERS), 'number']);

/** The stored BSON type of a value; numbers use the int64/double annotation kept on their container. */
export function bsonTypeName(value: unknown, container: unknown, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number': {
      const annotated = getNumType(container, key);
      if (annotated) return annotated;
      return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? 'int' : 'double';
    }
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
  }
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (isPlainObject(value)) return 'object';
  const bsontype = (value as { _bsontype?: string })._bsontype;
  switch (bsontype) {
    case 'ObjectId':
      return 'objectId';
    case 'Binary':
      return 'binData';
    case 'Timestamp':
      return 'timestamp';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
  }
  return 'object';
}

function normalizeTypes(spec: unknown): Set<string> {
  const list = Array.isArray(spec) ? spec : [spec];
  return new Set(
    list.map((t) => {
      const name = typeof t === 'number' ? TYPE_NUMBERS[t] : t;
      if (typeof name !== 'string' || !TYPE_NAMES.has(name)) throw badValue(`unknown type name alias for $type: ${String(t)}`);
      return name;
    }),
  );
}

/** Calls `visit` with each value at `path` (through arrays of sub-documents) and its container. */
function visitPath(doc: unknown, parts: string[], visit: (value: unknown, container: unknown, key: string) => void): void {
  let current: Array<[unknown, unknown, string]> = [[doc, undefined, '']];
  for (const part of parts) {
    const next: Array<[unknown, unknown, string]> = [];
    for (const [value] of current) {
      if (Array.isArray(value)) {
        if (/^\d+$/.test(part)) next.push([value[Number(part)], value, part]);
        else for (const el of value) if (isPlainObject(el)) next.push([el[part], el, part]);
      } else if (isPlainObject(value)) {
        next.push([value[part], value, part]);
      }
    }
    current = next;
  }
  for (const [value, container, key] of current) visit(value, container, key);
}

/**
 * `$type` that knows the stored numeric type (mingo's own treats every integer as int and long alike
 * and has no objectId): an array field matches 'array' and also when any element matches.
 */
const $type = (selector: string, value: unknown) => {
  const wanted = normalizeTypes(value);
  const parts = selector.split('.');
  const matches = (name: string | undefined) =>
    name !== undefined && (wanted.has(name) || (wanted.has('number') && ['int', 'long', 'double', 'decimal'].includes(name)));
  return (obj: unknown) => {
    let found = false;
    visitPath(obj, parts, (v, container, key) => {
      if (found) return;
      if (matches(bsonTypeName(v, container, key))) found = true;
      else if (Array.isArray(v)) v.forEach((el, i) => (found ||= matches(bsonTypeName(el, v, String(i)))));
    });
    return found;
  };
};

/**
 * `$all` as mongod defines it: the conjunction of an equality (or `$elemMatch`) per value, so a
 * non-array field equal to the single value matches too (mingo's own requires an array).
 */
const $all = (selector: string, value: unknown, options: unknown) => {
  if (!Array.isArray(value)) throw badValue('$all needs an array');
  if (value.length === 0) return () => false;
  const members = value.map((v) => (isPlainObject(v) && '$elemMatch' in v ? { [selector]: v } : { [selector]: v instanceof RegExp ? v : { $eq: v } }));
  const query = new Query({ $and: members }, options as ConstructorParameters<typeof Query>[1]);
  return (obj: unknown) => query.test(obj as Record<string, unknown>);
};

/** The 64 bits of an integral number (two's complement), or undefined for values `$bits*` never match. */
function numberBits(v: number): bigint | undefined {
  if (!Number.isInteger(v) || !Number.isSafeInteger(v)) return undefined;
  return BigInt.asUintN(64, BigInt(v));
}

function binaryBit(bytes: Uint8Array, position: number): boolean {
  const byte = position >> 3;
  return byte < bytes.length && ((bytes[byte] >> (position & 7)) & 1) === 1;
}

/** `$bitsAllSet` & co. on integral numbers and on BinData (bit 0 = lowest bit of the first byte), as in mongod. */
function bitsOperator(all: boolean, set: boolean) {
  return (selector: string, mask: unknown) => {
    let positions: number[];
    if (typeof mask === 'number') {
      if (!Number.isInteger(mask) || mask < 0) throw badValue(`bit mask must be a non-negative integer: ${mask}`);
      positions = [];
      let m = BigInt(mask);
      for (let i = 0; m > 0n; i++, m >>= 1n) if (m & 1n) positions.push(i);
    } else if (Array.isArray(mask)) {
      if (!mask.every((p) => typeof p === 'number' && Number.isInteger(p) && p >= 0)) throw badValue('bit positions must be non-negative integers');
      positions = mask as number[];
    } else if ((mask as { _bsontype?: string } | null)?._bsontype === 'Binary') {
      const bytes = (mask as Binary).buffer;
      positions = [];
      for (let i = 0; i < bytes.length * 8; i++) if (binaryBit(bytes, i)) positions.push(i);
    } else {
      throw badValue(`${selector} takes an Array, a number, or a BinData but received: ${String(mask)}`);
    }
    const test = (bit: (p: number) => boolean) => {
      const hits = positions.map((p) => bit(p) === set);
      return all ? hits.every(Boolean) : hits.some(Boolean);
    };
    const parts = selector.split('.');
    return (obj: unknown) => {
      let found = false;
      const check = (v: unknown) => {
        if (found) return;
        if (Array.isArray(v)) {
          v.forEach(check);
          return;
        }
        if (typeof v === 'number') {
          const bits = numberBits(v);
          if (bits !== undefined) found = test((p) => (p >= 64 ? bits >> 63n === 1n : ((bits >> BigInt(p)) & 1n) === 1n));
        } else if ((v as { _bsontype?: string } | null)?._bsontype === 'Binary') {
          const bytes = (v as Binary).buffer;
          found = test((p) => binaryBit(bytes, p));
        }
      };
      visitPath(obj, parts, check);
      return found;
    };
  };
}

/**
 * All of mingo's operators with the stand-in's overrides. Used with mingo's base Query/Aggregator
 * classes: the convenience classes merge their defaults first, and the first definition wins.
 */
export const STANDIN_CONTEXT = Context.init({
  accumulator: { ...accumulatorOperators },
  expression: { ...expressionOperators },
  pipeline: { ...pipelineOperators },
  projection: { ...projectionOperators },
  query: {
    ...queryOperators,
    $type: $type as unknown as QueryOperator,
    $all: $all as unknown as QueryOperator,
    $bitsAllSet: bitsOperator(true, true) as unknown as QueryOperator,
    $bitsAnySet: bitsOperator(false, true) as unknown as QueryOperator,
    $bitsAllClear: bitsOperator(true, false) as unknown as QueryOperator,
    $bitsAnyClear: bitsOperator(false, false) as unknown as QueryOperator,
  },
  window: { ...windowOperators },
});

/** Options for every mingo call: no server-side JavaScript, the stand-in's operators. */
export const MINGO_OPTIONS = { scriptEnabled: false, context: STANDIN_CONTEXT } as const;
