import { HOT_MEAL_MAX_MINUTES_FROM_COOKING } from '@techan/common';
import type { OrganisationType } from './organisation';

/**
 * Hot-holding limits for 优餐 (Chinese food-safety practice, DESIGN §2): core ≥ 60 °C in a hot
 * compartment and eaten within 4 h of cooking; school catering is portioned within 1 h of cooking.
 * The dispatch solver gets them as a maximum ride time counted from the moment the batch is handed
 * over for dispatch.
 */
export const SCHOOL_PORTIONING_MINUTES = 60;
/** Minutes kept back at the site for serving and eating before the 4-hour limit. */
export const SERVING_ALLOWANCE_MINUTES = 60;

export function hotMealDeadlineMinutes(orgType: OrganisationType): number {
  return orgType === 'school' ? SCHOOL_PORTIONING_MINUTES : HOT_MEAL_MAX_MINUTES_FROM_COOKING - SERVING_ALLOWANCE_MINUTES;
}

/** Longest ride allowed for a batch cooked at `cookedAt` and dispatched at `dispatchAt`; null if already too late. */
export function maxRideMinutes(orgType: OrganisationType, cookedAt: Date, dispatchAt: Date): number | null {
  const elapsed = Math.ceil((dispatchAt.getTime() - cookedAt.getTime()) / 60_000);
  if (elapsed < 0) return null;
  const left = hotMealDeadlineMinutes(orgType) - elapsed;
  return left > 0 ? left : null;
}

/** Morning order cut-off of hot meals (e.g. 09:30 on the service day). */
export const HOT_MEAL_DEFAULT_CUTOFF = '09:30';
