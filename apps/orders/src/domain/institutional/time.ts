/**
 * Local dates and times of Kaiping (Asia/Shanghai). China has kept UTC+8 without daylight saving since
 * 1991, so a fixed offset is exact and needs no time-zone database.
 */
export const SHANGHAI_OFFSET_MINUTES = 8 * 60;

/** 'YYYY-MM-DD' */
export type LocalDate = string;
/** 'HH:MM' (24 h) */
export type LocalTime = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isLocalDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function isLocalTime(s: string): boolean {
  return TIME_RE.test(s);
}

/** The instant of a Shanghai wall-clock date and time. */
export function shanghaiInstant(date: LocalDate, time: LocalTime = '00:00'): Date {
  const d = DATE_RE.exec(date);
  const t = TIME_RE.exec(time);
  if (!d || !t) throw new RangeError(`bad local date/time ${date} ${time}`);
  return new Date(Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2]) - SHANGHAI_OFFSET_MINUTES * 60_000);
}

/** The Shanghai calendar date of an instant. */
export function shanghaiDate(at: Date): LocalDate {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = shanghaiInstant(date);
  return shanghaiDate(new Date(d.getTime() + days * 86_400_000));
}

/** ISO weekday of a local date: Monday = 1 … Sunday = 7. */
export function isoWeekday(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** 'YYYY-MM' of a local date. */
export function monthOf(date: LocalDate): string {
  return date.slice(0, 7);
}

/** First and last local dates of a month 'YYYY-MM'. */
export function monthRange(month: string): { first: LocalDate; last: LocalDate } {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`bad month ${month}`);
  const [y, m] = month.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(lastDay).padStart(2, '0')}` };
}
