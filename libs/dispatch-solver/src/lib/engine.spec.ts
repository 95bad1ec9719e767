import { compileProblem } from './compile';
import { adaptPenaltyWeight, annealingScale, defaultGranularity, Engine, penaltyWeightCap } from './engine';
import type { PlanePoint, Problem } from './model';
import { scatteredProblem } from '../testing/problems';

/** 10 vehicles of capacity 60. */
const plainProblem = (n: number): Problem => scatteredProblem(n, { vehicles: 10, capacity: 60 });

/** 40 stops with tight windows and capacity: many insertions need ejections, many moves time warp. */
function tightProblem(): Problem {
  const problem = plainProblem(40);
  problem.vehicles.forEach((v) => (v.compartments[0].capacity = 45));
  problem.stops.forEach((s, i) => (s.timeWindow = { start: (i * 31) % 400, end: ((i * 31) % 400) + 90 }));
  return problem;
}

const options = { timeLimitMs: 600_000, maxIterations: 40, now: () => 0, vehicleReductionShare: 0.3, vehicleTarget: 0, maxVehicles: 10 };

/**
 * 40 tight stops on a mixed fleet: vehicles of three sizes, half with a chilled compartment beside the
 * ambient one, shifts that start at 0, 60 and 150; a quarter of the stops need chilled space.
 */
function mixedFleetProblem(): Problem {
  const problem = tightProblem();
  problem.vehicles.forEach((v, k) => {
    v.compartments[0].capacity = [30, 45, 60][k % 3];
    if (k % 2 === 0) v.compartments.push({ temperature: 'chilled', capacity: 20 });
    v.shiftStart = [0, 60, 150][k % 3];
  });
  problem.stops.forEach((s, i) => {
    if (i % 4 === 0) s.demand = { chilled: 1 + (i % 5) };
  });
  return problem;
}

describe('Engine: lower bounds that skip moves', () => {
  it.each([1, 2, 3])('change nothing: the same seed gives the same plan without them (seed %i)', (seed) => {
    const { compiled } = compileProblem(tightProblem());
    const plans = [true, false].map((useBounds) => {
      const engine = new Engine(compiled, seed, 30);
      engine['useBounds'] = useBounds;
      const result = engine.run({ ...options, seed });
      return { routes: result.routes, distance: engine.distance() };
    });
    expect(plans[0].routes.flat().length).toBe(40);
    expect(plans[0]).toEqual(plans[1]);
  });
});

describe("Engine: the ejection pool's scan filters", () => {
  it.each([1, 2, 3])('never skip a feasible position, on a mixed fleet with late shift starts (seed %i)', (seed) => {
    const { compiled } = compileProblem(mixedFleetProblem());
    const engine = new Engine(compiled, seed, 30);
    engine.run({ ...options, seed });
    const seq: number[][] = engine.seq;
    const feasibleAt = (r: number, i: number, v: number): boolean => {
      engine['accPre'](r, i);
      engine['accNode'](v);
      engine['accSuf'](r, i + 1);
      engine['accClose'](r);
      return engine['lastInsertFeasible'](r);
    };
    const seen = { routesSkipped: 0, scansCut: 0, feasiblePositions: 0 };
    for (let r = 0; r < seq.length; r++) {
      const m = seq[r].length - 2;
      if (m === 0) continue;
      for (const v of compiled.routable) {
        if (engine['routeOf'][v] === r || !engine['canServe'](v, r)) continue;
        const feasible: number[] = [];
        for (let i = 0; i <= m; i++) if (feasibleAt(r, i, v)) feasible.push(i);
        // a route without room for the stop is skipped: no position in it may be feasible
        if (!engine['hasRoomFor'](r, v)) {
          seen.routesSkipped++;
          expect(feasible).toEqual([]);
          continue;
        }
        // the scan stops at the first position reached too late: no feasible position after it
        let cut = 0;
        while (cut <= m && !engine['arrivesLate'](r, cut, v)) cut++;
        if (cut <= m) seen.scansCut++;
        expect(feasible.filter((i) => i >= cut)).toEqual([]);
        seen.feasiblePositions += feasible.length;
      }
    }
    // the plan exercises both filters and still has feasible positions to find
    expect(seen.routesSkipped).toBeGreaterThan(0);
    expect(seen.scansCut).toBeGreaterThan(0);
    expect(seen.feasiblePositions).toBeGreaterThan(0);
  });
});

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

describe('Engine: fresh start at a restart', () => {
  it.each([1, 2])('recreates every stop exactly once on the vehicles in use (seed %i)', (seed) => {
    const { compiled } = compileProblem(plainProblem(36));
    const engine = new Engine(compiled, seed, 30);
    engine.run({ ...options, seed });
    const before = engine.routesOut();
    const inUse = new Set(before.flatMap((r, k) => (r.length > 0 ? [k] : [])));
    for (let r = 0; r < compiled.nVehicles; r++) engine.active[r] = inUse.has(r) ? 1 : 0;
    // the method is private: the search calls it at half of its restarts
    engine['freshStart']();
    const after = engine.routesOut();
    expect(after.flat().sort((a, b) => a - b)).toEqual(Array.from(compiled.routable).sort((a, b) => a - b));
    after.forEach((r, k) => r.length > 0 && expect(inUse.has(k)).toBe(true));
    expect(after).not.toEqual(before);
  });
});

describe('Engine: insertion with ejections (route elimination)', () => {
  // Brute force with the O(m) schedule: is there a position for v and `out` stops of route r to
  // eject (out = 1, 2 or 3) that leaves r feasible?
  function bruteForce(engine: Engine, r: number, v: number, out: number): boolean {
    const m = engine.seq[r].length - 2;
    const feasibleWith = (after: number, ...skipped: number[]): boolean => engine['feasibleWith'](r, after, v, skipped);
    for (let after = 0; after <= m; after++) {
      for (let j1 = 1; j1 <= m; j1++) {
        if (out === 1 && feasibleWith(after, j1)) return true;
        for (let j2 = j1 + 1; out > 1 && j2 <= m; j2++) {
          if (out === 2 && feasibleWith(after, j1, j2)) return true;
          for (let j3 = j2 + 1; out === 3 && j3 <= m; j3++) if (feasibleWith(after, j1, j2, j3)) return true;
        }
      }
    }
    return false;
  }

  it.each([1, 2])('finds a feasible ejection whenever one exists, and only feasible ones (seed %i)', (seed) => {
    const { compiled } = compileProblem(tightProblem());
    const engine = new Engine(compiled, seed, 30);
    engine.run({ ...options, seed });
    const ejections = new Int32Array(compiled.nNodes).fill(1);
    let checked = 0;
    let found = 0;
    for (const v of Array.from(compiled.routable).slice(0, 12)) {
      const home = engine['routeOf'][v];
      const at = engine['pos'][v];
      engine['detach'](v);
      engine['updateRoute'](home);
      for (let r = 0; r < compiled.nVehicles; r++) {
        if (r === home || engine.seq[r].length <= 2) continue;
        for (const out of [1, 2, 3]) {
          const best = engine['ej'];
          best.sum = Infinity;
          best.route = -1;
          engine['searchEjections'](r, v, out, ejections);
          const exists = bruteForce(engine, r, v, out);
          checked++;
          expect(best.route >= 0).toBe(exists);
          if (best.route >= 0) {
            found++;
            const positions = Array.from(best.out.subarray(0, best.count));
            expect(positions.length).toBe(out);
            // distinct stops of the route, in order
            positions.forEach((p, i) => expect(p).toBeGreaterThan(i === 0 ? 0 : positions[i - 1]));
            expect(positions[out - 1]).toBeLessThanOrEqual(engine.seq[r].length - 2);
            expect(engine['feasibleWith'](r, best.after, v, positions)).toBe(true);
          }
        }
      }
      engine.seq[home].splice(at, 0, v);
      engine['updateRoute'](home);
    }
    expect(checked).toBeGreaterThan(75);
    // the instance is tight enough that both answers occur
    expect(found).toBeGreaterThan(0);
    expect(found).toBeLessThan(checked);
  });

  it('ends a branch of the search where the stop no longer fits, instead of walking the rest of the route', () => {
    // one route of 24 stops with wide windows; v stands at the depot and must be served at once, so
    // it fits only as the first stop
    const problem = scatteredProblem(25, { vehicles: 1, capacity: 1000 });
    problem.stops.forEach((s) => {
      s.serviceTime = 5;
      s.timeWindow = { start: 0, end: 800 };
    });
    problem.stops[0].location = { x: 48, y: 44 };
    problem.stops[0].timeWindow = { start: 0, end: 1 };
    const { compiled } = compileProblem(problem);
    const engine = new Engine(compiled, 1, 30);
    engine['construct']();
    const depot = engine.seq[0][0];
    // stop i is node nDepots + i
    const v = compiled.nDepots;
    // the others around the depot by angle: a feasible tour of ~400 minutes
    const angle = (u: number): number => {
      const { x, y } = problem.stops[u - compiled.nDepots].location as PlanePoint;
      return Math.atan2(y - 44, x - 48);
    };
    const tour = Array.from(compiled.routable).filter((u) => u !== v).sort((a, b) => angle(a) - angle(b));
    expect(tour.length).toBe(24);
    engine.seq.forEach((s, r) => (engine.seq[r] = [s[0], s[s.length - 1]]));
    engine.seq[0] = [depot, ...tour, engine.seq[0][engine.seq[0].length - 1]];
    engine['routeOf'].fill(-1);
    engine.seq.forEach((_, r) => engine['updateRoute'](r));
    // the route without v is feasible
    expect(engine['rTw'][0] + engine['rOver'][0]).toBeLessThan(1e-7);
    const m = tour.length;
    let calls = 0;
    const appendFeasible = engine['appendFeasible'].bind(engine);
    engine['appendFeasible'] = (...args: Parameters<typeof appendFeasible>) => {
      calls++;
      return appendFeasible(...args);
    };
    const best = engine['ej'];
    best.sum = Infinity;
    best.route = -1;
    engine['searchEjections'](0, v, 1, new Int32Array(compiled.nNodes).fill(1));
    // v first, one stop ejected (the search asks for exactly one)
    expect(best.route).toBe(0);
    expect(best.after).toBe(0);
    expect(best.count).toBe(1);
    expect(engine['feasibleWith'](0, best.after, v, best.out.subarray(0, 1))).toBe(true);
    // v placed first, then the route walked once (27 checks here); the walks on which v is still
    // unplaced end at their first stop; without that they went on to the end of the route (73 checks
    // here; with two ejections 948 against 329)
    expect(calls).toBeLessThan(2 * m);
  });
});

describe('Engine: the ejection pool', () => {
  /**
   * One vehicle of capacity `capacity`, its route the ten stops of demand 1 (wide windows) around the
   * depot by angle; v (demand `need`) is in the pool.
   */
  function poolOfOne(need: number, capacity: number, seed: number) {
    const problem = scatteredProblem(11, { vehicles: 1, capacity });
    problem.stops.forEach((s) => {
      s.demand = { ambient: 1 };
      s.timeWindow = { start: 0, end: 800 };
    });
    problem.stops[0].demand = { ambient: need };
    const { compiled } = compileProblem(problem);
    const engine = new Engine(compiled, seed, 30);
    engine['construct']();
    const v = compiled.nDepots; // stop 0
    const angle = (u: number): number => {
      const { x, y } = problem.stops[u - compiled.nDepots].location as PlanePoint;
      return Math.atan2(y - 44, x - 48);
    };
    const tour = Array.from(compiled.routable).filter((u) => u !== v).sort((a, b) => angle(a) - angle(b));
    const [start, end] = [engine.seq[0][0], engine.seq[0][engine.seq[0].length - 1]];
    engine.seq[0] = [start, ...tour, end];
    engine['routeOf'].fill(-1);
    engine['pos'].fill(-1);
    engine['updateRoute'](0);
    engine['setPenalties'](1e6, 1e6, 1);
    expect(engine['rTw'][0] + engine['rOver'][0]).toBeLessThan(1e-7);
    const left: number[] = engine['ejectionPool']([v], 1, { count: 0 }, () => false);
    const route = engine.seq[0].slice(1, -1);
    // no stop lost or doubled
    expect([...route, ...left].sort((a, b) => a - b)).toEqual(Array.from(compiled.routable).sort((a, b) => a - b));
    return { v, route, left, overload: engine['rOver'][0], timeWarp: engine['rTw'][0] };
  }

  it('inserts a stop at a feasible position chosen at random, not always the cheapest', () => {
    const positions = new Set<number>();
    for (let seed = 1; seed <= 12; seed++) {
      const { v, route, left, overload, timeWarp } = poolOfOne(1, 11, seed);
      expect(left).toEqual([]);
      expect(overload + timeWarp).toBeLessThan(1e-7);
      positions.add(route.indexOf(v));
    }
    expect(positions.size).toBeGreaterThanOrEqual(3);
  });

  it('ejects two stops where two make room', () => {
    const { v, route, left, overload } = poolOfOne(2, 10, 1);
    expect(route).toContain(v);
    expect(left.length).toBe(2);
    expect(overload).toBeLessThan(1e-7);
  });

  it('where only three ejections make room, ejects two of them and leaves the violation to the search', () => {
    const { v, route, left, overload } = poolOfOne(3, 10, 1);
    expect(route).toContain(v);
    expect(left.length).toBe(2);
    expect(overload).toBeCloseTo(1, 9); // 9 stops of 1 and v's 3 in a vehicle of 10
  });
});

describe('Engine: which route an elimination attempt removes', () => {
  /** Routes of 2, 6 and 10 stops on vehicles 0–2 (vehicle 3 empty): the smallest is picked first. */
  function threeRoutes() {
    const { compiled } = compileProblem(scatteredProblem(18, { vehicles: 4, capacity: 60 }));
    const engine = new Engine(compiled, 1, 30);
    engine['construct']();
    const stops = Array.from(compiled.routable);
    const parts = [stops.slice(0, 2), stops.slice(2, 8), stops.slice(8, 18), []];
    parts.forEach((part, r) => {
      engine.seq[r] = [engine.seq[r][0], ...part, engine.seq[r][engine.seq[r].length - 1]];
      engine['active'][r] = 1;
    });
    for (let r = 0; r < 4; r++) engine['updateRoute'](r);
    const pick = (): number => engine['pickRouteToRemove']();
    return { engine, pick };
  }

  it('tries every other route before one whose removal failed, the least-failed first', () => {
    const { engine, pick } = threeRoutes();
    expect(pick()).toBe(0);
    engine['removalFailed'](0);
    expect(pick()).toBe(1);
    engine['removalFailed'](1);
    expect(pick()).toBe(2);
    engine['removalFailed'](2);
    expect(pick()).toBe(0);
    engine['removalFailed'](0);
    expect(pick()).toBe(1);
  });

  it('forgets the failures once the plan uses a route fewer', () => {
    const { engine, pick } = threeRoutes();
    engine['removalFailed'](0);
    expect(pick()).toBe(1);
    // route 1's stops move to route 2: two routes in use, a new plan
    const moved = engine.seq[1].slice(1, -1);
    engine.seq[2].splice(1, 0, ...moved);
    engine.seq[1] = [engine.seq[1][0], engine.seq[1][engine.seq[1].length - 1]];
    engine['updateRoute'](1);
    engine['updateRoute'](2);
    expect(pick()).toBe(0);
  });
});

describe('Engine: shedding the stops that make a repaired plan infeasible', () => {
  it.each([1, 2, 3])('leaves every route feasible, touches only infeasible routes and loses no stop (seed %i)', (seed) => {
    const { compiled } = compileProblem(tightProblem());
    const engine = new Engine(compiled, seed, 30);
    engine.run({ ...options, seed });
    // a route removed and its stops forced into the others with low penalties, as after a penalised repair
    const victim = engine.seq.findIndex((s) => s.length > 2);
    const removed = engine.seq[victim].slice(1, -1);
    engine.seq[victim] = [engine.seq[victim][0], engine.seq[victim][engine.seq[victim].length - 1]];
    for (const u of removed) engine['routeOf'][u] = -1;
    engine['updateRoute'](victim);
    engine.active[victim] = 0;
    engine['setPenalties'](0.001, 0.001, 1);
    for (const u of removed) engine['insert'](u, 0, false);
    const violation = (r: number): number => engine['rTw'][r] + engine['rOver'][r];
    const before = engine.seq.map((s) => s.slice());
    const infeasible = before.map((_, r) => violation(r) > 1e-7);
    expect(infeasible.some(Boolean)).toBe(true);

    const shed: number[] = engine['shedViolations']();

    engine.seq.forEach((s, r) => {
      expect(violation(r)).toBeLessThanOrEqual(1e-7);
      if (!infeasible[r]) expect(s).toEqual(before[r]);
    });
    expect(shed.length).toBeGreaterThanOrEqual(infeasible.filter(Boolean).length);
    const routed = engine.routesOut().flat();
    expect([...routed, ...shed].sort((a, b) => a - b)).toEqual(Array.from(compiled.routable).sort((a, b) => a - b));
    // the weights in use are restored
    expect(engine['wTw']).toBe(0.001);
  });
});

describe('Engine: route caches', () => {
  it.each([1, 2])('keep every arc length of every route through a run (seed %i)', (seed) => {
    const { compiled } = compileProblem(tightProblem());
    const engine = new Engine(compiled, seed, 30);
    engine.run({ ...options, maxIterations: 200, seed });
    const n = compiled.nNodes;
    let arcs = 0;
    engine.seq.forEach((s, r) => {
      for (let i = 0; i + 1 < s.length; i++, arcs++) expect(engine['arc'][r][i]).toBe(compiled.dist[s[i] * n + s[i + 1]]);
    });
    expect(arcs).toBeGreaterThan(40);
  });
});

describe('Engine: search insertions on plans with many routes', () => {
  /** 150 stops on vehicles of capacity 20: about 40 routes. */
  const manyRoutes = (): Problem => scatteredProblem(150, { vehicles: 60, capacity: 20 });
  const manyOptions = { ...options, maxIterations: 30, vehicleReductionShare: 0, maxVehicles: 60 };

  it.each([1, 2])('try the routes of the stop’s nearest stops and the empty vehicles, not every route (seed %i)', (seed) => {
    const { compiled } = compileProblem(manyRoutes());
    const engine = new Engine(compiled, seed, 30);
    engine.run({ ...manyOptions, seed });
    expect(engine.usedRoutes()).toBeGreaterThan(24);
    for (const u of Array.from(compiled.routable).slice(0, 10)) {
      const home = engine['detach'](u);
      engine['updateRoute'](home);
      const list = engine['insertionRoutes'](u) as Int32Array;
      const routes = new Set(Array.from(list.subarray(0, engine['insertionRouteCount'])));
      const nearestRouted = Array.from(engine['adjacency'][u] as Int32Array).find((v) => engine['routeOf'][v] >= 0) as number;
      expect(routes.has(engine['routeOf'][nearestRouted])).toBe(true);
      engine.seq.forEach((s, r) => {
        if (engine.active[r] && s.length === 2) expect(routes.has(r)).toBe(true);
      });
      const used = engine.seq.filter((s) => s.length > 2).length;
      expect(Array.from(routes).filter((r) => engine.seq[r].length > 2).length).toBeLessThan(used);
      engine['insert'](u, 0, false);
      expect(routes.has(engine['routeOf'][u])).toBe(true);
    }
  });

  it('try every route for a stop locked to a vehicle, and on plans with few routes', () => {
    const problem = manyRoutes();
    problem.stops[0].lockedVehicleId = 'v59';
    const { compiled } = compileProblem(problem);
    const engine = new Engine(compiled, 1, 30);
    engine.run({ ...manyOptions, seed: 1 });
    const locked = compiled.routable.find((u) => compiled.lockedVehicle[u] >= 0) as number;
    expect(engine['insertionRoutes'](locked)).toBeNull();
    const small = new Engine(compileProblem(plainProblem(40)).compiled, 1, 30);
    small.run({ ...options, seed: 1 });
    expect(small.usedRoutes()).toBeLessThanOrEqual(24);
    expect(small['insertionRoutes'](small['customers'][0])).toBeNull();
  });
});

describe('penalty weights', () => {
  it('rise while few iterations are feasible, up to a cap that grows with the plan', () => {
    expect(penaltyWeightCap(10)).toBe(50);
    expect(penaltyWeightCap(100)).toBe(50);
    expect(penaltyWeightCap(1000)).toBe(500);
    // a weight starting at 1 stops at its maximum however long no iteration is feasible
    let w = 1;
    for (let k = 0; k < 100; k++) w = adaptPenaltyWeight(w, 0, 50);
    expect(w).toBe(50);
    w = 1;
    for (let k = 0; k < 100; k++) w = adaptPenaltyWeight(w, 0.1, 500);
    expect(w).toBe(500);
    expect(adaptPenaltyWeight(10, 0.19, 500)).toBeCloseTo(13);
  });

  it('fall while most iterations are feasible and stay between', () => {
    expect(adaptPenaltyWeight(40, 0.8, 50)).toBeCloseTo(34);
    expect(adaptPenaltyWeight(40, 0.3, 50)).toBe(40);
    expect(adaptPenaltyWeight(0.011, 1, 50)).toBe(0.01);
  });
});

describe('annealing temperatures', () => {
  it('stay as tuned up to 30 routes and fall in proportion beyond', () => {
    expect(annealingScale(1)).toBe(1);
    expect(annealingScale(30)).toBe(1);
    expect(annealingScale(60)).toBe(0.5);
    expect(annealingScale(100)).toBeCloseTo(0.3);
    expect(annealingScale(0)).toBe(1);
  });
});

describe('granularity of the local search', () => {
  it('keeps 30 neighbours per stop up to 200 stops and 20 above', () => {
    expect(defaultGranularity(100)).toBe(30);
    expect(defaultGranularity(200)).toBe(30);
    expect(defaultGranularity(201)).toBe(20);
    expect(defaultGranularity(1000)).toBe(20);
  });
});
