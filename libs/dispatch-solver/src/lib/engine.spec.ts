import { compileProblem } from './compile';
import { Engine } from './engine';
import type { Problem, Stop } from './model';

function plainProblem(n: number): Problem {
  const stops: Stop[] = Array.from({ length: n }, (_, i) => ({
    id: `c${i}`,
    location: { x: (i * 7919) % 97, y: (i * 104729) % 89 },
    demand: { ambient: 1 + (i % 9) },
    serviceTime: 10,
    timeWindow: { start: (i * 31) % 400, end: ((i * 31) % 400) + 200 },
  }));
  return {
    depots: [{ id: 'D', location: { x: 48, y: 44 } }],
    vehicles: Array.from({ length: 10 }, (_, k) => ({ id: `v${k}`, depotId: 'D', compartments: [{ temperature: 'ambient' as const, capacity: 60 }], shiftStart: 0, shiftEnd: 800 })),
    stops,
    travel: { kind: 'plane' },
  };
}

const options = { timeLimitMs: 600_000, maxIterations: 40, now: () => 0, vehicleReductionShare: 0.3, vehicleTarget: 0, maxVehicles: 10, granularity: 30 };

describe('Engine: crossover of two plans', () => {
  it.each([1, 2, 3])('inherits routes of the donor and keeps every stop exactly once (seed %i)', (seed) => {
    const { compiled } = compileProblem(plainProblem(36));
    const engine = new Engine(compiled, seed, 30);
    engine.run({ ...options, seed });
    const donorEngine = new Engine(compiled, seed + 100, 30);
    donorEngine.run({ ...options, seed: seed + 100 });
    const donor = donorEngine.seq.map((s) => s.slice());
    const usedBefore = engine.usedRoutes();
    // the method is private: the search calls it at restarts
    engine['crossover'](donor);
    const visits = engine.routesOut().flat().sort((a, b) => a - b);
    expect(visits).toEqual(Array.from(compiled.routable).sort((a, b) => a - b));
    expect(engine.usedRoutes()).toBeLessThanOrEqual(usedBefore);
    // at least one route is the donor's, or the donor's with stops inserted into it
    const donorRoutes = donor.map((s) => s.slice(1, -1)).filter((s) => s.length > 0);
    const inherited = engine.routesOut().some((r) => donorRoutes.some((d) => d.every((u) => r.includes(u)) && d.every((u, i) => i === 0 || r.indexOf(d[i - 1]) < r.indexOf(u))));
    expect(inherited).toBe(true);
  });
});
