import type { Mark } from '@techan/common';
import type { EvidenceKind, TraceabilityLevel } from '../records';
import { TRACEABILITY_LEVELS } from '../records';

/**
 * One eligibility requirement of a scheme level. Schemes are lists of these, so one evaluator
 * serves OTOP stars and regional-brand tiers, and standards can be compared ("the county standard
 * is at least the town standard") by checking that one list implies the other.
 */
export type Requirement =
  | { kind: 'evidence'; evidence: EvidenceKind }
  | { kind: 'complaint_free'; months: number }
  | { kind: 'traceability'; level: TraceabilityLevel }
  | { kind: 'insurance' }
  /** The product already holds a current certificate of one of these marks (GI, green, organic…). */
  | { kind: 'held_mark'; anyOf: readonly Mark[] }
  | { kind: 'one_of'; options: readonly Requirement[] };

/** Does satisfying `a` guarantee `b` is satisfied? Sound (never says yes wrongly), not complete. */
export function requirementImplies(a: Requirement, b: Requirement): boolean {
  if (a.kind === 'one_of') return a.options.length > 0 && a.options.every((option) => requirementImplies(option, b));
  if (b.kind === 'one_of') return b.options.some((option) => requirementImplies(a, option));
  switch (b.kind) {
    case 'evidence':
      return a.kind === 'evidence' && a.evidence === b.evidence;
    case 'complaint_free':
      return a.kind === 'complaint_free' && a.months >= b.months;
    case 'traceability':
      return a.kind === 'traceability' && TRACEABILITY_LEVELS.indexOf(a.level) >= TRACEABILITY_LEVELS.indexOf(b.level);
    case 'insurance':
      return a.kind === 'insurance';
    case 'held_mark':
      return a.kind === 'held_mark' && a.anyOf.length > 0 && a.anyOf.every((mark) => b.anyOf.includes(mark));
  }
}

/** Every requirement of `weaker` is implied by some requirement of `stronger`. */
export function standardAtLeast(stronger: readonly Requirement[], weaker: readonly Requirement[]): boolean {
  return weaker.every((need) => stronger.some((have) => requirementImplies(have, need)));
}

/** The requirements of `weaker` that `stronger` does not guarantee (for a readable error). */
export function requirementsNotCovered(stronger: readonly Requirement[], weaker: readonly Requirement[]): Requirement[] {
  return weaker.filter((need) => !stronger.some((have) => requirementImplies(have, need)));
}
