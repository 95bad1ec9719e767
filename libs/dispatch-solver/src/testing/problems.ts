import type { Problem, Stop } from '../lib/model';

/**
 * A deterministic test problem: n stops scattered over a 97 × 89 plane (pseudo-random by prime
 * multiples), demand 1–9, 10 min of service, windows of 200 min spread over the first 600, one
 * depot near the middle and a fleet of identical ambient vehicles on an 800-minute shift.
 */
export function scatteredProblem(n: number, fleet: { vehicles: number; capacity: number }): Problem {
  const stops: Stop[] = Array.from({ length: n }, (_, i) => ({
    id: `c${i}`,
    location: { x: (i * 7919) % 97, y: (i * 104729) % 89 },
    demand: { ambient: 1 + (i % 9) },
    serviceTime: 10,
    timeWindow: { start: (i * 31) % 400, end: ((i * 31) % 400) + 200 },
  }));
  return {
    depots: [{ id: 'D', location: { x: 48, y: 44 } }],
    vehicles: Array.from({ length: fleet.vehicles }, (_, k) => ({
      id: `v${k}`,
      depotId: 'D',
      compartments: [{ temperature: 'ambient' as const, capacity: fleet.capacity }],
      shiftStart: 0,
      shiftEnd: 800,
    })),
    stops,
    travel: { kind: 'plane' },
  };
}
