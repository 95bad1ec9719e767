import { checkPlan } from './check-plan';
import { ProblemValidationError } from './compile';
import type { Problem, SolveProgress } from './model';
import { solveInWorker } from './solve-in-worker';

function problem(n: number): Problem {
  return {
    depots: [{ id: '中央厨房', location: { lat: 22.376, lon: 112.69 } }],
    vehicles: Array.from({ length: 6 }, (_, k) => ({
      id: `车${k + 1}`,
      depotId: '中央厨房',
      compartments: [
        { temperature: 'hot' as const, capacity: 40 },
        { temperature: 'chilled' as const, capacity: 60 },
      ],
      shiftStart: 480,
      shiftEnd: 900,
    })),
    stops: Array.from({ length: n }, (_, i) => ({
      id: `点${i}`,
      location: { lat: 22.3 + ((i * 37) % 17) / 100, lon: 112.6 + ((i * 53) % 19) / 100 },
      demand: i % 2 ? { hot: 4 } : { chilled: 6, hot: 1 },
      serviceTime: 5,
      timeWindow: { start: 600, end: 780 },
      maxRideTime: i % 2 ? 90 : undefined,
    })),
    travel: { kind: 'geo', speedKmh: 35, roadFactor: 1.3 },
  };
}

describe('solveInWorker', () => {
  it('solves in a worker thread and forwards progress', async () => {
    const p = problem(25);
    const progress: SolveProgress[] = [];
    const plan = await solveInWorker(p, { seed: 5, maxIterations: 100, timeLimitMs: 30_000, onProgress: (x) => progress.push(x) });
    expect(checkPlan(p, plan)).toEqual([]);
    expect(plan.unserved).toEqual([]);
    expect(plan.stoppedBy).toBe('iterations');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[progress.length - 1].distance).toBeCloseTo(plan.distance, 6);
  }, 30_000);

  it('stops when cancelled and returns the best plan so far', async () => {
    const p = problem(30);
    const controller = new AbortController();
    // cancel as soon as the first feasible plan is reported
    const plan = await solveInWorker(p, { seed: 1, timeLimitMs: 120_000, signal: controller.signal, onProgress: () => controller.abort() });
    expect(plan.stoppedBy).toBe('cancelled');
    expect(checkPlan(p, plan)).toEqual([]);
  }, 30_000);

  it('passes the hard fleet limit to the worker', async () => {
    const p = problem(25);
    const plan = await solveInWorker(p, { seed: 2, maxIterations: 50, timeLimitMs: 30_000, maxVehicles: 1 });
    expect(plan.vehicles).toBeLessThanOrEqual(1);
    expect(checkPlan(p, plan)).toEqual([]);
    expect(plan.unserved.length).toBeGreaterThan(0);
    expect(plan.unserved.every((u) => u.reason === 'no-room-in-fleet')).toBe(true);
  }, 30_000);

  it('rejects invalid problems with a validation error', async () => {
    const p = problem(2);
    p.vehicles[0].shiftEnd = 0;
    await expect(solveInWorker(p, { maxIterations: 5 })).rejects.toBeInstanceOf(ProblemValidationError);
  }, 30_000);
});
