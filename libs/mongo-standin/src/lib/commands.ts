import { Aggregator } from 'mingo/aggregator';
import { Query } from 'mingo/query';
import * as pipelineOperators from 'mingo/operators/pipeline';
import { BSON, Binary, Long, ObjectId, Timestamp } from 'bson';
import { CommandError, TRANSIENT, badValue, notSupported } from './errors';
import { Doc, sameIndexSpec, validateIndexSpec } from './collection';
import { CommandScope, Engine, ExecContext, MINGO_OPTIONS, SelectOptions, Transaction, WouldBlock, assertSupportedExpression, compileFilter } from './engine';
import { MAX_DOCUMENT_BYTES, applyUpdate, bsonSize, compileUpdate, isOperatorUpdate, upsertSeed, validateUpdate, withId } from './update';
import { cloneDoc, fromWire, getNumType, isPlainObject, keyString, parseSort, reannotate, setNumType, setOwn, toWire } from './values';

export interface ServerIdentity {
  host: string;
  port: number;
  replicaSetName: string;
}

interface Cursor {
  ns: string;
  docs: Doc[];
  position: number;
  lastUsed: number;
}

const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const DEFAULT_FIRST_BATCH = 101;
const CURSOR_IDLE_MS = 10 * 60 * 1000;
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

/** Commands the stand-in knowingly refuses, with the feature named in the error. */
const REFUSED_COMMANDS: Record<string, string> = {
  mapReduce: 'mapReduce',
  collMod: 'collMod',
  renameCollection: 'renameCollection',
  eval: 'eval',
  geoNear: 'geoNear',
  createUser: 'user management (createUser)',
  updateUser: 'user management (updateUser)',
  shardCollection: 'sharding',
  compact: 'compact',
  validate: 'validate',
  fsync: 'fsync',
  replSetGetStatus: 'replica set administration',
  replSetInitiate: 'replica set administration',
};

const REFUSED_STAGES: Record<string, string> = {
  $changeStream: 'change streams ($changeStream / watch)',
  $out: 'the $out stage',
  $merge: 'the $merge stage',
  $geoNear: 'geospatial queries ($geoNear)',
  $search: 'Atlas Search ($search)',
  $searchMeta: 'Atlas Search ($searchMeta)',
  $vectorSearch: 'Atlas Vector Search ($vectorSearch)',
  $collStats: '$collStats',
  $indexStats: '$indexStats',
  $currentOp: '$currentOp',
  $listSessions: '$listSessions',
  $planCacheStats: '$planCacheStats',
};

/** Stages mingo evaluates; anything else gets mongod's unknown-stage error. */
const KNOWN_STAGES = new Set([...Object.keys(pipelineOperators), '$documents']);

/** Top-level command options that would change results and are not implemented. */
const REFUSED_OPTIONS: Record<string, string> = {
  collation: 'collation',
  tailable: 'tailable cursors',
  awaitData: 'tailable cursors (awaitData)',
  min: 'find min()',
  max: 'find max()',
  returnKey: 'returnKey',
  showRecordId: 'showRecordId',
  validator: 'collection validators ($jsonSchema / validator)',
  timeseries: 'time-series collections',
  clusteredIndex: 'clustered collections',
  changeStreamPreAndPostImages: 'change streams',
  viewOn: 'views',
  capped: 'capped collections',
  encryptedFields: 'queryable encryption',
};

function refuseOptions(cmd: Doc): void {
  for (const [option, feature] of Object.entries(REFUSED_OPTIONS)) {
    if (cmd[option] !== undefined && cmd[option] !== false) throw notSupported(feature);
  }
}

function asNumber(v: unknown, fallback = 0): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  return Number(v);
}

export class CommandHandler {
  private readonly cursors = new Map<string, Cursor>();
  private connectionCounter = 0;

  constructor(
    readonly engine: Engine,
    private readonly identity: ServerIdentity,
  ) {}

  nextConnectionId(): number {
    return ++this.connectionCounter;
  }

  /**
   * Runs one command and hands its reply to `reply` — at once, or later when the command is a plain
   * write waiting for a transaction that holds its document.
   */
  execute(rawCommand: Doc, connectionId: number, reply: (doc: Doc) => void, connected: () => boolean = () => true): void {
    try {
      reply(this.run(rawCommand, connectionId, true));
    } catch (e) {
      if (!(e instanceof WouldBlock)) throw e;
      // A parked write whose client has gone is dropped, never run later: mongod kills the
      // operations of a disconnected client.
      e.holder.waiters.push(() => {
        if (connected()) this.execute(rawCommand, connectionId, reply, connected);
      });
    }
  }

  /** Runs one command and returns the reply document (errors become `ok: 0` replies). */
  run(rawCommand: Doc, connectionId: number, mayWait = false): Doc {
    let txn: Transaction | undefined;
    const scope: CommandScope = { writes: 0, mayWait };
    this.engine.scope = scope;
    try {
      const name = Object.keys(rawCommand)[0];
      const db = (rawCommand['$db'] as string | undefined) ?? 'admin';
      const cmd = rawCommand;
      const ctx = this.transactionContext(cmd, name);
      txn = ctx.txn;
      scope.mayWait = mayWait && !txn;
      const reply = this.dispatch(name, db, cmd, ctx, connectionId);
      if (txn && Array.isArray(reply['writeErrors']) && reply['writeErrors'].length) {
        this.engine.abortTransaction(txn); // any error inside a transaction aborts it, as in mongod
      }
      return reply;
    } catch (e) {
      if (e instanceof WouldBlock) throw e;
      const error =
        e instanceof CommandError ? e : new CommandError(1, 'InternalError', `mongo-standin internal error: ${(e as Error).message}`);
      if (txn && txn.state === 'active' && !error.errorLabels.includes(TRANSIENT)) this.engine.abortTransaction(txn);
      else if (txn && error.errorLabels.includes(TRANSIENT)) this.engine.abortTransaction(txn, error);
      return error.toResponse();
    } finally {
      this.engine.scope = undefined;
    }
  }

  private transactionContext(cmd: Doc, name: string): ExecContext {
    const lsid = cmd['lsid'] as { id?: Binary } | undefined;
    if (cmd['autocommit'] === undefined || !lsid?.id || name === 'commitTransaction' || name === 'abortTransaction') {
      return {};
    }
    if (cmd['autocommit'] !== false) throw badValue('autocommit must be false when present');
    const sessionKey = Buffer.from(lsid.id.buffer).toString('hex');
    const txnNumber = asNumber(cmd['txnNumber']);
    if (cmd['startTransaction'] === true) {
      const readConcern = cmd['readConcern'] as Doc | undefined;
      if (readConcern?.['level'] && !['snapshot', 'majority', 'local'].includes(readConcern['level'] as string)) {
        throw notSupported(`read concern level '${String(readConcern['level'])}' in transactions`);
      }
      return { txn: this.engine.startTransaction(sessionKey, txnNumber) };
    }
    return { txn: this.engine.continueTransaction(sessionKey, txnNumber) };
  }

  private dispatch(name: string, db: string, cmd: Doc, ctx: ExecContext, connectionId: number): Doc {
    switch (name) {
      case 'hello':
      case 'isMaster':
      case 'ismaster':
        return this.hello(cmd, connectionId);
      case 'ping':
        return { ok: 1 };
      case 'buildInfo':
      case 'buildinfo':
        return { version: '7.0.0', gitVersion: 'mongo-standin', versionArray: [7, 0, 0, 0], bits: 64, maxBsonObjectSize: 16777216, ok: 1 };
      case 'getParameter':
        return {
          featureCompatibilityVersion: { version: '7.0' },
          transactionLifetimeLimitSeconds: this.engine.transactionLifetimeMs / 1000,
          ok: 1,
        };
      case 'setParameter': {
        if (db !== 'admin') throw new CommandError(13, 'Unauthorized', 'setParameter may only be run against the admin database.');
        const names = Object.keys(cmd).filter((k) => !['setParameter', '$db', 'lsid', '$clusterTime', '$readPreference', 'comment'].includes(k));
        const reply: Doc = { ok: 1 };
        for (const name of names) {
          if (name !== 'transactionLifetimeLimitSeconds') throw notSupported(`setParameter ${name}`);
          const seconds = asNumber(cmd[name]);
          if (!(seconds >= 1)) throw badValue('transactionLifetimeLimitSeconds must be greater than or equal to 1s');
          reply['was'] = this.engine.transactionLifetimeMs / 1000;
          this.engine.transactionLifetimeMs = seconds * 1000;
        }
        return reply;
      }
      case 'serverStatus': {
        const mem = process.memoryUsage();
        const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
        return {
          host: `${this.identity.host}:${this.identity.port}`,
          version: '7.0.0',
          process: 'mongo-standin',
          pid: process.pid,
          uptime: process.uptime(),
          mem: { bits: 64, resident: mb(mem.rss), heapUsed: mb(mem.heapUsed), heapTotal: mb(mem.heapTotal), external: mb(mem.external) },
          ok: 1,
        };
      }
      case 'hostInfo':
        return { system: { hostname: this.identity.host }, ok: 1 };
      case 'whatsmyuri':
        return { you: `${this.identity.host}:0`, ok: 1 };
      case 'connectionStatus':
        return { authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 };
      case 'saslStart':
      case 'authenticate':
      case 'saslContinue':
        throw new CommandError(
          18,
          'AuthenticationFailed',
          'mongo-standin does not implement authentication: remove the username/password from the connection string (it accepts unauthenticated connections only)',
        );
      case 'endSessions':
      case 'killSessions':
        for (const lsid of (cmd[name] as Array<{ id?: Binary }>) ?? []) {
          if (lsid?.id) this.engine.endSession(Buffer.from(lsid.id.buffer).toString('hex'));
        }
        return { ok: 1 };
      case 'commitTransaction':
      case 'abortTransaction':
        return this.endTransaction(name, cmd);
      case 'insert':
        return this.insert(db, cmd, ctx);
      case 'find':
        return this.find(db, cmd, ctx);
      case 'getMore':
        return this.getMore(cmd);
      case 'killCursors':
        return this.killCursors(cmd);
      case 'update':
        return this.update(db, cmd, ctx);
      case 'delete':
        return this.delete(db, cmd, ctx);
      case 'findAndModify':
      case 'findandmodify':
        return this.findAndModify(db, cmd, ctx);
      case 'aggregate':
        return this.aggregate(db, cmd, ctx);
      case 'count':
        return this.count(db, cmd, ctx);
      case 'distinct':
        return this.distinct(db, cmd, ctx);
      case 'create':
        return this.create(db, cmd, ctx);
      case 'createIndexes':
        return this.createIndexes(db, cmd, ctx);
      case 'listIndexes':
        return this.listIndexes(db, cmd);
      case 'dropIndexes':
      case 'deleteIndexes':
        return this.dropIndexes(db, cmd);
      case 'listCollections':
        return this.listCollections(db, cmd);
      case 'drop':
        this.refuseInTransaction(ctx, 'drop');
        this.engine.dropCollection(db, String(cmd['drop']));
        return { ns: `${db}.${String(cmd['drop'])}`, ok: 1 };
      case 'dropDatabase':
        this.refuseInTransaction(ctx, 'dropDatabase');
        this.engine.dropDatabase(db);
        return { dropped: db, ok: 1 };
      case 'listDatabases':
        return this.listDatabases(cmd);
      case 'dbStats':
        return { db, collections: this.engine.dbs.get(db)?.size ?? 0, objects: 0, ok: 1 };
      case 'collStats':
        throw notSupported('collStats');
      case 'explain':
        throw notSupported('explain');
      case 'getLog':
        return { totalLinesWritten: 0, log: [], ok: 1 };
      case 'logout':
        return { ok: 1 };
    }
    if (REFUSED_COMMANDS[name]) throw notSupported(REFUSED_COMMANDS[name]);
    throw new CommandError(59, 'CommandNotFound', `no such command: '${name}' (mongo-standin)`);
  }

  /** The index a `hint` names (by name or key pattern), or mongod's error when there is none. */
  private resolveHint(db: string, coll: string, hint: unknown): SelectOptions['hint'] {
    if (hint === undefined || hint === null) return undefined;
    if (isPlainObject(hint) && '$natural' in hint) return 'natural';
    const collection = this.engine.getCollection(db, coll);
    if (!collection) return undefined; // nothing to read: mongod answers with an empty result
    const wanted = typeof hint === 'string' ? undefined : keyString(fromWire(hint as Doc));
    for (const index of collection.indexes.values()) {
      if (typeof hint === 'string' ? index.name === hint : keyString(index.spec.key) === wanted) return index;
    }
    throw badValue(`error processing query: ns=${db}.${coll} planner returned error :: caused by :: hint provided does not correspond to an existing index`);
  }

  private refuseInTransaction(ctx: ExecContext, what: string): void {
    if (ctx.txn) throw new CommandError(263, 'OperationNotSupportedInTransaction', `Cannot run '${what}' in a multi-document transaction.`);
  }

  private hello(cmd: Doc, connectionId: number): Doc {
    if (cmd['speculativeAuthenticate'] !== undefined) {
      // The driver tries to authenticate during the handshake when credentials are present.
      throw new CommandError(
        18,
        'AuthenticationFailed',
        'mongo-standin does not implement authentication: remove the username/password from the connection string',
      );
    }
    const me = `${this.identity.host}:${this.identity.port}`;
    return {
      helloOk: true,
      ismaster: true,
      isWritablePrimary: true,
      secondary: false,
      setName: this.identity.replicaSetName,
      setVersion: 1,
      electionId: ELECTION_ID,
      hosts: [me],
      primary: me,
      me,
      maxBsonObjectSize: 16 * 1024 * 1024,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      localTime: new Date(this.engine.now()),
      logicalSessionTimeoutMinutes: 30,
      connectionId,
      minWireVersion: 0,
      maxWireVersion: 21,
      readOnly: false,
      lastWrite: { lastWriteDate: new Date(this.engine.now()), opTime: { ts: Timestamp.fromNumber(0), t: 1 } },
      ok: 1,
    };
  }

  private endTransaction(name: string, cmd: Doc): Doc {
    const lsid = cmd['lsid'] as { id?: Binary } | undefined;
    if (!lsid?.id) throw badValue(`${name} requires a session`);
    const sessionKey = Buffer.from(lsid.id.buffer).toString('hex');
    const txnNumber = asNumber(cmd['txnNumber']);
    if (name === 'commitTransaction') {
      this.engine.commitTransaction(sessionKey, txnNumber);
    } else {
      const txn = this.engine.sessions.get(sessionKey);
      if (!txn || txn.txnNumber !== txnNumber) {
        throw new CommandError(251, 'NoSuchTransaction', `Given transaction number ${txnNumber} does not match any in-progress transactions.`, [TRANSIENT]);
      }
      if (txn.state === 'committed') throw new CommandError(256, 'TransactionCommitted', 'Cannot abort a committed transaction.');
      this.engine.abortTransaction(txn);
    }
    return { ok: 1 };
  }

  // ------------------------------------------------------------------ CRUD

  private collectionName(cmd: Doc, name: string): string {
    const coll = cmd[name];
    if (typeof coll !== 'string' || !coll) throw new CommandError(73, 'InvalidNamespace', `collection name must be a string for ${name}`);
    return coll;
  }

  private insert(db: string, cmd: Doc, ctx: ExecContext): Doc {
    const coll = this.collectionName(cmd, 'insert');
    refuseOptions(cmd);
    const documents = (cmd['documents'] as Doc[] | undefined) ?? [];
    const ordered = cmd['ordered'] !== false;
    const writeErrors: Doc[] = [];
    let n = 0;
    for (let i = 0; i < documents.length; i++) {
      try {
        const doc = withId(fromWire(documents[i]));
        const size = bsonSize(doc);
        if (size > MAX_DOCUMENT_BYTES) throw badValue(`object to insert too large. size in bytes: ${size}, max size: ${MAX_DOCUMENT_BYTES}`);
        this.engine.write(db, coll, keyString(doc['_id']), doc, ctx, 'insert');
        n++;
      } catch (e) {
        if (!(e instanceof CommandError) || e.errorLabels.includes(TRANSIENT)) throw e;
        writeErrors.push({ index: i, code: e.code, codeName: e.codeName, errmsg: e.message, ...e.extra });
        if (ordered) break;
      }
    }
    return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
  }

  private find(db: string, cmd: Doc, ctx: ExecContext): Doc {
    const coll = this.collectionName(cmd, 'find');
    refuseOptions(cmd);
    const filter = fromWire((cmd['filter'] as Doc | undefined) ?? {});
    const limitRaw = asNumber(cmd['limit']);
    const singleBatch = cmd['singleBatch'] === true || limitRaw < 0;
    const limit = Math.abs(limitRaw) || undefined;
    const rows = this.engine.select(db, coll, filter, ctx, {
      hint: this.resolveHint(db, coll, cmd['hint']),
      sort: parseSort(cmd['sort']),
      skip: asNumber(cmd['skip']) || undefined,
      limit,
    });
    const docs = this.project(rows.map(([, d]) => d), cmd['projection'] ? fromWire(cmd['projection'] as Doc) : undefined);
    return this.cursorReply(`${db}.${coll}`, docs, asNumber(cmd['batchSize'], DEFAULT_FIRST_BATCH), singleBatch);
  }

  private project(docs: Doc[], projection: Doc | undefined): Doc[] {
    return projectDocuments(docs, projection);
  }

  private cursorReply(ns: string, docs: Doc[], batchSize: number, singleBatch: boolean): Doc {
    const { batch, next } = this.takeBatch(docs, 0, batchSize || DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (!singleBatch && next < docs.length) {
      id = Long.fromNumber(Math.floor(Math.random() * 2 ** 52) + 1);
      this.cursors.set(id.toString(), { ns, docs, position: next, lastUsed: this.engine.now() });
    }
    return { cursor: { firstBatch: batch, id, ns }, ok: 1 };
  }

  private takeBatch(docs: Doc[], from: number, batchSize: number): { batch: unknown[]; next: number } {
    const batch: unknown[] = [];
    let bytes = 0;
    let i = from;
    while (i < docs.length && batch.length < batchSize) {
      const wire = toWire(docs[i]);
      bytes += BSON.calculateObjectSize(wire as Doc);
      if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
      batch.push(wire);
      i++;
    }
    return { batch, next: i };
  }

  private getMore(cmd: Doc): Doc {
    const idValue = cmd['getMore'];
    const key = idValue instanceof Long ? idValue.toString() : String(idValue);
    const cursor = this.cursors.get(key);
    if (!cursor) throw new CommandError(43, 'CursorNotFound', `cursor id ${key} not found`);
    const { batch, next } = this.takeBatch(cursor.docs, cursor.position, asNumber(cmd['batchSize']) || Number.MAX_SAFE_INTEGER);
    cursor.position = next;
    cursor.lastUsed = this.engine.now();
    let id = Long.fromString(key);
    if (next >= cursor.docs.length) {
      this.cursors.delete(key);
      id = Long.ZERO;
    }
    return { cursor: { nextBatch: batch, id, ns: cursor.ns }, ok: 1 };
  }

  private killCursors(cmd: Doc): Doc {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of (cmd['cursors'] as unknown[]) ?? []) {
      const key = id instanceof Long ? id.toString() : String(id);
      (this.cursors.delete(key) ? killed : notFound).push(Long.fromString(key));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  /** Drops cursors idle for 10 minutes, like mongod's cursor timeout. */
  expireIdleCursors(): void {
    const now = this.engine.now();
    for (const [key, cursor] of this.cursors) if (now - cursor.lastUsed > CURSOR_IDLE_MS) this.cursors.delete(key);
  }

  private update(db: string, cmd: Doc, ctx: ExecContext): Doc {
    const coll = this.collectionName(cmd, 'update');
    const updates = (cmd['updates'] as Doc[] | undefined) ?? [];
    const ordered = cmd['ordered'] !== false;
    const writeErrors: Doc[] = [];
    const upserted: Doc[] = [];
    let n = 0;
    let nModified = 0;
    for (let i = 0; i < updates.length; i++) {
      try {
        const spec = updates[i];
        refuseOptions(spec);
        const result = this.updateOne(db, coll, spec, ctx);
        n += result.matched;
        nModified += result.modified;
        if (result.upsertedId !== undefined) {
          n += 1;
          upserted.push({ index: i, _id: toWire(result.upsertedId) });
        }
      } catch (e) {
        if (!(e instanceof CommandError) || e.errorLabels.includes(TRANSIENT)) throw e;
        writeErrors.push({ index: i, code: e.code, codeName: e.codeName, errmsg: e.message, ...e.extra });
        if (ordered) break;
      }
    }
    const reply: Doc = { n, nModified, ok: 1 };
    if (upserted.length) reply['upserted'] = upserted;
    if (writeErrors.length) reply['writeErrors'] = writeErrors;
    return reply;
  }

  private updateOne(
    db: string,
    coll: string,
    spec: Doc,
    ctx: ExecContext,
    sortRaw?: unknown,
  ): { matched: number; modified: number; upsertedId?: unknown; before?: Doc; after?: Doc } {
    const filter = fromWire((spec['q'] as Doc | undefined) ?? {});
    const update = fromWire(spec['u'] as Doc | Doc[]);
    validateUpdate(update);
    const multi = spec['multi'] === true;
    if (multi && !Array.isArray(update) && !Object.keys(update)[0]?.startsWith('$')) {
      throw new CommandError(9, 'FailedToParse', 'multi update is not supported for replacement-style update');
    }
    const arrayFilters = spec['arrayFilters'] ? fromWire(spec['arrayFilters'] as Doc[]) : undefined;
    if (arrayFilters) assertSupportedExpression(arrayFilters);
    const compiled = !Array.isArray(update) && isOperatorUpdate(update) ? compileUpdate(update, arrayFilters) : undefined;
    const now = this.engine.now();
    const rows = this.engine.select(db, coll, filter, ctx, {
      limit: multi ? undefined : 1,
      sort: parseSort(sortRaw ?? spec['sort']),
      hint: this.resolveHint(db, coll, spec['hint']),
    });
    if (rows.length === 0) {
      if (spec['upsert'] !== true) return { matched: 0, modified: 0 };
      const seed = upsertSeed(filter);
      const doc = checkUpdatedSize(withId(applyUpdate(seed, update, { isInsert: true, arrayFilters, compiled, now })));
      this.engine.write(db, coll, keyString(doc['_id']), doc, ctx, 'insert');
      return { matched: 0, modified: 0, upsertedId: doc['_id'], after: doc };
    }
    let modified = 0;
    let before: Doc | undefined;
    let after: Doc | undefined;
    for (const [id, doc] of rows) {
      const next = applyUpdate(doc, update, { filter, arrayFilters, isInsert: false, compiled, now });
      before ??= doc;
      after ??= next;
      if (sameDocument(next, doc)) continue;
      checkUpdatedSize(next);
      this.engine.write(db, coll, id, next, ctx, 'update');
      modified++;
    }
    return { matched: rows.length, modified, before, after };
  }

  private delete(db: string, cmd: Doc, ctx: ExecContext): Doc {
    const coll = this.collectionName(cmd, 'delete');
    const deletes = (cmd['deletes'] as Doc[] | undefined) ?? [];
    const ordered = cmd['ordered'] !== false;
    const writeErrors: Doc[] = [];
    let n = 0;
    for (let i = 0; i < deletes.length; i++) {
      try {
        const spec = deletes[i];
        refuseOptions(spec);
        const limit = asNumber(spec['limit']);
        const rows = this.engine.select(db, coll, fromWire((spec['q'] as Doc | undefined) ?? {}), ctx, {
          limit: limit === 1 ? 1 : undefined,
          hint: this.resolveHint(db, coll, spec['hint']),
        });
        for (const [id] of rows) this.engine.write(db, coll, id, null, ctx, 'delete');
        n += rows.length;
      } catch (e) {
        if (!(e instanceof CommandError) || e.errorLabels.includes(TRANSIENT)) throw e;
        writeErrors.push({ index: i, code: e.code, codeName: e.codeName, errmsg: e.message, ...e.extra });
        if (ordered) break;
      }
    }
    return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
  }

  private findAndModify(db: string, cmd: Doc, ctx: ExecContext): Doc {
    const coll = this.collectionName(cmd, Object.keys(cmd)[0]);
    refuseOptions(cmd);
    const query = fromWire((cmd['query'] as Doc | undefined) ?? {});
    const fields = cmd['fields'] ? fromWire(cmd['fields'] as Doc) : undefined;
    const returnDoc = (doc: Doc | undefined | null) => (doc ? toWire(this.project([doc], fields)[0]) : null);
    if (cmd['remove'] === true) {
      const rows = this.engine.select(db, coll, query, ctx, { limit: 1, sort: parseSort(cmd['sort']), hint: this.resolveHint(db, coll, cmd['hint']) });
      if (!rows.length) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
      const [id, doc] = rows[0];
      this.engine.write(db, coll, id, null, ctx, 'delete');
      return { lastErrorObject: { n: 1 }, value: returnDoc(doc), ok: 1 };
    }
    if (cmd['update'] === undefined) throw badValue('Either an update or remove=true must be specified');
    const result = this.updateOne(
      db,
      coll,
      { q: query, u: cmd['update'], upsert: cmd['upsert'] === true, arrayFilters: cmd['arrayFilters'], hint: cmd['hint'] },
      ctx,
      cmd['sort'],
    );
    if (result.upsertedId !== undefined) {
      return {
        lastErrorObject: { n: 1, updatedExisting: false, upserted: toWire(result.upsertedId) },
        value: cmd['new'] === true ? returnDoc(result.after) : null,
        ok: 1,
      };
    }
    if (!result.matched) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: returnDoc(cmd['new'] === true ? result.after : result.before),
      ok: 1,
    };
  }

  // ------------------------------------------------------------------ aggregation

  private aggregate(db: string, cmd: Doc, ctx: ExecContext): Doc {
    refuseOptions(cmd);
    if (cmd['explain']) throw notSupported('explain');
    const target = cmd['aggregate'];
    const pipeline = fromWire((cmd['pipeline'] as Doc[] | undefined) ?? []);
    for (const stage of pipeline) {
      const op = Object.keys(stage)[0];
      if (REFUSED_STAGES[op]) throw notSupported(REFUSED_STAGES[op]);
      if (!KNOWN_STAGES.has(op)) throw new CommandError(40324, 'Location40324', `Unrecognized pipeline stage name: '${op}'`);
    }
    assertSupportedExpression(pipeline);
    const cursorOpts = (cmd['cursor'] as Doc | undefined) ?? {};
    let input: Doc[] = [];
    let rest = pipeline;
    const nsName = typeof target === 'string' ? target : '$cmd.aggregate';
    if (typeof target === 'string') {
      // Let the first $match (and a following $sort/$skip/$limit) use indexes.
      let filter: Doc | undefined;
      if (rest[0] && '$match' in rest[0]) {
        filter = rest[0]['$match'] as Doc;
        rest = rest.slice(1);
      }
      const counted = cmd['hint'] === undefined ? this.fastCount(db, target, filter, rest, ctx) : undefined;
      if (counted) return { cursor: { firstBatch: counted, id: Long.ZERO, ns: `${db}.${nsName}` }, ok: 1 };
      input = this.engine.select(db, target, filter, ctx, { hint: this.resolveHint(db, target, cmd['hint']) }).map(([, d]) => d);
    } else if (!(rest[0] && '$documents' in rest[0])) {
      throw notSupported(`aggregate: 1 without $documents (${Object.keys(rest[0] ?? {})[0] ?? 'empty pipeline'})`);
    }
    let output: Doc[];
    try {
      const aggregator = new Aggregator(rest, {
        ...MINGO_OPTIONS,
        processingMode: 1, // clone inputs: mingo mutates documents in place otherwise
        collectionResolver: (name: string) => this.engine.allDocuments(db, name, ctx).map((d) => cloneDoc(d)),
        variables: (cmd['let'] as Doc | undefined) ?? undefined,
      });
      output = (aggregator.run(input) as Doc[]).map(idFirst);
    } catch (e) {
      if (e instanceof CommandError) throw e;
      throw new CommandError(2, 'BadValue', `aggregation failed: ${(e as Error).message}`);
    }
    return this.cursorReply(`${db}.${nsName}`, output, asNumber(cursorOpts['batchSize'], DEFAULT_FIRST_BATCH), false);
  }

  /** countDocuments sends $match + $group {_id: 1, n: {$sum: 1}}: count without materialising copies. */
  private fastCount(db: string, coll: string, filter: Doc | undefined, rest: Doc[], ctx: ExecContext): Doc[] | undefined {
    let skip = 0;
    let limit: number | undefined;
    let i = 0;
    for (; i < rest.length - 1; i++) {
      if ('$skip' in rest[i]) skip = asNumber(rest[i]['$skip']);
      else if ('$limit' in rest[i]) limit = asNumber(rest[i]['$limit']);
      else return undefined;
    }
    const group = rest[i]?.['$group'] as Doc | undefined;
    if (!group || Object.keys(group).length !== 2) return undefined;
    const [countField] = Object.keys(group).filter((k) => k !== '_id');
    const sum = group[countField] as Doc | undefined;
    if (group['_id'] !== 1 || !isPlainObject(sum) || sum['$sum'] !== 1) return undefined;
    const n = this.engine.select(db, coll, filter, ctx, { skip: skip || undefined, limit }).length;
    return n ? [{ _id: 1, [countField]: n }] : [];
  }

  private count(db: string, cmd: Doc, ctx: ExecContext): Doc {
    refuseOptions(cmd);
    const coll = this.collectionName(cmd, 'count');
    const n = this.engine.select(db, coll, fromWire((cmd['query'] as Doc | undefined) ?? {}), ctx, {
      hint: this.resolveHint(db, coll, cmd['hint']),
      skip: asNumber(cmd['skip']) || undefined,
      limit: Math.abs(asNumber(cmd['limit'])) || undefined,
    }).length;
    return { n, ok: 1 };
  }

  private distinct(db: string, cmd: Doc, ctx: ExecContext): Doc {
    refuseOptions(cmd);
    const coll = this.collectionName(cmd, 'distinct');
    const key = cmd['key'];
    if (typeof key !== 'string') throw badValue('distinct key must be a string');
    const rows = this.engine.select(db, coll, fromWire((cmd['query'] as Doc | undefined) ?? {}), ctx);
    const values = new Map<string, unknown>();
    for (const [, doc] of rows) {
      const walk = (v: unknown) => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v !== undefined) values.set(keyString(v), v);
      };
      walk(key.split('.').reduce<unknown>((acc, part) => (Array.isArray(acc) ? acc.map((x) => (x as Doc)?.[part]) : (acc as Doc | undefined)?.[part]), doc));
    }
    return { values: [...values.values()], ok: 1 };
  }

  // ------------------------------------------------------------------ catalog

  private create(db: string, cmd: Doc, ctx: ExecContext): Doc {
    refuseOptions(cmd);
    this.refuseInTransaction(ctx, 'create');
    const name = this.collectionName(cmd, 'create');
    if (this.engine.getCollection(db, name)) throw new CommandError(48, 'NamespaceExists', `Collection ${db}.${name} already exists.`);
    this.engine.ensureCollection(db, name);
    return { ok: 1 };
  }

  private createIndexes(db: string, cmd: Doc, ctx: ExecContext): Doc {
    this.refuseInTransaction(ctx, 'createIndexes');
    const name = this.collectionName(cmd, 'createIndexes');
    const specs = ((cmd['indexes'] as Doc[] | undefined) ?? []).map((raw) => validateIndexSpec(fromWire(raw)));
    const existed = !!this.engine.getCollection(db, name);
    const coll = this.engine.ensureCollection(db, name);
    const before = coll.indexes.size;
    for (const spec of specs) {
      if (spec.partialFilterExpression) compileFilter(spec.partialFilterExpression);
      const sameName = coll.indexes.get(spec.name);
      if (sameName) {
        if (sameIndexSpec(sameName.spec, spec)) continue;
        throw new CommandError(86, 'IndexKeySpecsConflict', `An existing index has the same name as the requested index but different options: ${spec.name}`);
      }
      const sameKey = [...coll.indexes.values()].find((i) => keyString(i.spec.key) === keyString(spec.key));
      if (sameKey) {
        if (sameIndexSpec(sameKey.spec, spec)) continue;
        throw new CommandError(85, 'IndexOptionsConflict', `An equivalent index already exists with a different name and options: ${sameKey.name}`);
      }
      this.engine.createIndex(db, name, spec);
    }
    return { createdCollectionAutomatically: !existed, numIndexesBefore: before, numIndexesAfter: coll.indexes.size, ok: 1 };
  }

  private listIndexes(db: string, cmd: Doc): Doc {
    const name = this.collectionName(cmd, 'listIndexes');
    const coll = this.engine.getCollection(db, name);
    if (!coll) throw new CommandError(26, 'NamespaceNotFound', `ns does not exist: ${db}.${name}`);
    const docs = [...coll.indexes.values()].map((i) => i.describe());
    return this.cursorReply(`${db}.${name}`, docs, Number.MAX_SAFE_INTEGER, true);
  }

  private dropIndexes(db: string, cmd: Doc): Doc {
    const name = this.collectionName(cmd, Object.keys(cmd)[0]);
    const coll = this.engine.getCollection(db, name);
    if (!coll) throw new CommandError(26, 'NamespaceNotFound', `ns not found ${db}.${name}`);
    const before = coll.indexes.size;
    const which = cmd['index'];
    const names: string[] =
      which === '*'
        ? [...coll.indexes.keys()].filter((n) => n !== '_id_')
        : Array.isArray(which)
          ? (which as string[])
          : typeof which === 'string'
            ? [which]
            : [...coll.indexes.values()].filter((i) => keyString(i.spec.key) === keyString(fromWire(which as Doc))).map((i) => i.name);
    for (const indexName of names) {
      if (indexName === '_id_') throw new CommandError(72, 'InvalidOptions', 'cannot drop _id index');
      if (!coll.indexes.has(indexName)) throw new CommandError(27, 'IndexNotFound', `index not found with name [${indexName}]`);
      this.engine.dropIndex(db, name, indexName);
    }
    return { nIndexesWas: before, ok: 1 };
  }

  private listCollections(db: string, cmd: Doc): Doc {
    const colls = [...(this.engine.dbs.get(db)?.values() ?? [])];
    let docs: Doc[] = colls.map((c) => ({
      name: c.name,
      type: 'collection',
      options: {},
      info: { readOnly: false, uuid: c.uuid },
      idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
    }));
    const filter = cmd['filter'] as Doc | undefined;
    const query = compileFilter(filter ? fromWire(filter) : undefined);
    if (query) docs = docs.filter((d) => query.test(d));
    if (cmd['nameOnly'] === true) docs = docs.map((d) => ({ name: d['name'], type: d['type'] }));
    return this.cursorReply(`${db}.$cmd.listCollections`, docs, Number.MAX_SAFE_INTEGER, true);
  }

  private listDatabases(cmd: Doc): Doc {
    const databases = [...this.engine.dbs.entries()].map(([name, colls]) => ({
      name,
      sizeOnDisk: 0,
      empty: [...colls.values()].every((c) => c.liveCount === 0),
    }));
    if (cmd['nameOnly'] === true) return { databases: databases.map((d) => ({ name: d.name })), ok: 1 };
    return { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
  }
}

/**
 * Find projections. `$slice` and `$elemMatch` are applied here (mingo's projection counted `$slice`
 * as an inclusion and refused it beside exclusions); plain inclusions, exclusions and expressions go
 * to mingo. A projection of only `$slice`/`$elemMatch` fields keeps the rest of the document, as in mongod.
 */
export function projectDocuments(docs: Doc[], projection: Doc | undefined): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  assertSupportedExpression(projection);
  const slices: Array<[string, unknown]> = [];
  const elemMatches: Array<[string, Doc]> = [];
  const rest: Doc = {};
  for (const [key, value] of Object.entries(projection)) {
    if (key.endsWith('.$')) throw notSupported(`positional projection ('${key}')`);
    if (isPlainObject(value) && '$meta' in value) throw notSupported('$meta projection');
    if (isPlainObject(value) && Object.keys(value).length === 1 && '$slice' in value) slices.push([key, value['$slice']]);
    else if (isPlainObject(value) && Object.keys(value).length === 1 && '$elemMatch' in value) {
      if (key.includes('.')) throw new CommandError(2, 'BadValue', `Cannot use $elemMatch projection on a nested field: ${key}`);
      if (!isPlainObject(value['$elemMatch'])) throw badValue('$elemMatch needs an Object');
      elemMatches.push([key, value['$elemMatch'] as Doc]);
    } else rest[key] = value;
  }
  const includes = (v: unknown) => !(v === 0 || v === false);
  const fields = Object.entries(rest).filter(([k]) => k !== '_id');
  // $elemMatch counts as an inclusion; a projection of only $slice fields keeps the rest of the document.
  const inclusion = fields.some(([, v]) => includes(v)) || (fields.length === 0 && (elemMatches.length > 0 || (rest['_id'] !== undefined && includes(rest['_id']) && !slices.length)));
  for (const [k, v] of Object.entries(rest)) {
    if (k === '_id') continue;
    if (inclusion && !includes(v)) throw new CommandError(31254, 'Location31254', `Cannot do exclusion on field ${k} in inclusion projection`);
    if (!inclusion && includes(v)) throw new CommandError(31253, 'Location31253', `Cannot do inclusion on field ${k} in exclusion projection`);
  }
  for (const [key, amount] of slices) {
    const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n);
    if (!(ok(amount) || (Array.isArray(amount) && amount.length === 2 && ok(amount[0]) && ok(amount[1]) && (amount[1] as number) > 0))) {
      throw badValue(`$slice only supports numbers and [skip, limit] arrays (${key})`);
    }
  }
  const elemMatchers = elemMatches.map(([key, cond]) => [key, compileFilter({ [key]: { $elemMatch: cond } })] as const);
  try {
    // Exclusion-style $slice edits the projected copy in place: it must not share arrays with the store.
    const input = slices.length && !inclusion ? docs.map((d) => cloneDoc(d)) : docs;
    const keepId = rest['_id'] === undefined || includes(rest['_id']);
    const base: Doc[] =
      fields.length === 0 && inclusion
        ? input.map((d) => (keepId && d['_id'] !== undefined ? { _id: d['_id'] } : {}))
        : Object.keys(rest).length === 0
          ? input
          : (new Query({}, MINGO_OPTIONS).find(input, rest).all() as Doc[]);
    return base.map((projected, i) => {
      const original = docs[i];
      let out = inDocumentOrder(projected, original);
      reannotate(out, original);
      for (const [key, amount] of slices) {
        const parts = key.split('.');
        if (inclusion) includeSliced(out, original, parts, amount);
        else sliceInPlace(out, parts, amount);
      }
      if (elemMatchers.length) {
        out = { ...out };
        reannotate(out, original);
        for (const [key, matcher] of elemMatchers) {
          delete out[key];
          const array = original[key];
          if (!Array.isArray(array)) continue;
          const hit = array.find((el) => !matcher || matcher.test({ [key]: [el] }));
          // mongod puts an $elemMatch field after the other fields.
          if (hit !== undefined) setOwn(out, key, [cloneDoc(hit)]);
        }
      }
      return out;
    });
  } catch (e) {
    if (e instanceof CommandError) throw e;
    throw badValue((e as Error).message);
  }
}

function sliceArray(array: unknown[], amount: unknown): unknown[] {
  if (Array.isArray(amount)) {
    const [skip, limit] = amount as [number, number];
    const start = skip < 0 ? Math.max(0, array.length + skip) : Math.min(skip, array.length);
    return array.slice(start, start + limit);
  }
  const n = amount as number;
  return n >= 0 ? array.slice(0, n) : array.slice(Math.max(0, array.length + n));
}

/** Exclusion-style `$slice`: the projected document keeps everything, the array at the path is cut. */
function sliceInPlace(value: unknown, parts: string[], amount: unknown): void {
  if (Array.isArray(value)) {
    for (const el of value) if (isPlainObject(el)) sliceInPlace(el, parts, amount);
    return;
  }
  if (!isPlainObject(value) || !Object.prototype.hasOwnProperty.call(value, parts[0])) return;
  const child = value[parts[0]];
  if (parts.length > 1) sliceInPlace(child, parts.slice(1), amount);
  else if (Array.isArray(child)) setOwn(value, parts[0], sliceArray(child, amount));
}

/** Inclusion-style `$slice`: adds the (cut) field from the original document to the projected one. */
function includeSliced(out: Doc, original: Doc, parts: string[], amount: unknown): void {
  if (!Object.prototype.hasOwnProperty.call(original, parts[0])) return;
  const value = original[parts[0]];
  if (parts.length === 1) {
    setOwn(out, parts[0], Array.isArray(value) ? sliceArray(cloneDoc(value), amount) : cloneDoc(value));
    return;
  }
  if (isPlainObject(value)) {
    const target = isPlainObject(out[parts[0]]) ? (out[parts[0]] as Doc) : {};
    setOwn(out, parts[0], target);
    includeSliced(target, value, parts.slice(1), amount);
  } else if (Array.isArray(value)) {
    const existing = Array.isArray(out[parts[0]]) ? (out[parts[0]] as unknown[]) : [];
    const next = value
      .map((el, i) => {
        if (!isPlainObject(el)) return undefined;
        const target = isPlainObject(existing[i]) ? (existing[i] as Doc) : {};
        includeSliced(target, el, parts.slice(1), amount);
        return target;
      })
      .filter((el) => el !== undefined);
    setOwn(out, parts[0], next);
  }
}

function checkUpdatedSize(doc: Doc): Doc {
  if (bsonSize(doc) > MAX_DOCUMENT_BYTES) {
    throw new CommandError(17419, 'Location17419', `Resulting document after update is larger than ${MAX_DOCUMENT_BYTES}`);
  }
  return doc;
}

/** mongod's find projections keep the stored field order (mingo's follow the projection's). */
function inDocumentOrder(projected: Doc, original: Doc): Doc {
  const out: Doc = {};
  for (const k of Object.keys(original)) if (Object.prototype.hasOwnProperty.call(projected, k)) setOwn(out, k, projected[k]);
  for (const k of Object.keys(projected)) if (!Object.prototype.hasOwnProperty.call(out, k)) setOwn(out, k, projected[k]);
  return idFirst(out);
}

/** mongod always returns `_id` as the first field; mingo's projections may append it last. */
function idFirst(doc: Doc): Doc {
  const keys = Object.keys(doc);
  if (keys.length < 2 || keys[0] === '_id' || !('_id' in doc)) return doc;
  const out: Doc = { _id: doc['_id'] };
  for (const k of keys) if (k !== '_id') setOwn(out, k, doc[k]);
  for (const k of keys) setNumType(out, k, getNumType(doc, k));
  return out;
}

/** Whether an update changed nothing: same fields in the same order, same values and numeric types. */
function sameDocument(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || isPlainObject(a)) {
    if (Array.isArray(a) !== Array.isArray(b) || !(Array.isArray(b) || isPlainObject(b))) return false;
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    if (ka.length !== kb.length) return false;
    return ka.every((k, i) => {
      if (k !== kb[i]) return false;
      const va = (a as Doc)[k];
      const vb = (b as Doc)[k];
      if (typeof va === 'number' && getNumType(a, k) !== getNumType(b, k)) return false;
      return sameDocument(va, vb);
    });
  }
  return keyString(a) === keyString(b);
}
