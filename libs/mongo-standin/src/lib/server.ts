import * as net from 'node:net';
import { CommandHandler } from './commands';
import { Engine } from './engine';
import { Journal } from './journal';
import { MAX_WIRE_OBJECT_BYTES, MSG_MORE_TO_COME, MessageFramer, OP_MSG, OP_QUERY, encodeOpMsg, encodeOpReply, parseMessage } from './wire';

export interface MongoStandinOptions {
  /** 0 or omitted = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Append-only journal file; omit for in-memory only. */
  journalPath?: string;
  /** Default 'rs0'. */
  replicaSetName?: string;
  /** Transactions older than this are aborted (MongoDB's transactionLifetimeLimitSeconds, default 60). */
  transactionLifetimeLimitSeconds?: number;
  /** How often expired TTL documents are deleted (MongoDB: 60 s). Default 60 000 ms. */
  ttlMonitorIntervalMs?: number;
  /** Wall clock in ms (tests inject one to exercise TTL and lifetime limits without sleeping). */
  now?: () => number;
}

export interface RunningMongoStandin {
  /** mongodb://127.0.0.1:<port>/?replicaSet=rs0 (no database name). */
  uri: string;
  port: number;
  stop(): Promise<void>;
  /** Runs one TTL monitor pass now; returns the number of documents deleted. */
  runTtlMonitor(): number;
  /** Aborts transactions older than the lifetime limit now; returns how many. */
  expireTransactions(): number;
}

export async function startMongoStandin(opts: MongoStandinOptions = {}): Promise<RunningMongoStandin> {
  const host = opts.host ?? '127.0.0.1';
  const replicaSetName = opts.replicaSetName ?? 'rs0';
  const engine = new Engine({ now: opts.now, transactionLifetimeLimitSeconds: opts.transactionLifetimeLimitSeconds });
  let journal: Journal | undefined;
  if (opts.journalPath) {
    const entries = Journal.replay(opts.journalPath, engine);
    // After crashes (no compaction at stop) the log keeps growing; rewrite it when mostly history.
    let documents = 0;
    for (const colls of engine.dbs.values()) for (const coll of colls.values()) documents += coll.liveCount;
    if (entries > 2 * documents + 1000) Journal.compact(opts.journalPath, engine);
    journal = new Journal(opts.journalPath);
    engine.journal = journal;
  }

  const identity = { host, port: 0, replicaSetName };
  const handler = new CommandHandler(engine, identity);
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const connectionId = handler.nextConnectionId();
    const framer = new MessageFramer();
    socket.on('data', (chunk) => {
      let messages: Buffer[];
      try {
        messages = framer.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const raw of messages) {
        let msg: ReturnType<typeof parseMessage>;
        try {
          msg = parseMessage(raw);
        } catch {
          socket.destroy(); // malformed BSON: drop the connection, never the server
          return;
        }
        if (msg.opCode === OP_QUERY) {
          socket.write(encodeOpReply(msg.requestId, handler.run(msg.command, connectionId)));
        } else if (msg.opCode === OP_MSG && msg.oversizedDocument !== undefined) {
          const size = msg.oversizedDocument;
          socket.write(
            encodeOpMsg(msg.requestId, {
              ok: 0,
              code: 10334,
              codeName: 'BSONObjectTooLarge',
              errmsg: `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${MAX_WIRE_OBJECT_BYTES}(16MB)`,
            }),
          );
        } else if (msg.opCode === OP_MSG) {
          const { requestId, flags } = msg;
          handler.execute(
            msg.command,
            connectionId,
            (reply) => {
              if (!(flags & MSG_MORE_TO_COME) && !socket.destroyed) socket.write(encodeOpMsg(requestId, reply));
            },
            () => !socket.destroyed,
          );
        } else {
          socket.write(
            encodeOpMsg(msg.requestId, {
              ok: 0,
              code: 238,
              codeName: 'NotImplemented',
              errmsg: `mongo-standin does not support wire opcode ${msg.opCode} (compression and legacy opcodes are refused)`,
            }),
          );
        }
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  identity.port = port;

  const ttlTimer = setInterval(() => engine.expireTtlDocuments(), opts.ttlMonitorIntervalMs ?? 60_000);
  const housekeeping = setInterval(() => {
    engine.expireOldTransactions();
    handler.expireIdleCursors();
  }, 1000);
  ttlTimer.unref();
  housekeeping.unref();

  let stopped: Promise<void> | undefined;
  return {
    uri: `mongodb://${host}:${port}/?replicaSet=${encodeURIComponent(replicaSetName)}`,
    port,
    runTtlMonitor: () => engine.expireTtlDocuments(),
    expireTransactions: () => engine.expireOldTransactions(),
    stop() {
      stopped ??= (async () => {
        clearInterval(ttlTimer);
        clearInterval(housekeeping);
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        if (journal && opts.journalPath) {
          journal.close();
          engine.journal = undefined;
          Journal.compact(opts.journalPath, engine);
        }
      })();
      return stopped;
    },
  };
}
