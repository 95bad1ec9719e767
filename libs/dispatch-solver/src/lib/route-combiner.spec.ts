import { checkPlan } from './check-plan';
import { compileProblem } from './compile';
import { loadRouteCombiner, type RouteCombiner, type RouteCombinerInput } from './route-combiner';
import { RoutePool } from './route-pool';
import { scheduleRoute, solve } from './solve';
import { scatteredProblem } from '../testing/problems';

describe('RoutePool', () => {
  it('keeps each route once, with the cheapest plan it was part of', () => {
    const pool = new RoutePool();
    pool.add([1, 2], 10, 120);
    pool.add([1, 2], 10, 100);
    pool.add([1, 2], 10, 130);
    pool.add([3], 4, 110);
    expect(pool.size).toBe(2);
    const { routes, costs, indexOf } = pool.candidates(105);
    expect(routes).toEqual([[1, 2]]);
    expect(costs).toEqual([10]);
    expect(indexOf.get('1,2')).toBe(0);
  });

  it('drops the routes of plans above a bound', () => {
    const pool = new RoutePool();
    pool.add([1], 1, 100);
    pool.add([2], 1, 200);
    pool.prune(150);
    expect(pool.size).toBe(1);
    expect(pool.candidates(Infinity).routes).toEqual([[1]]);
  });
});

describe('route combiner (set partitioning with HiGHS)', () => {
  let combine: RouteCombiner;
  beforeAll(async () => {
    combine = await loadRouteCombiner();
  });

  // stops 1–4; the start [1,2] + [3,4] costs 20, [1,3] + [2,4] costs 12, four single-stop routes cost 4
  const input = (over: Partial<RouteCombinerInput> = {}): RouteCombinerInput => ({
    routes: [[1, 2], [3, 4], [1, 3], [2, 4], [1, 2, 3, 4], [1], [2], [3], [4]],
    costs: [10, 10, 6, 6, 30, 1, 1, 1, 1],
    stops: [1, 2, 3, 4],
    maxRoutes: 2,
    start: [0, 1],
    timeLimitMs: 5_000,
    ...over,
  });

  it('picks the cheapest routes that visit every stop exactly once within the fleet', () => {
    expect(combine(input())?.sort()).toEqual([2, 3]);
  });

  it('uses more routes only when the fleet allows them', () => {
    expect(combine(input({ maxRoutes: 4 }))?.sort()).toEqual([5, 6, 7, 8]);
  });

  it('returns null when nothing is cheaper than the start', () => {
    expect(combine(input({ start: [2, 3] }))).toBeNull();
    expect(combine(input({ routes: [[1, 2], [3, 4], [1, 2, 3, 4]], costs: [10, 10, 30] }))).toBeNull();
  });

  it('rejects a route with a stop outside the plan', () => {
    expect(() => combine(input({ routes: [[1, 2], [3, 4], [5]], costs: [1, 1, 1] }))).toThrow(/stop 5/);
  });
});

describe('solve with the route combiner', () => {
  it('offers only feasible routes of good plans, starts from the best plan and adopts a cheaper combination', async () => {
    const real = await loadRouteCombiner();
    // (a case where the combination pays: with an iteration budget the run is deterministic)
    const problem = scatteredProblem(60, { vehicles: 12, capacity: 40 });
    const { compiled } = compileProblem(problem);
    const offers: { input: RouteCombinerInput; chosen: number[] | null }[] = [];
    const plan = solve(problem, {
      seed: 4,
      maxIterations: 300,
      timeLimitMs: 600_000,
      combineRoutes: (input) => {
        const chosen = real(input);
        offers.push({ input, chosen });
        return chosen;
      },
    });
    expect(checkPlan(problem, plan)).toEqual([]);
    expect(offers.length).toBeGreaterThan(0);
    for (const { input } of offers) {
      // the start is a plan: every stop exactly once, within the fleet
      const visits = input.start.flatMap((j) => input.routes[j]).sort((a, b) => a - b);
      expect(visits).toEqual([...input.stops].sort((a, b) => a - b));
      expect(input.start.length).toBeLessThanOrEqual(input.maxRoutes);
      // each offered route is feasible on its own and costs a vehicle plus its distance
      input.routes.forEach((route, j) => {
        const schedule = scheduleRoute(compiled, 0, [...route]);
        expect(schedule.violation).toBe(0);
        expect(input.costs[j]).toBeCloseTo(compiled.fixedCost[0] + schedule.distance * compiled.distanceCost[0], 6);
      });
    }
    // a combination cheaper than the best plan of its time was found and kept
    const found = offers.filter((o) => o.chosen !== null).map((o) => (o.chosen as number[]).reduce((c, j) => c + o.input.costs[j], 0));
    expect(found.length).toBeGreaterThan(0);
    expect(plan.cost).toBeLessThanOrEqual(Math.min(...found) + 1e-6);
  });

  it('offers nothing on plans of more than 200 stops (there the MIP found no cheaper cover within its time)', async () => {
    const real = await loadRouteCombiner();
    const problem = scatteredProblem(201, { vehicles: 40, capacity: 40 });
    let offers = 0;
    const plan = solve(problem, {
      seed: 1,
      maxIterations: 20,
      timeLimitMs: 600_000,
      combineRoutes: (input) => {
        offers++;
        return real(input);
      },
    });
    expect(checkPlan(problem, plan)).toEqual([]);
    expect(offers).toBe(0);
  });
});
