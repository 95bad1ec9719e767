import fc from 'fast-check';
import { checkPlan } from './check-plan';
import { compileProblem, ProblemValidationError } from './compile';
import { TEMPERATURE_CLASSES, type Problem, type Stop, type TemperatureClass, type Vehicle } from './model';
import { enforceFleetLimit, fleetTooSmall, scheduleRoute, solve } from './solve';
import { scatteredProblem } from '../testing/problems';

/** Clock for tests: advances a fixed step on every read, so time limits need no real waiting. */
function steppingClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

const point = fc.record({ x: fc.integer({ min: 0, max: 100 }), y: fc.integer({ min: 0, max: 100 }) });

// ---------------------------------------------------------------- exact optimum by enumeration

interface TinyInstance {
  depot: { x: number; y: number };
  stops: { x: number; y: number; demand: number; start: number; width: number; service: number }[];
  capacity: number;
  vehicles: number;
}

const tinyInstance: fc.Arbitrary<TinyInstance> = fc.record({
  depot: point,
  stops: fc.array(
    fc.record({
      x: fc.integer({ min: 0, max: 100 }),
      y: fc.integer({ min: 0, max: 100 }),
      demand: fc.integer({ min: 1, max: 10 }),
      start: fc.integer({ min: 0, max: 300 }),
      width: fc.integer({ min: 10, max: 400 }),
      service: fc.integer({ min: 0, max: 10 }),
    }),
    { minLength: 2, maxLength: 7 },
  ),
  capacity: fc.integer({ min: 10, max: 30 }),
  vehicles: fc.integer({ min: 2, max: 4 }),
});

const SHIFT_END = 1000;

function tinyProblem(inst: TinyInstance): Problem {
  return {
    depots: [{ id: 'D', location: inst.depot }],
    vehicles: Array.from({ length: inst.vehicles }, (_, k) => ({
      id: `v${k}`,
      depotId: 'D',
      compartments: [{ temperature: 'ambient' as const, capacity: inst.capacity }],
      shiftStart: 0,
      shiftEnd: SHIFT_END,
    })),
    stops: inst.stops.map((s, i) => ({
      id: `s${i}`,
      location: { x: s.x, y: s.y },
      demand: { ambient: s.demand },
      serviceTime: s.service,
      timeWindow: { start: s.start, end: s.start + s.width },
    })),
    travel: { kind: 'plane' },
    weights: { vehicle: 10_000, distance: 1 },
  };
}

/** Distance of a route if feasible (capacity, windows, shift), else null. */
function routeDistance(inst: TinyInstance, order: number[]): number | null {
  const d = (a: { x: number; y: number }, b: { x: number; y: number }): number => Math.hypot(a.x - b.x, a.y - b.y);
  let t = 0;
  let load = 0;
  let dist = 0;
  let prev = inst.depot;
  for (const i of order) {
    const s = inst.stops[i];
    load += s.demand;
    dist += d(prev, s);
    t = Math.max(t + d(prev, s), s.start);
    if (t > s.start + s.width + 1e-9) return null;
    t += s.service;
    prev = s;
  }
  dist += d(prev, inst.depot);
  t += d(prev, inst.depot);
  if (t > SHIFT_END + 1e-9 || load > inst.capacity) return null;
  return dist;
}

/**
 * Minimum of 10 000 × vehicles + distance over all plans serving every stop: every visiting order
 * of every subset is enumerated, then subsets are combined into at most `vehicles` routes.
 */
function bruteForceOptimum(inst: TinyInstance): number | null {
  const n = inst.stops.length;
  const full = (1 << n) - 1;
  const routeCost = new Array<number>(full + 1).fill(Infinity);
  const permute = (order: number[], mask: number): void => {
    if (order.length) {
      const dist = routeDistance(inst, order);
      if (dist !== null && dist < routeCost[mask]) routeCost[mask] = dist;
    }
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) continue;
      order.push(i);
      permute(order, mask | (1 << i));
      order.pop();
    }
  };
  permute([], 0);
  // best[k][mask]: cheapest way to serve `mask` with exactly k routes
  let best = new Array<number>(full + 1).fill(Infinity);
  best[0] = 0;
  let answer = Infinity;
  for (let k = 1; k <= inst.vehicles; k++) {
    const next = new Array<number>(full + 1).fill(Infinity);
    for (let mask = 1; mask <= full; mask++) {
      const low = mask & -mask;
      // the route holding the lowest stop of mask, combined with k-1 routes for the rest
      for (let sub = mask; sub > 0; sub = (sub - 1) & mask) {
        if (!(sub & low) || routeCost[sub] === Infinity) continue;
        const c = best[mask ^ sub] + routeCost[sub] + 10_000;
        if (c < next[mask]) next[mask] = c;
      }
    }
    best = next;
    answer = Math.min(answer, best[full]);
  }
  return Number.isFinite(answer) ? answer : null;
}

describe('solve: exact optimum on tiny instances', () => {
  it('matches the optimum found by enumeration (≤ 7 stops)', () => {
    fc.assert(
      fc.property(tinyInstance, (inst) => {
        const optimum = bruteForceOptimum(inst);
        fc.pre(optimum !== null);
        const problem = tinyProblem(inst);
        const plan = solve(problem, { maxIterations: 400, timeLimitMs: 60_000, seed: 7 });
        expect(checkPlan(problem, plan)).toEqual([]);
        expect(plan.unserved).toEqual([]);
        expect(plan.cost).toBeCloseTo(optimum as number, 6);
      }),
      { numRuns: 20, seed: 42 },
    );
  });
});

// ---------------------------------------------------------------- properties on random instances

const temperature = fc.constantFrom<TemperatureClass>(...TEMPERATURE_CLASSES);

const randomProblem: fc.Arbitrary<Problem> = fc
  .record({
    depots: fc.array(point, { minLength: 1, maxLength: 2 }),
    vehicles: fc.array(
      fc.record({
        depot: fc.nat(),
        compartments: fc.array(fc.record({ temperature, capacity: fc.integer({ min: 0, max: 40 }) }), { minLength: 1, maxLength: 3 }),
        shiftStart: fc.integer({ min: 0, max: 100 }),
        shiftLength: fc.integer({ min: 100, max: 600 }),
        maxRouteDuration: fc.option(fc.integer({ min: 80, max: 400 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    stops: fc.array(
      fc.record({
        location: point,
        demand: fc.dictionary(temperature, fc.integer({ min: 0, max: 15 }), { maxKeys: 2 }),
        service: fc.integer({ min: 0, max: 15 }),
        start: fc.integer({ min: 0, max: 500 }),
        width: fc.integer({ min: 0, max: 300 }),
        ride: fc.option(fc.integer({ min: 20, max: 200 }), { nil: undefined }),
        lock: fc.option(fc.nat(), { freq: 6, nil: undefined }),
      }),
      { minLength: 1, maxLength: 14 },
    ),
    prefixLength: fc.integer({ min: 0, max: 2 }),
  })
  .map(({ depots, vehicles, stops, prefixLength }) => {
    const vs: Vehicle[] = vehicles.map((v, k) => ({
      id: `v${k}`,
      depotId: `d${v.depot % depots.length}`,
      compartments: v.compartments,
      shiftStart: v.shiftStart,
      shiftEnd: v.shiftStart + v.shiftLength,
      maxRouteDuration: v.maxRouteDuration,
    }));
    const ss: Stop[] = stops.map((s, i) => ({
      id: `s${i}`,
      location: s.location,
      demand: s.demand,
      serviceTime: s.service,
      timeWindow: { start: s.start, end: s.start + s.width },
      maxRideTime: s.ride,
      lockedVehicleId: s.lock === undefined ? undefined : `v${s.lock % vs.length}`,
    }));
    // a dispatcher-fixed prefix on the first vehicle (stops not locked elsewhere)
    const prefix = ss.filter((s) => s.lockedVehicleId === undefined).slice(0, prefixLength).map((s) => s.id);
    if (prefix.length) vs[0].fixedPrefix = prefix;
    return {
      depots: depots.map((p, i) => ({ id: `d${i}`, location: p })),
      vehicles: vs,
      stops: ss,
      travel: { kind: 'plane' as const },
    };
  });

describe('solve: properties on random instances', () => {
  it('respects compartments, temperatures, windows, ride limits, shifts and locks; every stop is served once or reported', () => {
    fc.assert(
      fc.property(randomProblem, fc.integer({ min: 1, max: 1000 }), (problem, seed) => {
        const plan = solve(problem, { maxIterations: 60, timeLimitMs: 60_000, seed });
        const prefixed = new Set(problem.vehicles.flatMap((v) => v.fixedPrefix ?? []));
        // fixed-prefix stops are the dispatcher's decision and stay even if they break a window
        const violations = checkPlan(problem, plan).filter((v) => ![...prefixed].some((id) => v.includes(`stop ${id}:`)) && !v.includes('v0:'));
        expect(violations).toEqual([]);
        for (const u of plan.unserved) expect(u.message.length).toBeGreaterThan(0);
        // a stop no vehicle could carry is never routed (dispatcher prefixes excepted)
        for (const r of plan.routes) {
          for (const visit of r.visits) {
            if (prefixed.has(visit.stopId)) continue;
            const stop = problem.stops.find((s) => s.id === visit.stopId) as Stop;
            const vehicle = problem.vehicles.find((v) => v.id === r.vehicleId) as Vehicle;
            for (const [cls, q] of Object.entries(stop.demand)) {
              if ((q ?? 0) > 0) expect(vehicle.compartments.some((c) => c.temperature === cls && c.capacity > 0)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 60, seed: 1234 },
    );
  });

  it('reports why a stop cannot be served', () => {
    const problem: Problem = {
      depots: [{ id: 'kitchen', location: { lat: 22.2, lon: 112.3 } }],
      vehicles: [
        {
          id: 'van',
          depotId: 'kitchen',
          compartments: [
            { temperature: 'chilled', capacity: 50 },
            { temperature: 'hot', capacity: 20 },
          ],
          shiftStart: 360,
          shiftEnd: 840,
        },
      ],
      stops: [
        { id: 'school', location: { lat: 22.25, lon: 112.35 }, demand: { hot: 10 }, serviceTime: 5, timeWindow: { start: 660, end: 720 }, maxRideTime: 45 },
        { id: 'frozen-shop', location: { lat: 22.21, lon: 112.31 }, demand: { frozen: 5 } },
        { id: 'too-big', location: { lat: 22.21, lon: 112.31 }, demand: { chilled: 80 } },
        { id: 'too-late', location: { lat: 22.21, lon: 112.31 }, demand: { chilled: 1 }, timeWindow: { start: 900, end: 950 } },
        { id: 'too-far-for-hot-food', location: { lat: 23.2, lon: 113.3 }, demand: { hot: 1 }, maxRideTime: 30 },
      ],
      travel: { kind: 'geo', speedKmh: 40, roadFactor: 1.3 },
    };
    const plan = solve(problem, { maxIterations: 20, seed: 1 });
    expect(checkPlan(problem, plan)).toEqual([]);
    const reasons = Object.fromEntries(plan.unserved.map((u) => [u.stopId, u.reason]));
    expect(reasons).toEqual({
      'frozen-shop': 'no-compatible-vehicle',
      'too-big': 'exceeds-capacity',
      'too-late': 'time-window-unreachable',
      'too-far-for-hot-food': 'ride-time-unreachable',
    });
    expect(plan.routes.map((r) => r.visits.map((v) => v.stopId))).toEqual([['school']]);
  });

  it('keeps fixed prefixes first and locked stops on their vehicle', () => {
    const stops: Stop[] = Array.from({ length: 12 }, (_, i) => ({
      id: `s${i}`,
      location: { x: (i * 37) % 50, y: (i * 53) % 50 },
      demand: { chilled: 2 },
      serviceTime: 3,
    }));
    stops[5].lockedVehicleId = 'b';
    const problem: Problem = {
      depots: [{ id: 'D', location: { x: 25, y: 25 } }],
      vehicles: [
        { id: 'a', depotId: 'D', compartments: [{ temperature: 'chilled', capacity: 100 }], shiftStart: 0, shiftEnd: 1000, fixedPrefix: ['s9', 's2'] },
        { id: 'b', depotId: 'D', compartments: [{ temperature: 'chilled', capacity: 100 }], shiftStart: 0, shiftEnd: 1000 },
      ],
      stops,
      travel: { kind: 'plane' },
    };
    const plan = solve(problem, { maxIterations: 100, seed: 3 });
    expect(checkPlan(problem, plan)).toEqual([]);
    const a = plan.routes.find((r) => r.vehicleId === 'a');
    expect(a?.visits.slice(0, 2).map((v) => v.stopId)).toEqual(['s9', 's2']);
    expect(plan.routes.find((r) => r.visits.some((v) => v.stopId === 's5'))?.vehicleId).toBe('b');
  });

  it('uses a travel matrix when given', () => {
    const distances = [
      [0, 5, 9, 4],
      [5, 0, 3, 8],
      [9, 3, 0, 6],
      [4, 8, 6, 0],
    ];
    const problem: Problem = {
      depots: [{ id: 'D', matrixIndex: 0 }],
      vehicles: [{ id: 'v', depotId: 'D', compartments: [{ temperature: 'ambient', capacity: 10 }], shiftStart: 0, shiftEnd: 100 }],
      stops: [1, 2, 3].map((i) => ({ id: `s${i}`, matrixIndex: i, demand: { ambient: 1 } })),
      travel: { kind: 'matrix', distances },
    };
    const plan = solve(problem, { maxIterations: 50, seed: 1 });
    expect(checkPlan(problem, plan)).toEqual([]);
    // best tour D-1-2-3-D (or reverse) = 5 + 3 + 6 + 4
    expect(plan.distance).toBe(18);
  });
});

// ---------------------------------------------------------------- hard fleet limit

describe('solve: maxVehicles is a hard fleet limit', () => {
  it('never uses more vehicles than allowed; every stop is routed once or reported', () => {
    fc.assert(
      fc.property(randomProblem, fc.nat(), fc.integer({ min: 1, max: 1000 }), (problem, k, seed) => {
        const maxVehicles = k % (problem.vehicles.length + 1);
        const plan = solve(problem, { maxIterations: 60, timeLimitMs: 60_000, seed, maxVehicles });
        expect(plan.routes.length).toBeLessThanOrEqual(maxVehicles);
        expect(plan.vehicles).toBe(plan.routes.length);
        const prefixed = new Set(problem.vehicles.flatMap((v) => v.fixedPrefix ?? []));
        const violations = checkPlan(problem, plan).filter((v) => ![...prefixed].some((id) => v.includes(`stop ${id}:`)) && !v.includes('v0:'));
        expect(violations).toEqual([]);
        const seen = [...plan.routes.flatMap((r) => r.visits.map((v) => v.stopId)), ...plan.unserved.map((u) => u.stopId)].sort();
        expect(seen).toEqual(problem.stops.map((s) => s.id).sort());
      }),
      { numRuns: 60, seed: 4321 },
    );
  });

  it('returns the stops that do not fit in the fleet as unserved, with the reason', () => {
    const problem = mediumProblem(40); // about 200 units of demand, vehicles carry 80
    const plan = solve(problem, { seed: 1, maxIterations: 200, timeLimitMs: 600_000, maxVehicles: 2 });
    expect(plan.vehicles).toBeLessThanOrEqual(2);
    expect(checkPlan(problem, plan)).toEqual([]);
    expect(plan.unserved.length).toBeGreaterThan(0);
    for (const u of plan.unserved) {
      expect(u.reason).toBe('no-room-in-fleet');
      expect(u.message).toContain(u.stopId);
    }
    expect(plan.routes.flatMap((r) => r.visits).length + plan.unserved.length).toBe(40);
  });

  it('leaves out little more than the capacity of the fleet forces, and shortens the routes it keeps', () => {
    // 40 stops, demand 190 in all, two vehicles of 80: at least 30 units stay behind, at least four
    // stops (demand ≤ 9 each). Closing a route of the three-vehicle plan instead left 7 out (seed 1).
    // The routes are route elimination's best partial plan, then shortened with the stops left out set
    // aside: before, they were returned as its random feasible insertions left them, and moving one
    // stop saved 3.9–4.3 distance units (seeds 1–3).
    const problem = mediumProblem(40);
    const { compiled, nodeIds } = compileProblem(problem);
    const demands = problem.stops.map((s) => s.demand.ambient ?? 0).sort((a, b) => b - a);
    let excess = demands.reduce((a, b) => a + b, 0) - 2 * 80;
    let fewest = 0;
    while (excess > 0) excess -= demands[fewest++];
    for (const seed of [1, 2, 3]) {
      const plan = solve(problem, { seed, maxIterations: 150, timeLimitMs: 600_000, maxVehicles: 2 });
      expect(checkPlan(problem, plan)).toEqual([]);
      expect(plan.unserved.length).toBeGreaterThanOrEqual(fewest);
      expect(plan.unserved.length).toBeLessThanOrEqual(fewest + 1);
      expect(bestRelocation(compiled, routesOf(problem, nodeIds, plan))).toBeLessThan(1e-6);
    }
  });

  it('a whole fleet too small for the load (no limit given): every stop routed once or reported, and the routes shortened', () => {
    // the same 40 stops on a fleet of just two vehicles of 80: no plan ever serves every stop, so
    // route elimination never starts; the plan comes from the penalised search, made feasible
    const problem = scatteredProblem(40, { vehicles: 2, capacity: 80 });
    const { compiled, nodeIds } = compileProblem(problem);
    expect(fleetTooSmall(compiled, 2)).toBe(true);
    for (const seed of [1, 2, 3, 4, 5]) {
      const plan = solve(problem, { seed, maxIterations: 300, timeLimitMs: 600_000 });
      expect(checkPlan(problem, plan)).toEqual([]);
      expect(plan.unserved.length).toBeGreaterThanOrEqual(4); // 190 units, 160 of room, demands ≤ 9
      expect(bestRelocation(compiled, routesOf(problem, nodeIds, plan))).toBeLessThan(1e-6);
    }
  });

  it('a fleet that time windows leave short: no stop left out fits anywhere, and no served stop can move to a shorter feasible place', () => {
    // 80 stops, vehicles of 1000 (capacity never binds), three vehicles: 9–11 stops stay out. Before,
    // the plan was returned as fitting it to the fleet left it (seed 1: a relocation saved 4.8) and
    // 1–2 of the stops left out fitted into its routes.
    const problem = scatteredProblem(80, { vehicles: 12, capacity: 1000 });
    const { compiled, nodeIds } = compileProblem(problem);
    for (const seed of [1, 2, 3]) {
      const plan = solve(problem, { seed, maxIterations: 150, timeLimitMs: 600_000, maxVehicles: 3 });
      expect(checkPlan(problem, plan)).toEqual([]);
      expect(plan.unserved.length).toBeGreaterThan(0);
      const routes = routesOf(problem, nodeIds, plan);
      for (const u of plan.unserved) expect(fitsSomewhere(compiled, routes, nodeIds.indexOf(u.stopId))).toBe(false);
      expect(bestRelocation(compiled, routes)).toBeLessThan(1e-6);
    }
  });

  it('reduces the fleet to the limit even when vehicles cost nothing', () => {
    const problem = { ...mediumProblem(30), weights: { vehicle: 0, distance: 1 } };
    const free = solve(problem, { seed: 2, maxIterations: 300, timeLimitMs: 600_000 });
    const limit = Math.max(1, free.vehicles - 1);
    const plan = solve(problem, { seed: 2, maxIterations: 300, timeLimitMs: 600_000, maxVehicles: limit });
    expect(plan.vehicles).toBeLessThanOrEqual(limit);
    expect(checkPlan(problem, plan)).toEqual([]);
    expect(plan.routes.flatMap((r) => r.visits).length + plan.unserved.length).toBe(30);
  });

  it('rejects a limit that is not a non-negative integer', () => {
    expect(() => solve(mediumProblem(3), { maxVehicles: -1 })).toThrow(ProblemValidationError);
    expect(() => solve(mediumProblem(3), { maxVehicles: 1.5 })).toThrow(ProblemValidationError);
  });
});

describe('enforceFleetLimit: closing routes after the search', () => {
  // Three routes, limit two. Route A holds one heavy stop (85) that fits nowhere else; route B's two
  // light stops (10 each) fit into A and C (30 × 3). Weighing the routes closes B and drops nothing;
  // once the time is up only the smallest route (A) is tried, and its stop is left out.
  const demands: Record<string, number> = { x: 85, y1: 10, y2: 10, z1: 30, z2: 30, z3: 30 };
  const problem: Problem = {
    depots: [{ id: 'D', location: { x: 0, y: 0 } }],
    vehicles: ['A', 'B', 'C'].map((id) => ({ id, depotId: 'D', compartments: [{ temperature: 'ambient' as const, capacity: 100 }], shiftStart: 0, shiftEnd: 10_000 })),
    stops: Object.entries(demands).map(([id, q], i) => ({ id, location: { x: 10 + i, y: 5 }, demand: { ambient: q }, serviceTime: 1, timeWindow: { start: 0, end: 9000 } })),
    travel: { kind: 'plane' },
  };
  const { compiled, nodeIds } = compileProblem(problem);
  const node = (id: string): number => nodeIds.indexOf(id);
  const start = (): number[][] => [['x'], ['y1', 'y2'], ['z1', 'z2', 'z3']].map((r) => r.map(node));

  it('closes the route whose stops fit best elsewhere while there is time', () => {
    const routes = start();
    expect(enforceFleetLimit(compiled, routes, 2, () => false)).toEqual([]);
    expect(routes[1]).toEqual([]);
    expect(routes.flat().sort()).toEqual(['x', 'y1', 'y2', 'z1', 'z2', 'z3'].map(node).sort());
    for (let r = 0; r < 3; r++) expect(scheduleRoute(compiled, r, routes[r]).violation).toBe(0);
  });

  it('once the time limit has passed, weighs only the smallest route, so it cannot overrun the budget', () => {
    const routes = start();
    let asked = 0;
    const unplaced = enforceFleetLimit(compiled, routes, 2, () => (asked++, true));
    expect(asked).toBeGreaterThan(0);
    expect(unplaced).toEqual([node('x')]);
    expect(routes[0]).toEqual([]);
    expect(routes.filter((r) => r.length).length).toBe(2);
    for (let r = 0; r < 3; r++) expect(scheduleRoute(compiled, r, routes[r]).violation).toBe(0);
  });
});

describe('fleetTooSmall', () => {
  const withFleet = (compartments: Vehicle['compartments'][], stops: Stop['demand'][]): Problem => ({
    depots: [{ id: 'D', location: { x: 0, y: 0 } }],
    vehicles: compartments.map((c, i) => ({ id: `V${i}`, depotId: 'D', compartments: c, shiftStart: 0, shiftEnd: 1000 })),
    stops: stops.map((demand, i) => ({ id: `S${i}`, location: { x: i + 1, y: 0 }, demand })),
    travel: { kind: 'plane' },
  });

  it('says so when the largest vehicles together carry less than the stops need', () => {
    const { compiled } = compileProblem(withFleet([[{ temperature: 'ambient', capacity: 50 }], [{ temperature: 'ambient', capacity: 80 }], [{ temperature: 'ambient', capacity: 60 }]], [{ ambient: 70 }, { ambient: 71 }]));
    expect(fleetTooSmall(compiled, 2)).toBe(true); // 80 + 60 < 70 + 71
    expect(fleetTooSmall(compiled, 3)).toBe(false);
  });

  it('weighs each temperature class on its own', () => {
    const chilledAndFrozen: Vehicle['compartments'] = [{ temperature: 'chilled', capacity: 40 }, { temperature: 'frozen', capacity: 10 }];
    const { compiled } = compileProblem(withFleet([chilledAndFrozen, chilledAndFrozen], [{ chilled: 30, frozen: 8 }, { chilled: 30, frozen: 8 }, { frozen: 8 }]));
    // chilled 60 ≤ 80, frozen 24 > 20
    expect(fleetTooSmall(compiled, 2)).toBe(true);
    expect(fleetTooSmall(compiled, 1)).toBe(true);
  });

  it('says so when the stops need more working time than the longest shifts hold', () => {
    // six stops one apart, 30 min of service each: at least 6 × (30 + 1) = 186 min of work
    const lunchRound = (window: { start: number; end: number } | undefined, shiftEnd: number, maxRouteDuration?: number): Problem => ({
      depots: [{ id: 'D', location: { x: 0, y: 0 } }],
      vehicles: Array.from({ length: 4 }, (_, i) => ({ id: `V${i}`, depotId: 'D', compartments: [{ temperature: 'hot' as const, capacity: 100 }], shiftStart: 0, shiftEnd, maxRouteDuration })),
      stops: Array.from({ length: 6 }, (_, i) => ({ id: `S${i}`, location: { x: 10 + i, y: 0 }, demand: { hot: 1 }, serviceTime: 30, timeWindow: window })),
      travel: { kind: 'plane' },
    });
    const short = (problem: Problem, vehicles: number): boolean => fleetTooSmall(compileProblem(problem).compiled, vehicles);
    // the shift: 100 min per vehicle
    expect(short(lunchRound(undefined, 100), 1)).toBe(true);
    expect(short(lunchRound(undefined, 100), 2)).toBe(false);
    // the windows: every service starts by 100, so a vehicle works at most 130 min of a long shift
    expect(short(lunchRound({ start: 0, end: 100 }, 1000), 1)).toBe(true);
    expect(short(lunchRound({ start: 0, end: 100 }, 1000), 2)).toBe(false);
    // the maximum route duration: 90 min
    expect(short(lunchRound({ start: 0, end: 100 }, 1000, 90), 2)).toBe(true);
    expect(short(lunchRound({ start: 0, end: 100 }, 1000, 90), 3)).toBe(false);
  });

  it('never calls a fleet too small that served every stop', () => {
    fc.assert(
      fc.property(randomProblem, fc.integer({ min: 1, max: 1000 }), (problem, seed) => {
        const plan = solve(problem, { maxIterations: 60, timeLimitMs: 60_000, seed });
        fc.pre(checkPlan(problem, plan).length === 0 && !plan.unserved.some((u) => u.reason === 'no-room-in-fleet'));
        expect(fleetTooSmall(compileProblem(problem).compiled, plan.vehicles)).toBe(false);
      }),
      { numRuns: 60, seed: 2468 },
    );
  });
});

/** A plan's routes as node indices per vehicle (empty for the vehicles it does not use). */
function routesOf(problem: Problem, nodeIds: string[], plan: ReturnType<typeof solve>): number[][] {
  const routes = problem.vehicles.map(() => [] as number[]);
  for (const route of plan.routes) {
    routes[problem.vehicles.findIndex((v) => v.id === route.vehicleId)] = route.visits.map((v) => nodeIds.indexOf(v.stopId));
  }
  return routes;
}

/** Whether stop u can be inserted somewhere in the routes in use without breaking any constraint. */
function fitsSomewhere(p: ReturnType<typeof compileProblem>['compiled'], routes: number[][], u: number): boolean {
  const positions = (stops: number[]): number[] => Array.from({ length: stops.length + 1 }, (_, j) => j);
  return routes.some((stops, q) => stops.length > 0 && positions(stops).some((j) => scheduleRoute(p, q, [...stops.slice(0, j), u, ...stops.slice(j)]).violation <= 1e-6));
}

/** The largest distance saving of moving one served stop to another feasible position (0 if none). */
function bestRelocation(p: ReturnType<typeof compileProblem>['compiled'], routes: number[][]): number {
  const length = (r: number, stops: number[]): number => (stops.length ? scheduleRoute(p, r, stops).distance : 0);
  let best = 0;
  routes.forEach((from, r) => {
    from.forEach((u, i) => {
      const rest = from.slice(0, i).concat(from.slice(i + 1));
      const saved = length(r, from) - length(r, rest);
      routes.forEach((into, q) => {
        if (!into.length) return;
        const base = q === r ? rest : into;
        for (let j = 0; j <= base.length; j++) {
          const trial = base.slice(0, j).concat(u, base.slice(j));
          const gain = saved - (length(q, trial) - length(q, base));
          if (gain > best + 1e-9 && scheduleRoute(p, q, trial).violation <= 1e-6) best = gain;
        }
      });
    });
  });
  return best;
}

// ---------------------------------------------------------------- anytime behaviour

/** 12 vehicles of capacity 80. */
const mediumProblem = (n: number): Problem => scatteredProblem(n, { vehicles: 12, capacity: 80 });

describe('solve: anytime behaviour', () => {
  it('is deterministic for a seed with an iteration budget', () => {
    const problem = mediumProblem(40);
    const a = solve(problem, { seed: 11, maxIterations: 60, timeLimitMs: 600_000 });
    const b = solve(problem, { seed: 11, maxIterations: 60, timeLimitMs: 600_000 });
    expect(a.stoppedBy).toBe('iterations');
    expect(b.routes).toEqual(a.routes);
    expect(checkPlan(problem, a)).toEqual([]);
  });

  it('keeps no state between runs: a run gives the same plan before and after other runs in the process', () => {
    const problem = mediumProblem(40);
    const options = { seed: 5, maxIterations: 80, timeLimitMs: 600_000 };
    const first = solve(problem, options);
    solve(mediumProblem(25), { seed: 9, maxIterations: 80, timeLimitMs: 600_000 });
    solve({ ...problem, weights: { vehicle: 0 } }, { seed: 5, maxIterations: 40, timeLimitMs: 600_000, maxVehicles: 3 });
    expect(solve(problem, options).routes).toEqual(first.routes);
  });

  it('honours the time limit and reports progress', () => {
    const problem = mediumProblem(40);
    const progress: number[] = [];
    const plan = solve(problem, { seed: 1, timeLimitMs: 200, now: steppingClock(1), onProgress: (p) => progress.push(p.bestCost) });
    expect(plan.stoppedBy).toBe('time-limit');
    expect(plan.unserved).toEqual([]);
    expect(checkPlan(problem, plan)).toEqual([]);
    expect(progress.length).toBeGreaterThan(0);
    // best cost never gets worse
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeLessThanOrEqual(progress[i - 1]);
  });

  it('can be cancelled and still returns a valid plan', () => {
    const problem = mediumProblem(40);
    const controller = new AbortController();
    controller.abort();
    const plan = solve(problem, { seed: 1, timeLimitMs: 600_000, signal: controller.signal });
    expect(plan.stoppedBy).toBe('cancelled');
    expect(checkPlan(problem, plan)).toEqual([]);
  });

  it('rejects malformed problems with a validation error', () => {
    const problem = mediumProblem(3);
    problem.stops[1].id = problem.stops[0].id;
    problem.vehicles[0].depotId = 'nowhere';
    expect(() => solve(problem)).toThrow(ProblemValidationError);
    try {
      solve(problem);
    } catch (e) {
      expect((e as ProblemValidationError).issues).toEqual(expect.arrayContaining([`duplicate id ${problem.stops[0].id}`, 'vehicle v0: unknown depot nowhere']));
    }
  });
});
