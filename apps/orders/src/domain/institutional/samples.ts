/**
 * Retained samples (留样) of school and hospital meal batches: ≥ 125 g of every dish, kept ≥ 48 h in a
 * dedicated refrigerator, confirmed by the site's receiver. A task not confirmed by its due time is
 * overdue; a sample may be discarded only after its keep-until time.
 */
export const SAMPLE_MIN_GRAMS = 125;
export const SAMPLE_KEEP_HOURS = 48;
/** The receiver confirms the sample within this many minutes after the delivery window closes. */
export const SAMPLE_CONFIRM_GRACE_MINUTES = 60;

export type SampleStatus = 'pending' | 'overdue' | 'kept' | 'discarded';

export function sampleDueAt(windowUntil: Date): Date {
  return new Date(windowUntil.getTime() + SAMPLE_CONFIRM_GRACE_MINUTES * 60_000);
}

/** Status as seen at `now` (overdue is derived, so it needs no timer to be right). */
export function sampleStatus(task: { confirmedAt?: Date | null; discardedAt?: Date | null; dueAt: Date }, now: Date): SampleStatus {
  if (task.discardedAt) return 'discarded';
  if (task.confirmedAt) return 'kept';
  return now.getTime() > task.dueAt.getTime() ? 'overdue' : 'pending';
}

export function confirmationProblems(dishes: readonly string[], kept: readonly { dish: string; grams: number }[]): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  dishes.forEach((dish) => {
    if (!kept.some((k) => k.dish === dish)) problems.push({ field: 'dishes', message: `缺少菜品“${dish}”的留样` });
  });
  kept.forEach((k, i) => {
    if (!dishes.includes(k.dish)) problems.push({ field: `dishes.${i}.dish`, message: `本批次没有菜品“${k.dish}”` });
    else if (k.grams < SAMPLE_MIN_GRAMS) problems.push({ field: `dishes.${i}.grams`, message: `每个菜品留样不少于 ${SAMPLE_MIN_GRAMS} 克` });
  });
  return problems;
}

export function keepUntil(storedAt: Date): Date {
  return new Date(storedAt.getTime() + SAMPLE_KEEP_HOURS * 3_600_000);
}

export function mayDiscard(storedAt: Date, now: Date): boolean {
  return now.getTime() >= keepUntil(storedAt).getTime();
}
