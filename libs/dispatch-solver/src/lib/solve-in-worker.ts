import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ProblemValidationError } from './compile';
import type { Plan, Problem, SolveOptions } from './model';
import type { WorkerInput, WorkerMessage } from './solve-worker';

/** The worker loads the route combiner itself (a function cannot be sent to it). */
export type WorkerSolveOptions = Omit<SolveOptions, 'now' | 'signal' | 'combineRoutes'> & { signal?: AbortSignal };

/**
 * Runs solve() in a worker thread so that a service's event loop stays free. Progress callbacks are
 * forwarded, `signal` cancels (the best plan so far is still returned), validation errors reject
 * with ProblemValidationError. Works from compiled JS and from TypeScript sources (Jest, tsx), in
 * which case the worker registers tsx's CommonJS loader.
 */
export function solveInWorker(problem: Problem, options: WorkerSolveOptions = {}): Promise<Plan> {
  const { signal, onProgress, ...rest } = options;
  const cancelFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelFlag);
  const ext = extname(__filename);
  const file = join(__dirname, `solve-worker${ext}`);
  const input: WorkerInput = { problem, options: rest, cancelFlag, reportProgress: !!onProgress };
  // loaded through eval so that running from .ts sources can install the tsx loader first
  const bootstrap =
    ext === '.ts'
      ? `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`
      : `require(${JSON.stringify(file)});`;
  return new Promise<Plan>((resolve, reject) => {
    const worker = new Worker(bootstrap, { eval: true, workerData: input });
    let settled = false;
    const onAbort = (): void => {
      Atomics.store(flag, 0, 1);
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'progress') onProgress?.(msg.progress);
      else if (msg.type === 'done') finish(() => resolve(msg.plan));
      else {
        const err = msg.issues ? new ProblemValidationError(msg.issues) : Object.assign(new Error(msg.message), { name: msg.name });
        finish(() => reject(err));
      }
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`solver worker exited with code ${code} before answering`))));
  });
}
