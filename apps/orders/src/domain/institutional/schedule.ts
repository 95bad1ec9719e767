import { addDays, isoWeekday, shanghaiInstant, type LocalDate, type LocalTime } from './time';

/**
 * A contract's delivery schedule for one site (seed 004: 按年/季/月/周/日定点定时定量配送):
 * daily on chosen weekdays, weekly on one weekday, or monthly on a day of the month; a receiving
 * window; standing quantities; and an order cut-off some days before at a local time.
 */
export interface DeliverySchedule {
  scheduleId: string;
  siteId: string;
  frequency: 'daily' | 'weekly' | 'monthly';
  /** ISO weekdays (1 = Monday); daily: the chosen days, weekly: exactly one. */
  weekdays: number[];
  /** Monthly: day of month 1-28 (every month has it). */
  dayOfMonth?: number;
  window: { from: LocalTime; until: LocalTime };
  cutoff: { daysBefore: number; time: LocalTime };
  quantities: { lineId: string; quantity: number }[];
}

/** Is `date` a delivery day of the schedule? (Contract validity is checked by the caller.) */
export function isDeliveryDay(schedule: Pick<DeliverySchedule, 'frequency' | 'weekdays' | 'dayOfMonth'>, date: LocalDate): boolean {
  switch (schedule.frequency) {
    case 'daily':
    case 'weekly':
      return schedule.weekdays.includes(isoWeekday(date));
    case 'monthly':
      return Number(date.slice(8, 10)) === schedule.dayOfMonth;
  }
}

/** When ordering for a delivery date closes (e.g. 16:00 the day before, Shanghai time). */
export function cutoffFor(schedule: Pick<DeliverySchedule, 'cutoff'>, date: LocalDate): Date {
  return shanghaiInstant(addDays(date, -schedule.cutoff.daysBefore), schedule.cutoff.time);
}

export function deliveryWindow(schedule: Pick<DeliverySchedule, 'window'>, date: LocalDate): { from: Date; until: Date } {
  return { from: shanghaiInstant(date, schedule.window.from), until: shanghaiInstant(date, schedule.window.until) };
}

/** Delivery dates in [from, to] (inclusive, local) that fall on the schedule and inside the contract's validity. */
export function deliveryDates(
  schedule: Pick<DeliverySchedule, 'frequency' | 'weekdays' | 'dayOfMonth'>,
  validity: { validFrom: LocalDate; validUntil: LocalDate },
  from: LocalDate,
  to: LocalDate,
): LocalDate[] {
  const dates: LocalDate[] = [];
  const start = from > validity.validFrom ? from : validity.validFrom;
  const end = to < validity.validUntil ? to : validity.validUntil;
  for (let d = start; d <= end; d = addDays(d, 1)) if (isDeliveryDay(schedule, d)) dates.push(d);
  return dates;
}

/** Problems of a schedule as (field, message) pairs; empty when valid. */
export function scheduleProblems(s: DeliverySchedule, lineIds: ReadonlySet<string>): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (s.frequency === 'weekly' && s.weekdays.length !== 1) problems.push({ field: 'weekdays', message: '每周配送须且只能选择一个星期几' });
  if (s.frequency === 'daily' && s.weekdays.length === 0) problems.push({ field: 'weekdays', message: '每日配送至少选择一个星期几' });
  if (s.frequency === 'monthly' && !s.dayOfMonth) problems.push({ field: 'dayOfMonth', message: '每月配送须指定日期（1-28日）' });
  if (s.window.from >= s.window.until) problems.push({ field: 'window', message: '收货时段的开始须早于结束' });
  if (s.cutoff.daysBefore === 0 && s.cutoff.time >= s.window.from) problems.push({ field: 'cutoff', message: '截单时间须早于当日收货时段' });
  s.quantities.forEach((q, i) => {
    if (!lineIds.has(q.lineId)) problems.push({ field: `quantities.${i}.lineId`, message: `合同中没有明细 ${q.lineId}` });
  });
  return problems;
}
