import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtocolError, Reader, Writer } from './codec';
import { ErrorCode } from './errors';
import { Group } from './groups';
import { DEFAULT_TOPIC_CONFIG, PartitionLog, type TopicConfig } from './log';
import { BatchError, validateBatches } from './records';
import { Credentials, MECHANISMS, type Mechanism, type SaslStep } from './sasl';

/** A principal may produce to topics whose name starts with `topicPrefix` (Kafka's PREFIXED Write ACL). */
export interface WriteAcl {
  principal: string;
  topicPrefix: string;
}

export interface BrokerOptions {
  host?: string;
  /** 0 or omitted: a free port. */
  port?: number;
  /** Logs live here (`<dir>/topics/<topic>/<partition>/*.log`); omitted: a temporary folder removed at stop. */
  dataDir?: string;
  /** SASL users (name → password). None: no authentication, every client may do anything. */
  users?: Record<string, string>;
  /** Principals allowed everything (Kafka's super.users). */
  superUsers?: string[];
  /** With users: who may write which topics. Anyone authenticated may read, create topics and use groups. */
  writeAcls?: WriteAcl[];
  /** Partitions of a topic created implicitly (Metadata with auto-creation). Default 1 (Kafka's num.partitions). */
  defaultPartitions?: number;
  autoCreateTopics?: boolean;
  /** Kafka's group.initial.rebalance.delay.ms (default 3000; tests use less). */
  initialRebalanceDelayMs?: number;
  /** Kafka's group.min.session.timeout.ms (default 6000). */
  minSessionTimeoutMs?: number;
  /** Largest request frame accepted (Kafka's socket.request.max.bytes is 100 MB; ours default 16 MB). */
  maxFrameBytes?: number;
  /** How often retention and compaction run (default 60 s). */
  cleanerIntervalMs?: number;
  /** Defaults for new topics' configs. */
  topicDefaults?: Partial<TopicConfig>;
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface RunningBroker {
  host: string;
  port: number;
  /** `host:port`, for KAFKA_BROKERS. */
  bootstrap: string;
  dataDir: string;
  stop(): Promise<void>;
  /** Runs retention and compaction now (tests; the cleaner also runs on a timer). */
  runCleaner(now?: number): { freedBytes: number; compactedRecords: number };
  stats(): { topics: number; partitions: number; batches: number; bytes: number };
}

type Handler = (r: Reader, version: number, ctx: Connection) => Writer | null | Promise<Writer | null>;

interface Api {
  name: string;
  min: number;
  max: number;
  /** First flexible (compact, tagged) version; only ApiVersions v3 is flexible among those implemented. */
  flexibleFrom?: number;
  handle: Handler;
}

interface Connection {
  socket: net.Socket;
  clientId: string;
  principal?: string;
  mechanism?: Mechanism;
  sasl?: (token: Buffer) => SaslStep;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const NODE_ID = 0;
const CLUSTER_ID = 'techan-kafka-standin';
const GROUP_STATES = { Empty: 'Empty', PreparingRebalance: 'PreparingRebalance', CompletingRebalance: 'CompletingRebalance', Stable: 'Stable' };

class Topic {
  readonly partitions: PartitionLog[] = [];
  constructor(readonly name: string, readonly dir: string, public config: TopicConfig, count: number) {
    for (let p = 0; p < count; p++) this.partitions.push(new PartitionLog(join(dir, String(p)), () => this.config));
  }
}

export async function startKafkaStandin(options: BrokerOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1';
  const throwAway = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'techan-kafka-'));
  const log = options.log ?? ((level, message) => process.stderr.write(`kafka-standin ${level}: ${message}\n`));
  const credentials = new Credentials(options.users ?? {});
  const superUsers = new Set(options.superUsers ?? []);
  const writeAcls = options.writeAcls ?? [];
  const maxFrame = options.maxFrameBytes ?? 16 * 1024 * 1024;
  const minSession = options.minSessionTimeoutMs ?? 6000;
  const topicDefaults: TopicConfig = { ...DEFAULT_TOPIC_CONFIG, ...options.topicDefaults };
  let advertisedPort = 0;

  // ---- state: topics, committed offsets, groups, producer ids (all replayed from disk) ----
  const topics = new Map<string, Topic>();
  const topicsDir = join(dataDir, 'topics');
  mkdirSync(topicsDir, { recursive: true });
  for (const name of readdirSync(topicsDir)) {
    const metaPath = join(topicsDir, name, 'meta.json');
    if (!existsSync(metaPath)) continue;
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { partitions: number; config: TopicConfig };
    topics.set(name, new Topic(name, join(topicsDir, name), { ...topicDefaults, ...meta.config }, meta.partitions));
  }
  const offsetsPath = join(dataDir, 'consumer-offsets.ndjson');
  const offsets = new Map<string, { offset: number; metadata: string | null }>();
  const offsetKey = (group: string, topic: string, partition: number) => JSON.stringify([group, topic, partition]);
  if (existsSync(offsetsPath)) {
    for (const line of readFileSync(offsetsPath, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const [key, offset, metadata] = JSON.parse(line) as [string, number, string | null];
        if (offset < 0) offsets.delete(key);
        else offsets.set(key, { offset, metadata });
      } catch {
        break; // a torn last line after a crash
      }
    }
  }
  // Rewrite compacted at start: one line per live commit.
  writeFileSync(offsetsPath, [...offsets].map(([k, v]) => JSON.stringify([k, v.offset, v.metadata]) + '\n').join(''));
  let nextProducerId = 1000;
  for (const t of topics.values()) for (const p of t.partitions) for (const id of p.producers.keys()) nextProducerId = Math.max(nextProducerId, id + 1);
  const groups = new Map<string, Group>();
  const group = (id: string) => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = new Group(id, options.initialRebalanceDelayMs ?? 3000, (m) => log('info', m))));
    return g;
  };

  function createTopic(name: string, partitions: number, config: Partial<TopicConfig>): Topic {
    const dir = join(topicsDir, name);
    mkdirSync(dir, { recursive: true });
    const full = { ...topicDefaults, ...config };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ partitions, config }));
    const topic = new Topic(name, dir, full, partitions);
    topics.set(name, topic);
    log('info', `topic ${name} created with ${partitions} partition(s)`);
    return topic;
  }

  function parseConfigs(configs: { name: string; value: string | null }[]): Partial<TopicConfig> | string {
    const out: Record<string, unknown> = {};
    for (const { name, value } of configs) {
      if (value === null) continue;
      if (name === 'cleanup.policy') {
        if (value !== 'delete' && value !== 'compact') return `cleanup.policy ${value} is not implemented (delete or compact)`;
        out[name] = value;
      } else if (['retention.ms', 'retention.bytes', 'max.message.bytes', 'segment.bytes'].includes(name)) {
        const n = Number(value);
        if (!Number.isInteger(n)) return `${name} must be an integer`;
        out[name] = n;
      } else if (!['min.insync.replicas', 'compression.type', 'message.timestamp.type'].includes(name)) {
        return `topic config ${name} is not implemented by the stand-in`;
      }
    }
    return out as Partial<TopicConfig>;
  }

  const mayWrite = (conn: Connection, topic: string) =>
    !credentials.enabled ||
    (conn.principal !== undefined && (superUsers.has(conn.principal) || writeAcls.some((a) => a.principal === conn.principal && topic.startsWith(a.topicPrefix))));
  const isSuper = (conn: Connection) => !credentials.enabled || (conn.principal !== undefined && superUsers.has(conn.principal));

  // ---- the APIs, by key ----
  const apis = new Map<number, Api>();

  apis.set(18, {
    name: 'ApiVersions',
    min: 0,
    max: 3,
    flexibleFrom: 3,
    handle: (r, v) => {
      if (v >= 3) {
        r.compactNullableString();
        r.compactNullableString();
        r.taggedFields();
      }
      return apiVersionsResponse(v, ErrorCode.NONE);
    },
  });

  function apiVersionsResponse(v: number, errorCode: number): Writer {
    const w = new Writer().int16(errorCode);
    const list = [...apis.entries()].sort(([a], [b]) => a - b);
    if (v >= 3) {
      w.compactArray(list, (w, [key, api]) => w.int16(key).int16(api.min).int16(api.max).emptyTaggedFields());
      w.int32(0).emptyTaggedFields();
    } else {
      w.array(list, (w, [key, api]) => w.int16(key).int16(api.min).int16(api.max));
      if (v >= 1) w.int32(0);
    }
    return w;
  }

  apis.set(17, {
    name: 'SaslHandshake',
    // librdkafka wants v0 listed to consider SASL supported at all; it then uses v1 (with SaslAuthenticate).
    min: 0,
    max: 1,
    handle: (r, v, conn) => {
      const mechanism = r.string();
      const w = new Writer();
      if (v === 0) {
        log('warn', 'SaslHandshake v0 (raw SASL frames) is not implemented: answered UNSUPPORTED_VERSION; clients use v1');
        return w.int16(ErrorCode.UNSUPPORTED_VERSION).array(MECHANISMS, (w, m) => w.string(m));
      }
      if (!credentials.enabled || !MECHANISMS.includes(mechanism as Mechanism)) {
        log('warn', `SASL mechanism ${mechanism} refused (offered: ${credentials.enabled ? MECHANISMS.join(', ') : 'none, authentication is off'})`);
        return w.int16(ErrorCode.UNSUPPORTED_SASL_MECHANISM).array(credentials.enabled ? MECHANISMS : [], (w, m) => w.string(m));
      }
      conn.mechanism = mechanism as Mechanism;
      conn.sasl = credentials.exchange(conn.mechanism);
      return w.int16(ErrorCode.NONE).array(MECHANISMS, (w, m) => w.string(m));
    },
  });

  apis.set(36, {
    name: 'SaslAuthenticate',
    min: 0,
    max: 1,
    handle: (r, v, conn) => {
      const token = r.bytes();
      const w = new Writer();
      if (!conn.sasl || conn.principal) {
        w.int16(ErrorCode.ILLEGAL_SASL_STATE).string('SaslAuthenticate without a SaslHandshake').bytes(Buffer.alloc(0));
        if (v >= 1) w.int64(0);
        closeAfterReply.add(conn);
        return w;
      }
      const step = conn.sasl(token);
      if (step.error) {
        log('warn', `SASL ${conn.mechanism} authentication failed for client ${conn.clientId} from ${conn.socket.remoteAddress}`);
        w.int16(ErrorCode.SASL_AUTHENTICATION_FAILED).string(step.error).bytes(Buffer.alloc(0));
        if (v >= 1) w.int64(0);
        closeAfterReply.add(conn);
        return w;
      }
      if (step.principal) conn.principal = step.principal;
      w.int16(ErrorCode.NONE).string(null).bytes(step.response);
      if (v >= 1) w.int64(0);
      return w;
    },
  });

  apis.set(3, {
    name: 'Metadata',
    min: 0,
    max: 6,
    handle: (r, v, conn) => {
      let names = v >= 1 ? r.nullableArray(() => r.string()) : r.array(() => r.string());
      if (v === 0 && names && names.length === 0) names = null;
      const allowAuto = v >= 4 ? r.bool() : true;
      const w = new Writer();
      if (v >= 3) w.int32(0);
      w.array([0], (w) => {
        w.int32(NODE_ID).string(host).int32(advertisedPort);
        if (v >= 1) w.string(null);
      });
      if (v >= 2) w.string(CLUSTER_ID);
      if (v >= 1) w.int32(NODE_ID);
      const wanted = names ?? [...topics.keys()];
      w.array(wanted, (w, name) => {
        let topic = topics.get(name);
        let error: number = ErrorCode.NONE;
        if (!topic) {
          if (!TOPIC_NAME.test(name)) error = ErrorCode.INVALID_TOPIC_EXCEPTION;
          else if (allowAuto && (options.autoCreateTopics ?? true) && names !== null && (conn.principal || !credentials.enabled)) {
            topic = createTopic(name, options.defaultPartitions ?? 1, {});
          } else error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        }
        w.int16(error).string(name);
        if (v >= 1) w.bool(false);
        w.array(topic?.partitions.map((_, i) => i) ?? [], (w, index) => {
          w.int16(ErrorCode.NONE).int32(index).int32(NODE_ID).array([NODE_ID], (w, n) => w.int32(n)).array([NODE_ID], (w, n) => w.int32(n));
          if (v >= 5) w.array([], () => undefined);
        });
      });
      return w;
    },
  });

  apis.set(19, {
    name: 'CreateTopics',
    min: 0,
    max: 4,
    handle: (r, v, conn) => {
      const requests = r.array(() => ({
        name: r.string(),
        partitions: r.int32(),
        replicationFactor: r.int16(),
        assignments: r.array(() => ({ index: r.int32(), brokers: r.array(() => r.int32()) })),
        configs: r.array(() => ({ name: r.string(), value: r.nullableString() })),
      }));
      r.int32(); // timeout
      const validateOnly = v >= 1 ? r.bool() : false;
      const w = new Writer();
      if (v >= 2) w.int32(0);
      w.array(requests, (w, t) => {
        const reply = (code: number, message: string | null) => {
          w.string(t.name).int16(code);
          if (v >= 1) w.string(message);
        };
        if (!conn.principal && credentials.enabled) return reply(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'not authenticated');
        if (!TOPIC_NAME.test(t.name) || t.name === '.' || t.name === '..') return reply(ErrorCode.INVALID_TOPIC_EXCEPTION, `invalid topic name ${t.name}`);
        if (topics.has(t.name)) return reply(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
        if (t.assignments.length) return reply(ErrorCode.INVALID_REQUEST, 'manual replica assignment is not implemented by the stand-in');
        const partitions = t.partitions === -1 ? (options.defaultPartitions ?? 1) : t.partitions;
        if (partitions < 1 || partitions > 1000) return reply(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be between 1 and 1000.');
        if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
          return reply(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor: ${t.replicationFactor} larger than available brokers: 1.`);
        }
        const config = parseConfigs(t.configs);
        if (typeof config === 'string') return reply(ErrorCode.INVALID_CONFIG, config);
        if (!validateOnly) createTopic(t.name, partitions, config);
        reply(ErrorCode.NONE, null);
      });
      return w;
    },
  });

  apis.set(20, {
    name: 'DeleteTopics',
    min: 0,
    max: 3,
    handle: (r, v, conn) => {
      const names = r.array(() => r.string());
      r.int32();
      const w = new Writer();
      if (v >= 1) w.int32(0);
      w.array(names, (w, name) => {
        const topic = topics.get(name);
        if (!isSuper(conn)) return void w.string(name).int16(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        if (!topic) return void w.string(name).int16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        topics.delete(name);
        for (const p of topic.partitions) p.close();
        rmSync(topic.dir, { recursive: true, force: true });
        for (const key of [...offsets.keys()]) {
          if ((JSON.parse(key) as [string, string, number])[1] === name) commitOffset(key, -1, null);
        }
        log('info', `topic ${name} deleted`);
        w.string(name).int16(ErrorCode.NONE);
      });
      return w;
    },
  });

  apis.set(22, {
    name: 'InitProducerId',
    min: 0,
    max: 1,
    handle: (r) => {
      const transactionalId = r.nullableString();
      r.int32();
      const w = new Writer().int32(0);
      if (transactionalId !== null) {
        log('warn', `InitProducerId with transactional id ${transactionalId}: transactions are not implemented`);
        return w.int16(ErrorCode.UNSUPPORTED_VERSION).int64(-1).int16(-1);
      }
      return w.int16(ErrorCode.NONE).int64(nextProducerId++).int16(0);
    },
  });

  apis.set(0, {
    name: 'Produce',
    min: 3,
    max: 7,
    handle: (r, v, conn) => {
      r.nullableString(); // transactional id (null for the idempotent, non-transactional producers we serve)
      const acks = r.int16();
      r.int32(); // timeout: a single node acknowledges at once
      const requests = r.array(() => ({ name: r.string(), partitions: r.array(() => ({ index: r.int32(), records: r.nullableBytes() })) }));
      const results = requests.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          const out = { index: p.index, error: ErrorCode.NONE as number, baseOffset: -1, logStartOffset: -1 };
          if (acks !== 0 && acks !== 1 && acks !== -1) return { ...out, error: ErrorCode.INVALID_REQUIRED_ACKS };
          const topic = topics.get(t.name);
          const partition = topic?.partitions[p.index];
          if (!topic || !partition) return { ...out, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          if (!mayWrite(conn, t.name)) {
            log('warn', `produce to ${t.name} refused: principal ${conn.principal} has no Write ACL on it`);
            return { ...out, error: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
          }
          try {
            const batches = validateBatches(p.records ?? Buffer.alloc(0), topic.config['max.message.bytes']);
            const baseOffset = partition.append(batches);
            return { ...out, baseOffset, logStartOffset: partition.logStartOffset };
          } catch (error) {
            if (!(error instanceof BatchError)) throw error;
            log('warn', `produce to ${t.name}[${p.index}] refused: ${error.message}`);
            return { ...out, error: error.code };
          }
        }),
      }));
      if (acks === 0) return null; // Kafka sends no response for acks=0
      const w = new Writer();
      w.array(results, (w, t) =>
        w.string(t.name).array(t.partitions, (w, p) => {
          w.int32(p.index).int16(p.error).int64(p.baseOffset).int64(-1);
          if (v >= 5) w.int64(p.logStartOffset);
        }),
      );
      return w.int32(0);
    },
  });

  apis.set(1, {
    name: 'Fetch',
    min: 4,
    max: 11,
    handle: async (r, v) => {
      r.int32(); // replica id
      const maxWait = r.int32();
      const minBytes = r.int32();
      let maxBytes = r.int32();
      r.int8(); // isolation level: nothing is transactional here
      if (v >= 7) {
        r.int32();
        r.int32(); // fetch sessions are declined (session id 0 in the reply): every fetch is a full fetch
      }
      const requests = r.array(() => ({
        name: r.string(),
        partitions: r.array(() => {
          const index = r.int32();
          if (v >= 9) r.int32();
          const fetchOffset = r.int64n();
          if (v >= 5) r.int64();
          return { index, fetchOffset, maxBytes: r.int32() };
        }),
      }));
      if (v >= 7) r.array(() => ({ name: r.string(), partitions: r.array(() => r.int32()) }));
      if (v >= 11) r.string();
      if (maxBytes <= 0) maxBytes = 50 * 1024 * 1024;

      const collect = () => {
        let total = 0;
        const result = requests.map((t) => {
          const topic = topics.get(t.name);
          return {
            name: t.name,
            partitions: t.partitions.map((p) => {
              const partition = topic?.partitions[p.index];
              if (!partition) return { index: p.index, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, hw: -1, start: -1, records: Buffer.alloc(0) };
              const hw = partition.highWatermark;
              const start = partition.logStartOffset;
              if (p.fetchOffset < start || p.fetchOffset > hw) return { index: p.index, error: ErrorCode.OFFSET_OUT_OF_RANGE, hw, start, records: Buffer.alloc(0) };
              const budget = Math.min(p.maxBytes, Math.max(0, maxBytes - total));
              const records = total > 0 && budget === 0 ? Buffer.alloc(0) : partition.read(p.fetchOffset, Math.max(1, budget));
              total += records.length;
              return { index: p.index, error: ErrorCode.NONE as number, hw, start, records };
            }),
          };
        });
        return { result, total };
      };
      let { result, total } = collect();
      if (total < Math.max(1, minBytes) && maxWait > 0) {
        const logs = requests.flatMap((t) => t.partitions.map((p) => topics.get(t.name)?.partitions[p.index])).filter((p): p is PartitionLog => !!p);
        const waits = logs.map((p) => p.waitForData(maxWait));
        const deadline = Date.now() + maxWait;
        if (!waits.length) await new Promise((res) => setTimeout(res, maxWait));
        while (total < Math.max(1, minBytes) && Date.now() < deadline && !stopped && waits.length) {
          await Promise.race(waits.map((w) => w.promise));
          ({ result, total } = collect());
          if (total >= Math.max(1, minBytes)) break;
          // Woken with too little data: wait again for the rest of the time.
          waits.splice(0, waits.length, ...logs.map((p) => p.waitForData(Math.max(1, deadline - Date.now()))));
        }
        for (const w of waits) w.cancel();
      }
      const w = new Writer().int32(0);
      if (v >= 7) w.int16(ErrorCode.NONE).int32(0);
      w.array(result, (w, t) =>
        w.string(t.name).array(t.partitions, (w, p) => {
          w.int32(p.index).int16(p.error).int64(p.hw).int64(p.hw);
          if (v >= 5) w.int64(p.start);
          w.array([], () => undefined); // aborted transactions
          if (v >= 11) w.int32(-1);
          w.bytes(p.records);
        }),
      );
      return w;
    },
  });

  apis.set(2, {
    name: 'ListOffsets',
    min: 1,
    max: 3,
    handle: (r, v) => {
      r.int32();
      if (v >= 2) r.int8();
      const requests = r.array(() => ({ name: r.string(), partitions: r.array(() => ({ index: r.int32(), timestamp: r.int64n() })) }));
      const w = new Writer();
      if (v >= 2) w.int32(0);
      w.array(requests, (w, t) =>
        w.string(t.name).array(t.partitions, (w, p) => {
          const partition = topics.get(t.name)?.partitions[p.index];
          if (!partition) return void w.int32(p.index).int16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).int64(-1).int64(-1);
          let offset: number;
          if (p.timestamp === -1) offset = partition.highWatermark;
          else if (p.timestamp === -2) offset = partition.logStartOffset;
          else offset = partition.offsetForTimestamp(p.timestamp);
          w.int32(p.index).int16(ErrorCode.NONE).int64(-1).int64(offset);
        }),
      );
      return w;
    },
  });

  apis.set(10, {
    name: 'FindCoordinator',
    min: 0,
    max: 2,
    handle: (r, v) => {
      r.string();
      if (v >= 1) {
        const keyType = r.int8();
        const w = new Writer().int32(0);
        if (keyType !== 0) return w.int16(ErrorCode.INVALID_REQUEST).string('transaction coordinators are not implemented').int32(-1).string('').int32(-1);
        return w.int16(ErrorCode.NONE).string(null).int32(NODE_ID).string(host).int32(advertisedPort);
      }
      return new Writer().int16(ErrorCode.NONE).int32(NODE_ID).string(host).int32(advertisedPort);
    },
  });

  apis.set(11, {
    name: 'JoinGroup',
    min: 0,
    max: 5,
    handle: (r, v, conn) => {
      const groupId = r.string();
      const sessionTimeoutMs = r.int32();
      const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
      const memberId = r.string();
      const groupInstanceId = v >= 5 ? r.nullableString() : null;
      const protocolType = r.string();
      const protocols = r.array(() => ({ name: r.string(), metadata: Buffer.from(r.bytes()) }));
      const encode = (res: { errorCode: number; generationId: number; protocolName: string; leader: string; memberId: string; members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[] }) => {
        const w = new Writer();
        if (v >= 2) w.int32(0);
        w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader).string(res.memberId);
        return w.array(res.members, (w, m) => {
          w.string(m.memberId);
          if (v >= 5) w.string(m.groupInstanceId);
          w.bytes(m.metadata);
        });
      };
      const fail = (errorCode: number) => encode({ errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] });
      if (!groupId) return fail(ErrorCode.INVALID_GROUP_ID);
      if (sessionTimeoutMs < minSession || sessionTimeoutMs > 1_800_000) return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
      if (groupInstanceId !== null) {
        log('warn', `JoinGroup with group.instance.id ${groupInstanceId}: static membership is not implemented`);
        return fail(ErrorCode.UNSUPPORTED_VERSION);
      }
      return new Promise<Writer>((resolve) =>
        group(groupId).join(
          { groupId, memberId, groupInstanceId, sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols, clientId: conn.clientId, clientHost: conn.socket.remoteAddress ?? '', requireKnownMemberId: v >= 4 },
          (res) => resolve(encode(res)),
        ),
      );
    },
  });

  apis.set(14, {
    name: 'SyncGroup',
    min: 0,
    max: 3,
    handle: (r, v) => {
      const groupId = r.string();
      const generationId = r.int32();
      const memberId = r.string();
      if (v >= 3) r.nullableString();
      const assignments = r.array(() => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) }));
      const encode = (res: { errorCode: number; assignment: Buffer }) => {
        const w = new Writer();
        if (v >= 1) w.int32(0);
        return w.int16(res.errorCode).bytes(res.assignment);
      };
      const g = groups.get(groupId);
      if (!g) return encode({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
      return new Promise<Writer>((resolve) => g.sync(memberId, generationId, assignments, (res) => resolve(encode(res))));
    },
  });

  apis.set(12, {
    name: 'Heartbeat',
    min: 0,
    max: 3,
    handle: (r, v) => {
      const groupId = r.string();
      const generationId = r.int32();
      const memberId = r.string();
      if (v >= 3) r.nullableString();
      const w = new Writer();
      if (v >= 1) w.int32(0);
      const g = groups.get(groupId);
      return w.int16(g ? g.heartbeat(memberId, generationId) : ErrorCode.UNKNOWN_MEMBER_ID);
    },
  });

  apis.set(13, {
    name: 'LeaveGroup',
    min: 0,
    max: 3,
    handle: (r, v) => {
      const groupId = r.string();
      const members = v >= 3 ? r.array(() => ({ memberId: r.string(), groupInstanceId: r.nullableString() })) : [{ memberId: r.string(), groupInstanceId: null }];
      const g = groups.get(groupId);
      const results = members.map((m) => ({ ...m, error: g ? g.leave(m.memberId) : ErrorCode.UNKNOWN_MEMBER_ID }));
      const w = new Writer();
      if (v >= 1) w.int32(0);
      if (v < 3) return w.int16(results[0].error);
      w.int16(ErrorCode.NONE);
      return w.array(results, (w, m) => w.string(m.memberId).string(m.groupInstanceId).int16(m.error));
    },
  });

  function commitOffset(key: string, offset: number, metadata: string | null): void {
    // Appended before the reply: a committed offset survives kill -9 like a produced record.
    appendFileSync(offsetsPath, JSON.stringify([key, offset, metadata]) + '\n');
    if (offset < 0) offsets.delete(key);
    else offsets.set(key, { offset, metadata });
  }

  apis.set(8, {
    name: 'OffsetCommit',
    min: 2,
    max: 7,
    handle: (r, v) => {
      const groupId = r.string();
      const generationId = r.int32();
      const memberId = r.string();
      if (v <= 4) r.int64(); // retention time
      if (v >= 7) r.nullableString();
      const requests = r.array(() => ({
        name: r.string(),
        partitions: r.array(() => {
          const index = r.int32();
          const offset = r.int64n();
          if (v >= 6) r.int32();
          return { index, offset, metadata: r.nullableString() };
        }),
      }));
      const g = groups.get(groupId);
      let groupError: number = ErrorCode.NONE;
      if (!groupId) groupError = ErrorCode.INVALID_GROUP_ID;
      else if (generationId < 0 && !memberId) {
        if (g && g.members.size) groupError = ErrorCode.UNKNOWN_MEMBER_ID; // simple commits only for groups without members
      } else if (!g || !g.members.has(memberId)) groupError = ErrorCode.UNKNOWN_MEMBER_ID;
      else if (g.state === 'PreparingRebalance') groupError = ErrorCode.REBALANCE_IN_PROGRESS;
      else if (generationId !== g.generationId) groupError = ErrorCode.ILLEGAL_GENERATION;
      const w = new Writer();
      if (v >= 3) w.int32(0);
      w.array(requests, (w, t) =>
        w.string(t.name).array(t.partitions, (w, p) => {
          let error = groupError;
          if (!error && !topics.get(t.name)?.partitions[p.index]) error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          if (!error) commitOffset(offsetKey(groupId, t.name, p.index), p.offset, p.metadata);
          w.int32(p.index).int16(error);
        }),
      );
      return w;
    },
  });

  apis.set(9, {
    name: 'OffsetFetch',
    min: 1,
    max: 5,
    handle: (r, v) => {
      const groupId = r.string();
      let requests = r.nullableArray(() => ({ name: r.string(), partitions: r.array(() => r.int32()) }));
      if (requests === null) {
        const byTopic = new Map<string, number[]>();
        for (const key of offsets.keys()) {
          const [g, t, p] = JSON.parse(key) as [string, string, number];
          if (g === groupId) byTopic.set(t, [...(byTopic.get(t) ?? []), p]);
        }
        requests = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
      }
      const w = new Writer();
      if (v >= 3) w.int32(0);
      w.array(requests, (w, t) =>
        w.string(t.name).array(t.partitions, (w, index) => {
          const committed = offsets.get(offsetKey(groupId, t.name, index));
          w.int32(index).int64(committed?.offset ?? -1);
          if (v >= 5) w.int32(-1);
          w.string(committed?.metadata ?? '').int16(ErrorCode.NONE);
        }),
      );
      if (v >= 2) w.int16(ErrorCode.NONE);
      return w;
    },
  });

  apis.set(15, {
    name: 'DescribeGroups',
    min: 0,
    max: 2,
    handle: (r, v) => {
      const ids = r.array(() => r.string());
      const w = new Writer();
      if (v >= 1) w.int32(0);
      return w.array(ids, (w, id) => {
        const g = groups.get(id);
        if (!g) return void w.int16(ErrorCode.NONE).string(id).string('Dead').string('').string('').array([], () => undefined);
        const d = g.describe();
        w.int16(ErrorCode.NONE).string(id).string(GROUP_STATES[d.state]).string(d.protocolType).string(d.protocolName);
        w.array(d.members, (w, m) => w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment));
      });
    },
  });

  apis.set(16, {
    name: 'ListGroups',
    min: 0,
    max: 2,
    handle: (_r, v) => {
      const w = new Writer();
      if (v >= 1) w.int32(0);
      const known = new Set<string>([...groups.keys()]);
      for (const key of offsets.keys()) known.add((JSON.parse(key) as [string])[0]);
      return w.int16(ErrorCode.NONE).array([...known], (w, id) => w.string(id).string(groups.get(id)?.protocolType || 'consumer'));
    },
  });

  // ---- connections ----
  const closeAfterReply = new Set<Connection>();
  const sockets = new Set<net.Socket>();
  let stopped = false;

  function handleConnection(socket: net.Socket): void {
    sockets.add(socket);
    socket.setNoDelay(true);
    const conn: Connection = { socket, clientId: '' };
    let pending = Buffer.alloc(0);
    let queue = Promise.resolve();
    const drop = (why: string) => {
      log('warn', `closing connection from ${socket.remoteAddress}:${socket.remotePort} (client ${conn.clientId || '?'}): ${why}`);
      socket.destroy();
    };
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (size < 8 || size > maxFrame) return drop(`frame size ${size} outside 8..${maxFrame} bytes`);
        if (pending.length < 4 + size) break;
        const frame = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        // Kafka answers one connection's requests in order: process them one at a time.
        queue = queue.then(() => handleFrame(conn, frame, drop));
      }
    });
  }

  async function handleFrame(conn: Connection, frame: Buffer, drop: (why: string) => void): Promise<void> {
    if (conn.socket.destroyed) return;
    const r = new Reader(frame);
    let apiKey = -1;
    let version = -1;
    let correlationId = 0;
    let reply: Writer | null;
    try {
      apiKey = r.int16();
      version = r.int16();
      correlationId = r.int32();
      conn.clientId = r.nullableString() ?? '';
      const api = apis.get(apiKey);
      if (credentials.enabled && !conn.principal && apiKey !== 18 && apiKey !== 17 && apiKey !== 36) {
        return drop(`${api?.name ?? `API ${apiKey}`} before SASL authentication`);
      }
      if (apiKey === 18 && version > 3) {
        log('warn', `ApiVersions v${version} is not implemented (0-3): answered UNSUPPORTED_VERSION`);
        reply = apiVersionsResponse(0, ErrorCode.UNSUPPORTED_VERSION);
      } else if (!api || version < api.min || version > api.max) {
        // Without a schema for the version there is no well-formed error reply; Kafka closes the connection too.
        return drop(`${api ? `${api.name} v${version} is not implemented (${api.min}-${api.max})` : `API key ${apiKey} is not implemented`}: UNSUPPORTED_VERSION`);
      } else {
        if (api.flexibleFrom !== undefined && version >= api.flexibleFrom) r.taggedFields(); // request header v2
        reply = await api.handle(r, version, conn);
      }
    } catch (error) {
      if (error instanceof ProtocolError || error instanceof RangeError) return drop(`malformed request (api ${apiKey} v${version}): ${error.message}`);
      log('warn', `internal error on api ${apiKey} v${version}: ${(error as Error).stack}`);
      return drop('internal error');
    }
    if (reply === null || conn.socket.destroyed) return;
    const body = reply.toBuffer();
    const head = Buffer.allocUnsafe(8);
    head.writeInt32BE(body.length + 4, 0);
    head.writeInt32BE(correlationId, 4);
    conn.socket.write(Buffer.concat([head, body]));
    if (closeAfterReply.delete(conn)) conn.socket.end();
  }

  // ---- cleaner and session expiry ----
  const runCleaner = (now = Date.now()) => {
    let freedBytes = 0;
    let compactedRecords = 0;
    for (const t of topics.values()) {
      for (const p of t.partitions) {
        if (t.config['cleanup.policy'] === 'compact') compactedRecords += p.compact();
        else freedBytes += p.enforceRetention(now);
      }
    }
    return { freedBytes, compactedRecords };
  };
  const cleaner = setInterval(() => {
    try {
      runCleaner();
    } catch (error) {
      log('warn', `cleaner failed: ${(error as Error).message}`);
    }
  }, options.cleanerIntervalMs ?? 60_000);
  cleaner.unref();
  const sessions = setInterval(() => {
    const now = Date.now();
    for (const g of groups.values()) g.expireSessions(now);
  }, 250);
  sessions.unref();

  const server = net.createServer(handleConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  advertisedPort = typeof address === 'object' && address ? address.port : 0;
  log('info', `listening on ${host}:${advertisedPort}, data in ${dataDir}, ${topics.size} topic(s) replayed${credentials.enabled ? ', SASL required' : ''}`);

  return {
    host,
    port: advertisedPort,
    bootstrap: `${host}:${advertisedPort}`,
    dataDir,
    runCleaner,
    stats: () => {
      let partitions = 0;
      let batches = 0;
      let bytes = 0;
      for (const t of topics.values()) {
        for (const p of t.partitions) {
          partitions++;
          batches += p.batchCount;
          bytes += p.sizeBytes;
        }
      }
      return { topics: topics.size, partitions, batches, bytes };
    },
    stop: async () => {
      stopped = true;
      clearInterval(cleaner);
      clearInterval(sessions);
      for (const g of groups.values()) g.close();
      for (const t of topics.values()) for (const p of t.partitions) p.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      if (throwAway) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
