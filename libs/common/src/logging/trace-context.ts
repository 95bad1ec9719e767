import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface TraceContext {
  traceId: string;
  userId?: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

/** Runs `fn` with a trace id visible to the logger and copied into events as correlationId. */
export function runWithTrace<T>(traceId: string | undefined, fn: () => T): T {
  return storage.run({ traceId: traceId || randomUUID() }, fn);
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}
