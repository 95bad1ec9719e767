import * as fs from 'node:fs';
import * as path from 'node:path';
import { EJSON } from 'bson';
import { Doc, IndexSpec } from './collection';
import { Engine, JournalEntry, JournalSink } from './engine';
import { fromWire, keyString, toWire } from './values';

/**
 * Append-only NDJSON journal. Each committed change (one write, or a whole transaction) is one line of
 * canonical Extended JSON written with a synchronous write(2), so it survives a crash of the process
 * (not a power loss: there is no fsync per write). A torn last line is ignored on replay. A clean
 * shutdown rewrites the file as a compact snapshot.
 */
export class Journal implements JournalSink {
  private fd: number;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.fd = fs.openSync(file, 'a');
  }

  append(entry: JournalEntry): void {
    fs.writeSync(this.fd, serializeEntry(entry) + '\n');
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Replays `file` into the engine; returns the number of entries applied. */
  static replay(file: string, engine: Engine): number {
    if (!fs.existsSync(file)) return 0;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let applied = 0;
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let entry: JournalEntry;
      try {
        entry = EJSON.parse(line, { relaxed: false }) as JournalEntry;
      } catch (e) {
        const isLast = lines.slice(i + 1).every((l) => !l.trim());
        if (isLast) return; // torn write from a crash: the change never completed
        throw new Error(`mongo-standin journal ${file} is corrupt at line ${i + 1}: ${(e as Error).message}`);
      }
      applyEntry(engine, entry);
      applied++;
    });
    return applied;
  }

  /** Rewrites the journal as the minimal set of entries that recreate the engine's current state. */
  static compact(file: string, engine: Engine): void {
    const tmp = `${file}.compact-${process.pid}`;
    const fd = fs.openSync(tmp, 'w');
    try {
      for (const [db, colls] of engine.dbs) {
        for (const coll of colls.values()) {
          fs.writeSync(fd, serializeEntry({ op: 'createCollection', db, coll: coll.name }) + '\n');
          for (const index of coll.indexes.values()) {
            if (index.name !== '_id_') fs.writeSync(fd, serializeEntry({ op: 'createIndex', db, coll: coll.name, spec: index.spec }) + '\n');
          }
          let batch: Array<{ db: string; coll: string; id: unknown; doc: Doc | null }> = [];
          const flush = () => {
            if (batch.length) fs.writeSync(fd, serializeEntry({ op: 'writes', writes: batch }) + '\n');
            batch = [];
          };
          for (const [, doc] of coll.liveDocuments()) {
            batch.push({ db, coll: coll.name, id: doc['_id'], doc });
            if (batch.length >= 500) flush();
          }
          flush();
        }
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }
}

function serializeEntry(entry: JournalEntry): string {
  if (entry.op === 'writes') {
    return EJSON.stringify(
      { op: 'writes', writes: entry.writes.map((w) => ({ db: w.db, coll: w.coll, id: (toWire({ id: w.id }) as { id: unknown }).id, doc: w.doc ? toWire(w.doc) : null })) },
      { relaxed: false },
    );
  }
  return EJSON.stringify(entry, { relaxed: false });
}

function applyEntry(engine: Engine, entry: JournalEntry): void {
  switch (entry.op) {
    case 'createCollection':
      engine.ensureCollection(entry.db, entry.coll);
      return;
    case 'dropCollection':
      engine.dropCollection(entry.db, entry.coll);
      return;
    case 'dropDatabase':
      engine.dropDatabase(entry.db);
      return;
    case 'createIndex': {
      const spec = fromWire(entry.spec as unknown as Doc) as unknown as IndexSpec;
      const coll = engine.ensureCollection(entry.db, entry.coll);
      if (!coll.indexes.has(spec.name)) coll.createIndex(spec);
      return;
    }
    case 'dropIndex':
      engine.getCollection(entry.db, entry.coll)?.indexes.delete(entry.name);
      return;
    case 'writes':
      for (const w of entry.writes) {
        const wrapper = fromWire({ id: w.id, doc: w.doc });
        const doc = wrapper.doc as Doc | null;
        if (doc) engine.write(w.db, w.coll, keyString(wrapper.id), doc, {}, 'update');
        else engine.write(w.db, w.coll, keyString(wrapper.id), null, {}, 'delete');
      }
      return;
  }
}
