import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import Redis from 'ioredis';
import { runWithTrace } from '../logging/trace-context';
import {
  backoffMs,
  DEFAULT_RETRY,
  errorReason,
  parseMessage,
  runHandler,
  sleep,
  type RetryPolicy,
} from './dispatch';
import { StreamKeys } from './redis-streams.keys';

export interface RedisStreamsServerOptions {
  redisUrl: string;
  /** Consumer group: one per service. */
  group: string;
  /** Partitions per event type; must match the producers'. */
  partitions: number;
  prefix?: string;
  /** A consumer that stops heart-beating loses its partitions (and their pending messages) after this. */
  visibilityTimeoutMs?: number;
  retry?: RetryPolicy;
  batchSize?: number;
  consumerName?: string;
  /** Where a group that does not exist yet starts: 'beginning' replays history (default). */
  startFrom?: 'beginning' | 'latest';
  /** How long close() waits for in-flight handlers. */
  closeTimeoutMs?: number;
}

interface Entry {
  id: string;
  fields: string[];
  /** Taken over from a previous owner: it may have failed before, so its attempt count is looked up. */
  reclaimed?: boolean;
}

interface PartitionState {
  key: string;
  queue: Entry[];
  running: boolean;
  idle: Promise<void>;
}

const RENEW_IF_MINE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_IF_MINE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Event consumer over Redis Streams, as a Nest custom transport so that handlers are plain
 * `@EventPattern` methods.
 *
 * Kafka-like semantics: each event type is split into N partition streams by key; inside a consumer
 * group each partition is leased to one live consumer at a time, so per-key order holds while the
 * group balances load. Messages are acknowledged only after the handler succeeds; a failing message
 * is retried (blocking its partition, to keep order) and dead-lettered after `maxAttempts`; a
 * consumer that dies loses its leases after the visibility timeout and the next owner claims its
 * pending messages first.
 */
export class RedisStreamsServer extends Server implements CustomTransportStrategy {
  private readonly keys: StreamKeys;
  private readonly retry: RetryPolicy;
  private readonly visibilityMs: number;
  private readonly batchSize: number;
  private readonly closeTimeoutMs: number;
  readonly consumerName: string;
  private cmd?: Redis;
  private reader?: Redis;
  private stopping = false;
  private listening = false;
  private readLoop?: Promise<void>;
  private rebalanceTimer?: NodeJS.Timeout;
  private rebalancing?: Promise<void>;
  private allStreams: string[] = [];
  private readonly owned = new Map<string, PartitionState>();

  constructor(private readonly options: RedisStreamsServerOptions) {
    super();
    this.keys = new StreamKeys(options.prefix);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.visibilityMs = options.visibilityTimeoutMs ?? 15_000;
    this.batchSize = options.batchSize ?? 50;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
    this.consumerName = options.consumerName ?? `${options.group}-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.cmd = new Redis(this.options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
      this.reader = new Redis(this.options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
      for (const connection of [this.cmd, this.reader]) {
        connection.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
      }
      await Promise.all([this.cmd.connect(), this.reader.connect()]);
      const types = [...this.getHandlers().entries()].filter(([, h]) => h.isEventHandler).map(([p]) => p);
      this.allStreams = types.flatMap((t) =>
        Array.from({ length: this.options.partitions }, (_, p) => this.keys.stream(t, p)),
      );
      await Promise.all(this.allStreams.map((s) => this.ensureGroup(s)));
      await this.rebalance();
      this.rebalanceTimer = setInterval(() => void this.rebalanceSafely(), Math.max(100, this.visibilityMs / 3));
      this.readLoop = this.readForever();
      this.listening = true;
      this.logger.log(
        `Redis Streams consumer ${this.consumerName} of group ${this.options.group}: ${types.length} event types × ${this.options.partitions} partitions`,
      );
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** True while connected and consuming: used by the health check. */
  isHealthy(): boolean {
    return this.listening && !this.stopping && this.cmd?.status === 'ready';
  }

  async close(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.rebalanceTimer) clearInterval(this.rebalanceTimer);
    // Disconnecting ends a blocked XREADGROUP at once; whatever it had delivered stays pending and
    // is reclaimed by the next owner. With Redis gone, the command connection goes too, so that
    // nothing waits on it for ever.
    this.reader?.disconnect();
    const alive = await Promise.race([
      this.cmd?.ping().then(() => true, () => false) ?? Promise.resolve(false),
      sleep(1_000).then(() => false),
    ]);
    if (!alive) this.cmd?.disconnect();
    // Finish in-flight handlers (bounded); unread queue entries stay pending for the next owner.
    for (const state of this.owned.values()) state.queue.splice(1);
    await Promise.race([
      Promise.all([this.rebalancing, this.readLoop, ...[...this.owned.values()].map((s) => s.idle)]),
      sleep(this.closeTimeoutMs),
    ]);
    if (alive && this.cmd?.status === 'ready') {
      for (const key of this.owned.keys()) {
        await this.cmd.eval(RELEASE_IF_MINE, 1, this.keys.lease(this.options.group, key), this.consumerName);
      }
      await this.cmd.zrem(this.keys.members(this.options.group), this.consumerName);
      await this.cmd.quit().catch(() => undefined);
    } else {
      this.cmd?.disconnect();
    }
    this.owned.clear();
    this.listening = false;
  }


  on(): void {
    throw new Error('RedisStreamsServer does not support status listeners');
  }

  unwrap<T>(): T {
    return this.cmd as T;
  }

  /** Partitions this consumer currently owns (for tests and diagnostics). */
  ownedPartitions(): string[] {
    return [...this.owned.keys()];
  }

  private async ensureGroup(stream: string): Promise<void> {
    const start = this.options.startFrom === 'latest' ? '$' : '0';
    try {
      await this.cmd!.xgroup('CREATE', stream, this.options.group, start, 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
  }

  private async rebalanceSafely(): Promise<void> {
    if (this.rebalancing || this.stopping) return;
    this.rebalancing = this.rebalance()
      .catch((error) => this.logger.error(`rebalance failed: ${errorReason(error)}`))
      .finally(() => (this.rebalancing = undefined));
  }

  /** Heartbeat, renew own leases, then give up or take partitions towards a fair share. */
  private async rebalance(): Promise<void> {
    const cmd = this.cmd!;
    const group = this.options.group;
    const now = Date.now();
    const membersKey = this.keys.members(group);
    await cmd.zadd(membersKey, now, this.consumerName);
    await cmd.zremrangebyscore(membersKey, 0, now - this.visibilityMs);
    const members = await cmd.zrange(membersKey, '0', '-1');
    const share = Math.ceil(this.allStreams.length / Math.max(1, members.length));

    for (const key of [...this.owned.keys()]) {
      const renewed = await cmd.eval(RENEW_IF_MINE, 1, this.keys.lease(group, key), this.consumerName, this.visibilityMs);
      if (!renewed) {
        this.logger.warn(`lost lease on ${key}`);
        this.drop(key);
      }
    }
    for (const [key, state] of this.owned) {
      if (this.owned.size <= share) break;
      if (state.running || state.queue.length) continue;
      this.owned.delete(key);
      await cmd.eval(RELEASE_IF_MINE, 1, this.keys.lease(group, key), this.consumerName);
    }
    if (this.owned.size >= share || this.stopping) return;
    const offset = Math.max(0, members.indexOf(this.consumerName)) * share;
    for (let i = 0; i < this.allStreams.length && this.owned.size < share; i++) {
      const key = this.allStreams[(offset + i) % this.allStreams.length];
      if (this.owned.has(key)) continue;
      const got = await cmd.set(this.keys.lease(group, key), this.consumerName, 'PX', this.visibilityMs, 'NX');
      if (got !== 'OK') continue;
      const state: PartitionState = { key, queue: [], running: false, idle: Promise.resolve() };
      this.owned.set(key, state);
      await this.claimPending(state);
    }
  }

  private drop(key: string): void {
    const state = this.owned.get(key);
    if (state) state.queue.length = 0;
    this.owned.delete(key);
  }

  /** Messages delivered to a previous owner and never acknowledged come first, in id order. */
  private async claimPending(state: PartitionState): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.cmd!.xautoclaim(
        state.key,
        this.options.group,
        this.consumerName,
        0,
        cursor,
        'COUNT',
        100,
      )) as [string, [string, string[]][]];
      for (const [id, fields] of entries) if (fields) state.queue.push({ id, fields, reclaimed: true });
      cursor = next;
    } while (cursor !== '0-0');
    this.kick(state);
  }

  private async readForever(): Promise<void> {
    while (!this.stopping) {
      const keys = [...this.owned.values()].filter((s) => s.queue.length < this.batchSize).map((s) => s.key);
      if (keys.length === 0) {
        await sleep(20);
        continue;
      }
      try {
        const result = (await this.reader!.xreadgroup(
          'GROUP',
          this.options.group,
          this.consumerName,
          'COUNT',
          this.batchSize,
          'BLOCK',
          500,
          'STREAMS',
          ...keys,
          ...keys.map(() => '>'),
        )) as [string, [string, string[]][]][] | null;
        for (const [key, entries] of result ?? []) {
          const state = this.owned.get(key);
          if (!state) continue; // lease lost meanwhile: the entries stay pending for the new owner
          for (const [id, fields] of entries) state.queue.push({ id, fields });
          this.kick(state);
        }
      } catch (error) {
        if (this.stopping) return;
        this.logger.error(`read failed: ${errorReason(error)}`);
        await sleep(500);
      }
    }
  }

  /** One partition is processed strictly in order; partitions run concurrently. */
  private kick(state: PartitionState): void {
    if (state.running) return;
    state.running = true;
    state.idle = (async () => {
      try {
        while (state.queue.length && this.owned.get(state.key) === state) {
          const done = await this.process(state.key, state.queue[0]);
          if (!done) return; // shutting down mid-retry: leave it pending
          state.queue.shift();
        }
      } catch (error) {
        // Redis failed under us (ack or attempt count): the entry stays pending and is redelivered.
        this.logger.error(`${state.key}: ${errorReason(error)}`);
        state.queue.length = 0;
      } finally {
        state.running = false;
      }
    })();
  }

  /** Returns false when the message was left pending (shutdown during retries). */
  private async process(stream: string, entry: Entry): Promise<boolean> {
    const cmd = this.cmd!;
    const group = this.options.group;
    const body = fieldValue(entry.fields, 'event');
    const parsed = parseMessage(body);
    const event = parsed.event;
    if (!event) {
      await this.deadLetter(stream, entry, parsed.reason ?? 'invalid', 0);
      return true;
    }
    // A direct lookup: Nest's getHandlerByPattern tries JSON.parse on every call (a throw per event).
    const handler = this.getHandlers().get(event.type);
    if (!handler) {
      this.logger.warn(`no handler for ${event.type}; acknowledged`);
      await cmd.xack(stream, group, entry.id);
      return true;
    }
    // Failed attempts are counted in Redis (so a restart or a new owner continues the count); the
    // common first-time success costs a single XACK.
    const attemptsKey = this.keys.attempts(group);
    const field = `${stream}|${entry.id}`;
    let failed = entry.reclaimed ? Number((await cmd.hget(attemptsKey, field)) ?? 0) : 0;
    for (;;) {
      try {
        await runWithTrace(event.correlationId ?? event.id, () => runHandler(handler, event));
        if (failed > 0) await cmd.multi().xack(stream, group, entry.id).hdel(attemptsKey, field).exec();
        else await cmd.xack(stream, group, entry.id);
        return true;
      } catch (error) {
        failed = await cmd.hincrby(attemptsKey, field, 1);
        const reason = errorReason(error);
        if (failed >= this.retry.maxAttempts) {
          await this.deadLetter(stream, entry, `handler failed ${failed} times: ${reason}`, failed);
          return true;
        }
        this.logger.warn(`${event.type} ${event.id} attempt ${failed}/${this.retry.maxAttempts} failed: ${reason}`);
        if (this.stopping) return false;
        await sleep(backoffMs(this.retry, failed));
        if (this.stopping || !this.owned.has(stream)) return false;
      }
    }
  }

  private async deadLetter(stream: string, entry: Entry, reason: string, attempts: number): Promise<void> {
    const group = this.options.group;
    this.logger.error(`dead-lettered ${stream} ${entry.id}: ${reason}`);
    await this.cmd!
      .multi()
      .xadd(
        this.keys.deadLetter(group),
        '*',
        'stream', stream,
        'messageId', entry.id,
        'reason', reason,
        'attempts', String(attempts),
        'body', fieldValue(entry.fields, 'event') ?? '',
        'failedAt', new Date().toISOString(),
      )
      .xack(stream, group, entry.id)
      .hdel(this.keys.attempts(group), `${stream}|${entry.id}`)
      .exec();
  }
}

function fieldValue(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
