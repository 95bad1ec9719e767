/**
 * Shared primitives of the certification domain: rejections with reasons, a clock, and calendar
 * arithmetic. Plain TypeScript: no Nest, no persistence.
 */

/** A rule said no. `code` is stable (APIs map it to a 4xx), `message` explains it to a person. */
export interface Rejection {
  code: string;
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

export const accept = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const reject = <T = never>(code: string, message: string): Outcome<T> => ({
  ok: false,
  rejection: { code, message },
});

/** Thrown by `unwrap` so that service code can treat a rejected transition as an exception. */
export class DomainRejectedError extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.message);
    this.name = 'DomainRejectedError';
  }
  get code(): string {
    return this.rejection.code;
  }
}

export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new DomainRejectedError(outcome.rejection);
}

/** Time is always injected: domain code never calls `new Date()` on its own. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can move by hand. */
export class ManualClock implements Clock {
  private current: Date;
  constructor(start: Date | string) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/**
 * Calendar months in UTC, clamped to the end of the target month (31 Jan + 1 month = 28/29 Feb),
 * so a "one-month grace" or a "valid for 36 months" never overshoots into the following month.
 */
export function addMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const monthIndex = date.getUTCMonth() + months;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(
      targetYear,
      targetMonth,
      day,
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    ),
  );
}

export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
