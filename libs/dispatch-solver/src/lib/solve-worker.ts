/*
 * Worker-thread entry point of solveInWorker: runs solve() off the main event loop, posts progress
 * messages and the final plan. Cancellation arrives through a shared flag because the solver runs
 * synchronously and cannot receive messages while it works.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ProblemValidationError } from './compile';
import type { Problem, SolveOptions } from './model';
import { loadRouteCombiner } from './route-combiner';
import { solve } from './solve';

export interface WorkerInput {
  problem: Problem;
  options: Omit<SolveOptions, 'signal' | 'onProgress' | 'now' | 'combineRoutes'>;
  cancelFlag: SharedArrayBuffer;
  reportProgress: boolean;
}

export type WorkerMessage =
  | { type: 'progress'; progress: { elapsedMs: number; bestCost: number; vehicles: number; distance: number } }
  | { type: 'done'; plan: ReturnType<typeof solve> }
  | { type: 'error'; name: string; message: string; issues?: string[] };

async function run(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const input = workerData as WorkerInput;
  const flag = new Int32Array(input.cancelFlag);
  const signal = {
    get aborted(): boolean {
      return Atomics.load(flag, 0) === 1;
    },
  };
  try {
    const plan = solve(input.problem, {
      ...input.options,
      combineRoutes: await loadRouteCombiner(),
      signal,
      onProgress: input.reportProgress ? (progress) => port.postMessage({ type: 'progress', progress } satisfies WorkerMessage) : undefined,
    });
    port.postMessage({ type: 'done', plan } satisfies WorkerMessage);
  } catch (e) {
    const err = e as Error;
    port.postMessage({
      type: 'error',
      name: err.name,
      message: err.message,
      issues: e instanceof ProblemValidationError ? e.issues : undefined,
    } satisfies WorkerMessage);
  }
}

void run();
