/** The clock of the institutional module (tests set "now" to walk a school week). */
export const INSTITUTIONAL_CLOCK = Symbol('INSTITUTIONAL_CLOCK');
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Settings of the institutional jobs (from the service config). */
export const INSTITUTIONAL_SETTINGS = Symbol('INSTITUTIONAL_SETTINGS');
export interface InstitutionalSettings {
  /** Run the BullMQ schedulers (generation, cut-off sweep); off in tests that drive them by hand. */
  jobs: boolean;
  /** Generate call-offs for delivery dates up to this many days ahead. */
  horizonDays: number;
  generateEveryMs: number;
  cutoffSweepEveryMs: number;
  bullPrefix: string;
  redisUrl: string;
}
