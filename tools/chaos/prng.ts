/**
 * The harness's randomness: one seeded generator (mulberry32, 32-bit state), so the same --seed gives
 * the same workload choices and the same fault schedule.
 */
export type Random = () => number;

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Fisher–Yates with the given generator. */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export type FaultKind = 'kill9' | 'pause' | 'webhooks' | 'stripe-outage';
export interface Fault {
  /** Offset from the start of the workload (ms). */
  atMs: number;
  kind: FaultKind;
  /** The part it hits (a service, a store, or 'stripe'). */
  target: string;
  /** How long a pause / outage / webhook hold lasts (ms). */
  holdMs: number;
}

/**
 * Every fault once, in a seeded order, spread evenly with a seeded jitter over the middle of the run
 * (from 10 % to 70 % of it), so the last 30 % is load after every fault: the system must recover
 * under load, not only at rest.
 */
export function faultSchedule(random: Random, runMs: number, parts: { services: string[]; stores: string[]; stripe: boolean }): Fault[] {
  const hold = (min: number, max: number) => Math.round(min + random() * (max - min));
  const faults: Omit<Fault, 'atMs'>[] = [
    ...parts.services.map((target) => ({ kind: 'kill9' as const, target, holdMs: 0 })),
    ...parts.stores.map((target) => ({ kind: 'kill9' as const, target, holdMs: 0 })),
    // The two busiest consumers stop long enough to fall behind (and to look like a stalled store link).
    ...parts.services.filter((s) => s === 'orders' || s === 'catalog').map((target) => ({ kind: 'pause' as const, target, holdMs: hold(4_000, 8_000) })),
    ...(parts.stripe
      ? [
          { kind: 'webhooks' as const, target: 'stripe', holdMs: hold(3_000, 6_000) },
          { kind: 'stripe-outage' as const, target: 'stripe', holdMs: hold(3_000, 6_000) },
        ]
      : []),
  ];
  const order = shuffled(random, faults);
  const from = runMs * 0.1;
  const span = runMs * 0.6;
  const step = span / order.length;
  return order.map((f, i) => ({ ...f, atMs: Math.round(from + i * step + random() * step * 0.5) }));
}
