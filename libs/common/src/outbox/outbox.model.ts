import { Schema, type Connection, type Model } from 'mongoose';
import type { EventEnvelope } from '../contracts/envelope';

export interface OutboxRecord {
  _id: string; // the event id
  type: string;
  subject: string;
  envelope: EventEnvelope;
  status: 'pending' | 'published';
  /** Per-process sequence: with createdAt, keeps the relay in commit order within a process. */
  seq: number;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  createdAt: Date;
  publishedAt?: Date;
}

export interface InboxRecord {
  _id: string; // `${consumer}:${eventId}`
  type: string;
  subject: string;
  processedAt: Date;
}

export interface RelayLease {
  _id: string;
  owner: string;
  until: Date;
}

const PUBLISHED_RETENTION_S = 7 * 24 * 3600;
const INBOX_RETENTION_S = 30 * 24 * 3600;

const outboxSchema = new Schema<OutboxRecord>(
  {
    _id: String,
    type: { type: String, required: true },
    subject: { type: String, required: true },
    envelope: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: ['pending', 'published'], required: true },
    seq: { type: Number, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastError: String,
    createdAt: { type: Date, required: true },
    publishedAt: Date,
  },
  { collection: 'outbox', versionKey: false },
);
// The relay's idle check (anything due now?) and its batch (pending events in commit order).
outboxSchema.index({ status: 1, nextAttemptAt: 1 });
outboxSchema.index({ status: 1, createdAt: 1, seq: 1 });
// Published events are kept a week for diagnosis, then expire (TTL only touches docs with the field).
outboxSchema.index({ publishedAt: 1 }, { expireAfterSeconds: PUBLISHED_RETENTION_S });

const inboxSchema = new Schema<InboxRecord>(
  { _id: String, type: String, subject: String, processedAt: { type: Date, required: true } },
  { collection: 'inbox', versionKey: false },
);
// Redeliveries come within minutes or days, not months: ids older than the retention are forgotten.
inboxSchema.index({ processedAt: 1 }, { expireAfterSeconds: INBOX_RETENTION_S });

const leaseSchema = new Schema<RelayLease>(
  { _id: String, owner: { type: String, required: true }, until: { type: Date, required: true } },
  { collection: 'outbox_lease', versionKey: false },
);

export function outboxModels(connection: Connection): {
  outbox: Model<OutboxRecord>;
  inbox: Model<InboxRecord>;
  lease: Model<RelayLease>;
} {
  const get = <T>(name: string, schema: Schema<T>) =>
    (connection.models[name] as Model<T>) ?? connection.model<T>(name, schema);
  return {
    outbox: get('TechanOutbox', outboxSchema),
    inbox: get('TechanInbox', inboxSchema),
    lease: get('TechanOutboxLease', leaseSchema),
  };
}
