/** Where a periodic task reports (Nest's Logger fits). */
export interface TaskLogger {
  log(message: string): void;
  error(message: string): void;
}

/**
 * A periodic job inside one service instance (sweeps of timed-out sagas, expired reservations,
 * unapplied webhooks): runs `work` every `everyMs` (0 = off), never two runs at once, a failed run
 * logged and retried at the next tick, and `stop` waits for the run in progress. `work` returns a
 * line to log when it did something. Several instances may run it: the work itself must be safe
 * to repeat (compare-and-set changes, idempotent calls).
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<string | undefined | void>,
    private readonly logger: TaskLogger,
  ) {}

  start(everyMs: number): void {
    if (!everyMs || this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), everyMs);
    this.timer.unref();
  }

  /** One run now (tests call it; a run already in progress is joined, not doubled). */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      try {
        const done = await this.work();
        if (done) this.logger.log(done);
      } catch (e) {
        this.logger.error(`${this.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
