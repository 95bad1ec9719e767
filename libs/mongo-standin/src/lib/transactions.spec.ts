import fc from 'fast-check';
import { CommandError } from './errors';
import { Engine, Transaction } from './engine';
import { keyString } from './values';

/**
 * Model-based test of snapshot isolation: random interleavings of transactional and plain reads and
 * writes from three sessions, checked against a simple model of committed versions and snapshots.
 */
type Op =
  | { kind: 'begin' | 'commit' | 'abort'; session: number }
  | { kind: 'read'; session: number; id: number }
  | { kind: 'write'; session: number; id: number; value: number | null }
  | { kind: 'plain'; id: number; value: number | null };

/** Committed state per id; deletions are kept as versions with value null. */
type Versions = Map<number, { value: number | null; version: number }>;

interface ModelTxn {
  txn: Transaction;
  snapshot: Versions;
  own: Map<number, number | null>;
}

const ids = fc.integer({ min: 0, max: 3 });
const session = fc.integer({ min: 0, max: 2 });
const value = fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constant(null));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('begin' as const, 'commit' as const, 'abort' as const), session }),
  fc.record({ kind: fc.constant('read' as const), session, id: ids }),
  fc.record({ kind: fc.constant('write' as const), session, id: ids, value }),
  fc.record({ kind: fc.constant('plain' as const), id: ids, value }),
);

describe('transactions (model-based)', () => {
  it('give snapshot reads, own writes, first-writer-wins conflicts and atomic commits', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const engine = new Engine();
        const committed: Versions = new Map();
        let version = 0;
        const open = new Map<number, ModelTxn>();
        let txnNumber = 0;
        const doc = (id: number, v: number | null) => (v === null ? null : { _id: id, v });
        const visible = (m: ModelTxn, id: number) => (m.own.has(id) ? m.own.get(id) : m.snapshot.get(id)?.value) ?? null;
        const abortModel = (s: number) => open.delete(s);

        for (const o of ops) {
          if (o.kind === 'plain') {
            // Deleting a document that does not exist (committed) changes nothing, as in mongod: it
            // neither touches a transaction's uncommitted write to it nor makes a new version.
            const changes = o.value !== null || (committed.get(o.id)?.value ?? null) !== null;
            // A plain write that changes a document wins over (and aborts) a transaction that wrote it.
            if (changes) for (const [s, m] of open) if (m.own.has(o.id)) abortModel(s);
            engine.write('db', 'c', keyString(o.id), doc(o.id, o.value), {}, o.value === null ? 'delete' : 'update');
            if (changes) committed.set(o.id, { value: o.value, version: ++version });
            continue;
          }
          const m = open.get(o.session);
          if (o.kind === 'begin') {
            if (m) engine.abortTransaction(m.txn);
            open.set(o.session, {
              txn: engine.startTransaction(`s${o.session}`, ++txnNumber),
              snapshot: new Map([...committed].map(([k, v]) => [k, { ...v }])),
              own: new Map(),
            });
            continue;
          }
          if (!m) continue;
          if (m.txn.state !== 'active') {
            // The engine aborted it (plain write); the model must have done the same.
            expect(open.has(o.session)).toBe(false);
            continue;
          }
          const ctx = { txn: m.txn };
          if (o.kind === 'read') {
            const got = engine.read(engine.getCollection('db', 'c'), 'db.c', keyString(o.id), ctx)?.['v'] ?? null;
            expect(got).toBe(visible(m, o.id));
            const all = engine.select('db', 'c', undefined, ctx).map(([, d]) => d['_id'] as number).sort();
            const expectedIds = [0, 1, 2, 3].filter((id) => visible(m, id) !== null);
            expect(all).toEqual(expectedIds);
          } else if (o.kind === 'write') {
            const heldByOther = [...open].some(([s, other]) => s !== o.session && other.own.has(o.id));
            const changedSinceSnapshot = (committed.get(o.id)?.version ?? -1) !== (m.snapshot.get(o.id)?.version ?? -1);
            const current = engine.read(engine.getCollection('db', 'c'), 'db.c', keyString(o.id), ctx);
            const mode = o.value === null ? 'delete' : current ? 'update' : 'insert';
            let error: unknown;
            try {
              engine.write('db', 'c', keyString(o.id), doc(o.id, o.value), ctx, mode);
            } catch (e) {
              error = e;
            }
            if (heldByOther || changedSinceSnapshot) {
              expect(error).toBeInstanceOf(CommandError);
              expect((error as CommandError).code).toBe(112);
              engine.abortTransaction(m.txn);
              abortModel(o.session);
            } else {
              expect(error).toBeUndefined();
              m.own.set(o.id, o.value);
            }
          } else if (o.kind === 'commit') {
            engine.commitTransaction(`s${o.session}`, m.txn.txnNumber);
            for (const [id, v] of m.own) {
              if (v !== null || (committed.get(id)?.value ?? null) !== null) committed.set(id, { value: v, version: ++version });
            }
            open.delete(o.session);
          } else {
            engine.abortTransaction(m.txn);
            open.delete(o.session);
          }
          // Plain readers always see exactly the committed state.
          for (const id of [0, 1, 2, 3]) {
            expect(engine.read(engine.getCollection('db', 'c'), 'db.c', keyString(id), {})?.['v'] ?? null).toBe(committed.get(id)?.value ?? null);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });
});
