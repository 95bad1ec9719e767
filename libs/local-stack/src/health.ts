import type { ChildProcess } from 'node:child_process';

export interface WaitHealthyOptions {
  timeoutMs?: number;
  /** The process serving `url`: its exit ends the wait at once instead of at the timeout. */
  child?: ChildProcess;
  /** Added to the error (e.g. the service's recent output). */
  describe?: () => string;
}

/** Polls `<url>/health` until it answers 200 (services report MongoDB, Redis and the bus there). */
export async function waitHealthy(url: string, options: WaitHealthyOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const detail = () => (options.describe ? `\n${options.describe()}` : '');
  for (;;) {
    if (options.child && options.child.exitCode !== null) {
      throw new Error(`the service at ${url} exited with code ${options.child.exitCode}${detail()}`);
    }
    const ok = await fetch(`${url}/health`).then((r) => r.status === 200, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url}/health did not answer 200 within ${timeoutMs / 1000} s${detail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
