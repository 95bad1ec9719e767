import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EVENT_SCHEMAS, type EventType } from './registry';

/** CloudEvents-style envelope (DESIGN.md §3). `subject` is the aggregate id and the partition key. */
export const EventEnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  type: z.string().regex(/^techan\.[a-z]+\.[a-z0-9-]+\.v\d+$/, 'type must be techan.<service>.<event>.v<N>'),
  source: z.string().min(1),
  subject: z.string().min(1),
  time: z.iso.datetime(),
  correlationId: z.string().optional(),
  causationId: z.string().optional(),
  data: z.unknown(),
});

export interface EventEnvelope<T = unknown> {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  subject: string;
  time: string;
  correlationId?: string;
  causationId?: string;
  data: T;
}

export class InvalidEventError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidEventError';
  }
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Validates an envelope and its data against the registered contract; throws InvalidEventError with the reason. */
export function validateEvent<T = unknown>(raw: unknown): EventEnvelope<T> {
  const envelope = EventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) throw new InvalidEventError(`envelope: ${describe(envelope.error)}`);
  const schema = EVENT_SCHEMAS[envelope.data.type as EventType];
  if (!schema) throw new InvalidEventError(`unknown event type ${envelope.data.type}`);
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) throw new InvalidEventError(`${envelope.data.type} data: ${describe(data.error)}`);
  return { ...(envelope.data as EventEnvelope), data: data.data as T };
}

export interface NewEventOptions {
  source: string;
  correlationId?: string;
  causationId?: string;
  id?: string;
  time?: Date;
}

/** Builds a validated envelope: a malformed event is refused where it is made, not where it lands. */
export function createEvent<T>(type: EventType, subject: string, data: T, opts: NewEventOptions): EventEnvelope<T> {
  return validateEvent<T>({
    specversion: '1.0',
    id: opts.id ?? randomUUID(),
    type,
    source: opts.source,
    subject,
    time: (opts.time ?? new Date()).toISOString(),
    ...(opts.correlationId ? { correlationId: opts.correlationId } : {}),
    ...(opts.causationId ? { causationId: opts.causationId } : {}),
    data,
  });
}
