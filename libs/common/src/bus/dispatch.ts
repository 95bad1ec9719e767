import { isObservable, lastValueFrom } from 'rxjs';
import { InvalidEventError, validateEvent, type EventEnvelope } from '../contracts/envelope';

export interface RetryPolicy {
  /** Handler attempts before the message goes to the dead-letter stream. */
  maxAttempts: number;
  /** Backoff before attempt n (1-based): base × 2^(n-1), capped. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, backoffBaseMs: 200, backoffMaxMs: 5_000 };

export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
}

/** Either `event` (valid) or `reason` (why not). A plain shape, so it narrows without strict mode. */
export interface ParseResult {
  event?: EventEnvelope;
  reason?: string;
}

/** Parses and validates a raw message body; a malformed message is reported, never thrown. */
export function parseMessage(body: string | Buffer | null | undefined): ParseResult {
  if (body == null) return { reason: 'empty message' };
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString());
  } catch {
    return { reason: 'body is not JSON' };
  }
  try {
    return { event: validateEvent(raw) };
  } catch (error) {
    return { reason: error instanceof InvalidEventError ? error.reason : String(error) };
  }
}

/**
 * Runs a Nest event handler to completion. Nest wraps handlers so that they may return a value, a
 * promise or an observable (errors from exception filters arrive as an erroring observable):
 * awaiting all three is what lets a transport acknowledge only after success.
 */
export async function runHandler(handler: (event: EventEnvelope) => unknown, event: EventEnvelope): Promise<void> {
  const result = await handler(event);
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}

/** A readable reason for logs and dead letters, also for the plain objects Nest's RPC filter emits. */
export function errorReason(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (error && typeof error === 'object') {
    try {
      return JSON.stringify(error).slice(0, 1_000);
    } catch {
      // circular: fall through
    }
  }
  return String(error);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits `ms`, or less if `signal` aborts first (the timer is cleared, so nothing keeps the process alive). */
export function sleepUnless(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
