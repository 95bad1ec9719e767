import type { CompiledProblem } from './compiled';
import { compileProblem, describe, ProblemValidationError } from './compile';
import { defaultGranularity, Engine, type EngineOptions } from './engine';
import type { Plan, PlannedRoute, Problem, SolveOptions, TemperatureClass, UnservedStop } from './model';

// Math and Infinity are read once: in a vm context (Jest runs tests in one) every global lookup goes
// through the context's interceptor, and Math.max in a hot loop ran 35 times slower than a local.
const { abs, max, min } = Math;
const INF = Infinity;

const EPS = 1e-6;
/**
 * Share of the budget kept for shortening the plan when the fleet cannot serve every stop (fleetTooSmall): the
 * search stops trying to fit them all at 1 − POLISH_SHARE of the budget (see solve).
 */
const POLISH_SHARE = 0.15;

/**
 * Whether `vehicles` vehicles cannot serve the routable stops whatever the plan: then no search serves
 * every stop, and the budget is better spent shortening the plan that leaves some out (see solve).
 * Two bounds: the load (in some temperature class the stops' demand exceeds the largest compartments
 * of that many vehicles) and the working time (see workingTimeShort).
 */
export function fleetTooSmall(p: CompiledProblem, vehicles: number): boolean {
  for (let c = 0; c < p.nClasses; c++) {
    let demand = 0;
    for (const u of p.routable) demand += p.demand[u * p.nClasses + c];
    if (demand > largestSum(p.nVehicles, (r) => p.capacity[r * p.nClasses + c], vehicles) + EPS) return true;
  }
  return workingTimeShort(p, vehicles);
}

/**
 * Whether the stops need more working time than the longest `vehicles` shifts hold. Every stop on a
 * route costs its service and at least its shortest inbound arc. A route's work lies between its
 * departure (not before the shift starts) and its last service's end (not after the shift ends, nor
 * after the latest window closes plus its service), and within the maximum duration; apart from the
 * first stop's inbound arc it also lies after the first service starts (not before the earliest
 * window opens). Waiting and the way home only add to it, so the bound never calls a fleet short that
 * is not. A lunch round (windows within two hours) is short of drivers long before it is short of room.
 */
function workingTimeShort(p: CompiledProblem, vehicles: number): boolean {
  const n = p.nNodes;
  let need = 0;
  let longestInbound = 0;
  let firstReady = INF;
  let lastServiceEnd = -INF;
  for (const u of p.routable) {
    let inbound = INF;
    for (let v = 0; v < n; v++) if (v !== u) inbound = min(inbound, p.time[v * n + u]);
    need += p.service[u] + inbound;
    longestInbound = max(longestInbound, inbound);
    firstReady = min(firstReady, p.ready[u]);
    lastServiceEnd = max(lastServiceEnd, p.due[u] + p.service[u]);
  }
  const span = (r: number): number => {
    const workEnd = min(p.shiftEnd[r], lastServiceEnd);
    return max(0, min(p.maxDuration[r], workEnd - p.shiftStart[r], workEnd - max(p.shiftStart[r], firstReady) + longestInbound));
  };
  return need > largestSum(p.nVehicles, span, vehicles) + EPS;
}

/** Sum of the `count` largest of value(0 … items − 1). */
function largestSum(items: number, value: (i: number) => number, count: number): number {
  const values = Array.from({ length: items }, (_, i) => value(i)).sort((a, b) => b - a);
  return values.slice(0, count).reduce((sum, x) => sum + x, 0);
}

interface RouteSchedule {
  departure: number;
  returnTime: number;
  distance: number;
  arrivals: number[];
  starts: number[];
  loads: Float64Array;
  /** Sum of all violations (late service, late return, overload, duration and ride excess). */
  violation: number;
}

/**
 * Schedules a route leaving as late as possible without extra waiting (which minimises both the
 * route duration and every ride time) and measures its violations.
 */
export function scheduleRoute(p: CompiledProblem, r: number, stops: number[]): RouteSchedule {
  const n = p.nNodes;
  const start = p.vehicleStart[r];
  const end = p.vehicleEnd[r];
  const nodes = [start, ...stops, end];
  // latest service start per stop, backwards from the end of the shift
  let latest = p.shiftEnd[r];
  for (let i = nodes.length - 2; i >= 1; i--) {
    const v = nodes[i];
    latest = min(p.due[v], latest - p.time[v * n + nodes[i + 1]] - p.service[v]);
    latest = max(latest, p.ready[v]);
  }
  let departure = stops.length ? latest - p.time[start * n + nodes[1]] : p.shiftStart[r];
  departure = min(max(departure, p.shiftStart[r]), p.shiftEnd[r]);
  let t = departure;
  let distance = 0;
  let violation = 0;
  const arrivals: number[] = [];
  const starts: number[] = [];
  const C = p.nClasses;
  const loads = new Float64Array(C);
  for (let i = 1; i < nodes.length; i++) {
    const a = nodes[i - 1];
    const v = nodes[i];
    distance += p.dist[a * n + v];
    const arrive = t + p.time[a * n + v];
    if (i === nodes.length - 1) {
      t = arrive;
      break;
    }
    const s = max(arrive, p.ready[v]);
    if (s > p.due[v]) violation += s - p.due[v];
    if (arrive - departure > p.maxRide[v]) violation += arrive - departure - p.maxRide[v];
    arrivals.push(arrive);
    starts.push(s);
    for (let c = 0; c < C; c++) loads[c] += p.demand[v * C + c];
    t = s + p.service[v];
  }
  if (t > p.shiftEnd[r]) violation += t - p.shiftEnd[r];
  if (t - departure > p.maxDuration[r]) violation += t - departure - p.maxDuration[r];
  for (let c = 0; c < C; c++) violation += max(0, loads[c] - p.capacity[r * C + c]);
  return { departure, returnTime: t, distance, arrivals, starts, loads, violation };
}

/** Fixed costs of the vehicles used plus weighted distance. */
function planCost(p: CompiledProblem, routes: number[][]): number {
  return routes.reduce((sum, stops, r) => sum + (stops.length ? p.fixedCost[r] + scheduleRoute(p, r, stops).distance * p.distanceCost[r] : 0), 0);
}

const canServe = (p: CompiledProblem, u: number, r: number): boolean =>
  (p.lockedVehicle[u] < 0 || p.lockedVehicle[u] === r) && (p.allowed === null || p.allowed[u * p.nVehicles + r] === 1);

/**
 * Earliest service starts (forward from the shift start) and latest ones (backward from the shift
 * end) of a route, and its loads: a necessary condition for inserting a stop in O(1), so that only
 * the few insertions that pass it pay for a full schedule.
 */
function slack(p: CompiledProblem, r: number, stops: number[]): { nodes: number[]; earliest: Float64Array; latest: Float64Array; loads: Float64Array } {
  const n = p.nNodes;
  const nodes = [p.vehicleStart[r], ...stops, p.vehicleEnd[r]];
  const earliest = new Float64Array(nodes.length);
  const latest = new Float64Array(nodes.length);
  earliest[0] = p.shiftStart[r];
  for (let i = 1; i < nodes.length; i++) {
    const arrive = earliest[i - 1] + p.service[nodes[i - 1]] + p.time[nodes[i - 1] * n + nodes[i]];
    earliest[i] = i === nodes.length - 1 ? arrive : max(arrive, p.ready[nodes[i]]);
  }
  latest[nodes.length - 1] = p.shiftEnd[r];
  for (let i = nodes.length - 2; i >= 1; i--) {
    latest[i] = min(p.due[nodes[i]], latest[i + 1] - p.time[nodes[i] * n + nodes[i + 1]] - p.service[nodes[i]]);
  }
  const loads = new Float64Array(p.nClasses);
  for (const u of stops) for (let c = 0; c < p.nClasses; c++) loads[c] += p.demand[u * p.nClasses + c];
  return { nodes, earliest, latest, loads };
}

/**
 * Inserts `stops` one after the other at their cheapest feasible positions in the routes `open`
 * (in place; a dispatcher's fixed prefix stays first) and returns the added distance and the stops
 * that fit nowhere.
 */
function insertWhereFeasible(p: CompiledProblem, routes: number[][], stops: number[], open: number[]): { added: number; left: number[] } {
  const n = p.nNodes;
  const C = p.nClasses;
  const left: number[] = [];
  let added = 0;
  const info = new Map<number, ReturnType<typeof slack>>();
  const slackOf = (q: number): ReturnType<typeof slack> => {
    let s = info.get(q);
    if (!s) info.set(q, (s = slack(p, q, routes[q])));
    return s;
  };
  for (const u of stops) {
    let bestCost = INF;
    let at: [number, number] | null = null;
    for (const q of open) {
      if (!canServe(p, u, q)) continue;
      const { nodes, earliest, latest, loads } = slackOf(q);
      let fits = true;
      for (let c = 0; c < C; c++) if (loads[c] + p.demand[u * C + c] > p.capacity[q * C + c] + EPS) fits = false;
      if (!fits) continue;
      for (let i = p.fixedPrefix[q].length; i <= routes[q].length; i++) {
        const a = nodes[i];
        const b = nodes[i + 1];
        const delta = p.dist[a * n + u] + p.dist[u * n + b] - p.dist[a * n + b];
        if (delta >= bestCost) continue;
        const start = max(p.ready[u], earliest[i] + p.service[a] + p.time[a * n + u]);
        if (start > p.due[u] + EPS || start + p.service[u] + p.time[u * n + b] > latest[i + 1] + EPS) continue;
        // the window check is necessary; durations and ride limits need the full schedule
        const s = scheduleRoute(p, q, routes[q].slice(0, i).concat(u, routes[q].slice(i)));
        if (s.violation <= EPS) {
          bestCost = delta;
          at = [q, i];
        }
      }
    }
    if (at) {
      routes[at[0]].splice(at[1], 0, u);
      info.delete(at[0]);
      added += bestCost;
    } else left.push(u);
  }
  return { added, left };
}

/**
 * Closes routes until at most `limit` vehicles are used: each time the route whose stops fit best
 * into the remaining routes (fewest left over, then least added distance) is closed, its stops are
 * inserted at their cheapest feasible positions, and those that fit nowhere are returned.
 * Only runs when the search ended above the fleet, which it avoids as long as the budget allows.
 * Once `timeUp()` says the budget is spent, only the smallest route is tried for each closure (one
 * pass of cheapest insertions), so the step cannot overrun the time limit by much: on 1000 stops,
 * weighing ten routes per closure took seconds after the budget had ended.
 */
export function enforceFleetLimit(p: CompiledProblem, routes: number[][], limit: number, timeUp: () => boolean = () => false): number[] {
  const unplaced: number[] = [];
  const prefixLen = p.fixedPrefix.map((f) => f.length);
  const used = (): number[] => routes.flatMap((s, r) => (s.length ? [r] : []));
  for (let open = used(); open.length > limit; open = used()) {
    // try the smallest routes first; routes with a dispatcher's fixed prefix last
    const candidates = open
      .slice()
      .sort((a, b) => (prefixLen[a] > 0 ? 1 : 0) - (prefixLen[b] > 0 ? 1 : 0) || routes[a].length - routes[b].length || a - b)
      .slice(0, 10);
    let best: { next: number[][]; left: number[]; added: number } | null = null;
    for (const r of candidates) {
      if (best && timeUp()) break;
      const next = routes.map((s) => s.slice());
      next[r] = [];
      const { added, left } = insertWhereFeasible(p, next, routes[r], open.filter((q) => q !== r));
      const change = added - scheduleRoute(p, r, routes[r]).distance;
      if (!best || left.length < best.left.length || (left.length === best.left.length && change < best.added)) {
        best = { next, left, added: change };
      }
    }
    if (!best) break;
    best.next.forEach((s, r) => (routes[r] = s));
    unplaced.push(...best.left);
  }
  return unplaced;
}

/**
 * Makes `routes` a plan within the fleet, in place, and returns the stops it leaves out: if the search
 * ended without a feasible plan, stops are dropped from violating routes until every route is
 * feasible; a plan above the fleet gives up whole routes, keeping what fits elsewhere (bounded by
 * `timeUp`, see enforceFleetLimit); every routable stop on no route is left out too.
 */
function withinFleet(compiled: CompiledProblem, routes: number[][], maxVehicles: number, timeUp: () => boolean): number[] {
  const left: number[] = [];
  const prefixLen = compiled.fixedPrefix.map((f) => f.length);
  routes.forEach((stops, r) => {
    let sched = scheduleRoute(compiled, r, stops);
    while (sched.violation > EPS && stops.length > prefixLen[r]) {
      let bestIdx = -1;
      let bestViol = INF;
      let bestDist = INF;
      for (let i = prefixLen[r]; i < stops.length; i++) {
        const trial = stops.slice(0, i).concat(stops.slice(i + 1));
        const s = scheduleRoute(compiled, r, trial);
        if (s.violation < bestViol - EPS || (abs(s.violation - bestViol) <= EPS && s.distance < bestDist)) {
          bestIdx = i;
          bestViol = s.violation;
          bestDist = s.distance;
        }
      }
      const [removed] = stops.splice(bestIdx, 1);
      left.push(removed);
      sched = scheduleRoute(compiled, r, stops);
    }
  });
  left.push(...enforceFleetLimit(compiled, routes, maxVehicles, timeUp));
  // safety net: every routable stop is either on a route or left out
  const routed = new Set(routes.flat());
  const out = new Set(left);
  for (const u of compiled.routable) if (!routed.has(u) && !out.has(u)) left.push(u);
  return left;
}

/**
 * Plans deliveries: fewest vehicles, then least distance, subject to compartments, time windows,
 * ride limits, shifts and dispatcher locks. Anytime: stops at the time limit, the iteration limit
 * or when the signal aborts, and returns the best plan found.
 */
export function solve(problem: Problem, options: SolveOptions = {}): Plan {
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  const { compiled, nodeIds, classes, unserved } = compileProblem(problem);
  const maxVehicles = options.maxVehicles ?? compiled.nVehicles;
  if (!Number.isInteger(maxVehicles) || maxVehicles < 0) {
    throw new ProblemValidationError([`maxVehicles must be a non-negative integer, got ${maxVehicles}`]);
  }
  const seed = options.seed ?? 1;
  const granularity = options.granularity ?? defaultGranularity(compiled.routable.length);
  const timeLimitMs = options.timeLimitMs ?? 10_000;
  const maxIterations = options.maxIterations ?? INF;
  const progress = (offsetMs: number): EngineOptions['onProgress'] =>
    options.onProgress
      ? (p) => options.onProgress?.({ elapsedMs: offsetMs + p.elapsedMs, bestCost: p.feasible ? p.bestCost : INF, vehicles: p.vehicles, distance: p.distance })
      : undefined;
  const fleet = min(maxVehicles, compiled.nVehicles);
  const engine = new Engine(compiled, seed, granularity);
  const result = engine.run({
    seed,
    timeLimitMs,
    maxIterations,
    signal: options.signal,
    now,
    startedAt,
    // removing vehicles only pays when vehicles cost something
    vehicleReductionShare: compiled.fixedCost.some((c) => c > 0) ? (options.vehicleReductionShare ?? 0.3) : 0,
    vehicleTarget: options.vehicleTarget ?? 0,
    maxVehicles: fleet,
    // a fleet too small for the stops (load or working time) is never reached: keep part of the budget for the plan
    fleetGiveUpShare: fleetTooSmall(compiled, fleet) ? 1 - POLISH_SHARE : 1,
    combineRoutes: options.combineRoutes,
    onProgress: progress(0),
  });

  const noRoom = (u: number): UnservedStop => ({
    stopId: nodeIds[u],
    reason: 'no-room-in-fleet',
    message: `stop ${nodeIds[u]}: ${describe('no-room-in-fleet')} within the search budget`,
  });
  const timeUp = (): boolean => now() - startedAt >= 1.02 * timeLimitMs || !!options.signal?.aborted;
  let routes = result.routes.map((r) => r.slice());
  let left = withinFleet(compiled, routes, maxVehicles, timeUp);
  // Route elimination's best partial plan within the fleet, if the search found no complete one:
  // kept when it leaves fewer stops out than closing routes of the best plan did.
  if (result.partial && left.length > 0) {
    const partial = result.partial.map((r) => r.slice());
    const partialLeft = withinFleet(compiled, partial, maxVehicles, timeUp);
    if (partialLeft.length < left.length) {
      routes = partial;
      left = partialLeft;
    }
  }
  let stoppedBy = result.stopReason;
  let iterations = result.iterations;
  if (left.length > 0) {
    // What was made to fit has not been shortened since: one feasibility-keeping pass of the local
    // search (23 ms on 1000 stops), kept only if every route is still feasible by this module's schedule.
    const shorten = (plan: number[][]): number[][] => {
      const shorter = engine.shorten(plan);
      return shorter.every((stops, r) => stops.length === 0 || scheduleRoute(compiled, r, stops).violation <= EPS) ? shorter : plan;
    };
    routes = shorten(routes);
    const remainingMs = timeLimitMs - (now() - startedAt);
    const remainingIterations = maxIterations - result.iterations;
    const isLeft = new Set(left);
    const served = compiled.routable.filter((u) => !isLeft.has(u));
    if (served.length > 0 && stoppedBy !== 'cancelled' && remainingMs > 0 && remainingIterations > 0) {
      // The search gave up a fleet too small for the stops (fleetTooSmall) with a share of the budget left: the rest
      // of the budget goes to the same search on the stops the plan serves, started from it, with
      // the stops it leaves out set aside.
      const polishStart = now();
      const servedOnly = { ...compiled, routable: served, fixedPrefix: compiled.fixedPrefix.map((f) => f.filter((u) => !isLeft.has(u))) };
      const polished = new Engine(servedOnly, seed, granularity).run({
        seed,
        timeLimitMs: remainingMs,
        maxIterations: remainingIterations,
        signal: options.signal,
        now,
        startedAt: polishStart,
        vehicleReductionShare: 0,
        vehicleTarget: 0,
        maxVehicles: fleet,
        initial: routes,
        combineRoutes: options.combineRoutes,
        onProgress: progress(polishStart - startedAt),
      });
      iterations += polished.iterations;
      stoppedBy = polished.stopReason;
      if (polished.feasible && planCost(compiled, polished.routes) <= planCost(compiled, routes) + EPS) routes = polished.routes;
    }
    // the stops left out are offered the shorter routes again while some of them find room (three
    // rounds at most: this runs after the time limit)
    const used = routes.flatMap((stops, r) => (stops.length ? [r] : []));
    for (let round = 0, before = Infinity; round < 3 && left.length > 0 && left.length < before; round++) {
      before = left.length;
      left = insertWhereFeasible(compiled, routes, left, used).left;
      if (left.length < before) routes = shorten(routes);
    }
  }
  const dropped = left.map(noRoom);

  const planned: PlannedRoute[] = [];
  let distance = 0;
  let cost = 0;
  routes.forEach((stops, r) => {
    if (stops.length === 0) return;
    const s = scheduleRoute(compiled, r, stops);
    distance += s.distance;
    cost += compiled.fixedCost[r] + s.distance * compiled.distanceCost[r];
    const load: Partial<Record<TemperatureClass, number>> = {};
    classes.forEach((c, ci) => {
      if (s.loads[ci] > 0) load[c] = s.loads[ci];
    });
    planned.push({
      vehicleId: problem.vehicles[r].id,
      departure: s.departure,
      returnTime: s.returnTime,
      distance: s.distance,
      load,
      visits: stops.map((u, i) => ({
        stopId: nodeIds[u],
        arrival: s.arrivals[i],
        serviceStart: s.starts[i],
        departure: s.starts[i] + compiled.service[u],
      })),
    });
  });
  return {
    routes: planned,
    unserved: [...unserved, ...dropped],
    vehicles: planned.length,
    distance,
    cost,
    iterations,
    elapsedMs: now() - startedAt,
    stoppedBy,
  };
}
