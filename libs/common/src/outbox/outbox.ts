import { randomUUID } from 'node:crypto';
import type { ClientSession, Connection, Model } from 'mongoose';
import { lastValueFrom } from 'rxjs';
import type { Observable } from 'rxjs';
import { createEvent, type EventEnvelope } from '../contracts/envelope';
import type { EventType } from '../contracts/registry';
import { currentTrace } from '../logging/trace-context';
import { backoffMs, errorReason, type RetryPolicy } from '../bus/dispatch';
import { outboxModels, type InboxRecord, type OutboxRecord, type RelayLease } from './outbox.model';

let sequence = 0;

/** What the relay needs of a bus client (a ClientProxy fits). */
export interface EventEmitterLike {
  emit(pattern: string, data: unknown): Observable<unknown>;
}

export interface MinimalLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Transactional outbox: `record` stores events in the caller's MongoDB transaction, so they exist
 * iff the state change committed; the relay publishes them afterwards, in order, retrying failures
 * with backoff, and picks up whatever a crashed process left behind.
 */
export class Outbox {
  private readonly outbox: Model<OutboxRecord>;
  private readonly lease: Model<RelayLease>;
  private readonly owner = randomUUID();
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private pendingKick = false;
  /** Until when this relay holds the lease (as it set it); undefined when it does not. */
  private leaseUntil?: Date;

  constructor(
    private readonly connection: Connection,
    private readonly source: string,
    private readonly client: EventEmitterLike,
    private readonly logger: MinimalLogger,
    private readonly options: { pollMs?: number; leaseMs?: number; retry?: RetryPolicy } = {},
  ) {
    ({ outbox: this.outbox, lease: this.lease } = outboxModels(connection));
  }

  /** Builds (and validates) an event and stores it in the transaction of `session`. */
  async record<T>(session: ClientSession, type: EventType, subject: string, data: T): Promise<EventEnvelope<T>> {
    const trace = currentTrace();
    const event = createEvent(type, subject, data, { source: this.source, correlationId: trace?.traceId });
    const now = new Date();
    await this.outbox.create(
      [{ _id: event.id, type, subject, envelope: event, status: 'pending', seq: ++sequence, attempts: 0, nextAttemptAt: now, createdAt: now }],
      { session },
    );
    return event;
  }

  /**
   * Runs `work` in a transaction (retried on transient errors by the driver) and wakes the relay
   * once it committed, so events leave within milliseconds instead of a poll interval.
   */
  async transaction<R>(work: (session: ClientSession) => Promise<R>): Promise<R> {
    const result = await this.connection.transaction(work);
    this.kick();
    return result;
  }

  kick(): void {
    this.pendingKick = true;
    this.wake?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.relayForever();
  }

  /** Stops the relay after one last attempt to publish what is pending (graceful shutdown). */
  async stop(flushTimeoutMs = 5_000): Promise<void> {
    if (this.running) {
      this.running = false;
      this.wake?.();
      await this.loop;
      // The deadline's timer is cleared once the flush is done: left running, it would keep a stopped
      // service's process alive for the rest of the timeout.
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([this.relayOnce().catch(() => 0), new Promise((r) => (deadline = setTimeout(r, flushTimeoutMs)))]);
      clearTimeout(deadline);
    }
    this.leaseUntil = undefined;
    await this.lease.deleteOne({ _id: 'relay', owner: this.owner }).catch(() => undefined);
  }

  /**
   * Publishes pending events, each subject's in commit order: subjects go out concurrently (the bus
   * client sends what is emitted together in one request) but a subject never has two events in
   * flight, so a later event of a key cannot overtake an earlier one. An event waiting out a retry
   * backoff blocks the later events of its subject, while other subjects go on.
   * `knownWork` (the relay was kicked after a commit) skips the idle check: one round trip less.
   */
  async relayOnce(knownWork = false): Promise<number> {
    const now = new Date();
    // Idle polls cost one indexed read; the lease (a write) is taken only when there is work.
    const due = { status: 'pending' as const, nextAttemptAt: { $lte: now } };
    if (!knownWork && !this.holdsLease(now) && !(await this.outbox.exists(due))) return 0;
    if (!(await this.holdLease())) return 0;
    const batch = await this.outbox
      .find({ status: 'pending' })
      .sort({ createdAt: 1, seq: 1 })
      .limit(100)
      .lean();
    const bySubject = new Map<string, OutboxRecord[]>();
    for (const record of batch) bySubject.set(record.subject, [...(bySubject.get(record.subject) ?? []), record]);
    const published = await Promise.all([...bySubject.values()].map((records) => this.publishInOrder(records, now)));
    return published.reduce((a, b) => a + b, 0);
  }

  /** Publishes one subject's events one after the other; stops at the first that is not due or fails. */
  private async publishInOrder(records: OutboxRecord[], now: Date): Promise<number> {
    let published = 0;
    for (const record of records) {
      if (record.nextAttemptAt > now) break;
      try {
        await lastValueFrom(this.client.emit(record.type, record.envelope), { defaultValue: undefined });
      } catch (error) {
        const attempts = record.attempts + 1;
        const wait = backoffMs(this.options.retry ?? { maxAttempts: Infinity, backoffBaseMs: 200, backoffMaxMs: 30_000 }, attempts);
        this.logger.warn(`outbox: publishing ${record.type} ${record._id} failed (attempt ${attempts}), retry in ${wait} ms: ${errorReason(error)}`);
        await this.outbox.updateOne(
          { _id: record._id },
          { $set: { attempts, lastError: errorReason(error), nextAttemptAt: new Date(Date.now() + wait) } },
        );
        break;
      }
      await this.outbox.updateOne({ _id: record._id }, { $set: { status: 'published', publishedAt: new Date() } });
      published++;
    }
    return published;
  }

  /** True while the lease this relay took is good for more than half its term (no need to renew yet). */
  private holdsLease(now: Date): boolean {
    return this.leaseUntil !== undefined && this.leaseUntil.getTime() - now.getTime() > (this.options.leaseMs ?? 10_000) / 2;
  }

  /**
   * One relay per service at a time (replicas compete for a lease), so per-key order holds. A lease
   * with more than half its term left is kept without a write.
   */
  private async holdLease(): Promise<boolean> {
    const leaseMs = this.options.leaseMs ?? 10_000;
    const now = new Date();
    if (this.holdsLease(now)) return true;
    this.leaseUntil = undefined;
    try {
      const until = new Date(now.getTime() + leaseMs);
      const lease = await this.lease.findOneAndUpdate(
        { _id: 'relay', $or: [{ owner: this.owner }, { until: { $lt: now } }] },
        { $set: { owner: this.owner, until } },
        { upsert: true, returnDocument: 'after' },
      );
      if (lease?.owner !== this.owner) return false;
      this.leaseUntil = until;
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false; // another replica holds it
      throw error;
    }
  }

  private async relayForever(): Promise<void> {
    const pollMs = this.options.pollMs ?? 250;
    while (this.running) {
      const kicked = this.pendingKick;
      this.pendingKick = false;
      let published = 0;
      try {
        published = await this.relayOnce(kicked);
      } catch (error) {
        this.logger.error(`outbox relay failed: ${errorReason(error)}`);
      }
      if (published > 0 || this.pendingKick || !this.running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Pending events (for health and diagnostics). */
  pendingCount(): Promise<number> {
    return this.outbox.countDocuments({ status: 'pending' });
  }
}

/**
 * Inbox: remembers processed event ids so that a redelivered event changes nothing. The id is
 * recorded in the same transaction as the handler's writes: both happen, or neither.
 */
export class Inbox {
  private readonly inbox: Model<InboxRecord>;

  constructor(
    private readonly connection: Connection,
    private readonly consumer: string,
  ) {
    ({ inbox: this.inbox } = outboxModels(connection));
  }

  /** Runs `work` once per event id; returns false (and does nothing) for a duplicate. */
  async once(event: EventEnvelope, work: (session: ClientSession) => Promise<void>): Promise<boolean> {
    return this.connection.transaction(async (session) => {
      const result = await this.inbox.updateOne(
        { _id: `${this.consumer}:${event.id}` },
        { $setOnInsert: { type: event.type, subject: event.subject, processedAt: new Date() } },
        { upsert: true, session },
      );
      if (result.upsertedCount === 0) return false;
      await work(session);
      return true;
    });
  }
}
