import type { CompiledProblem } from './compiled';
import { compileProblem, describe, ProblemValidationError } from './compile';
import { defaultGranularity, Engine } from './engine';
import type { Plan, PlannedRoute, Problem, SolveOptions, TemperatureClass, UnservedStop } from './model';

const EPS = 1e-6;

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
    latest = Math.min(p.due[v], latest - p.time[v * n + nodes[i + 1]] - p.service[v]);
    latest = Math.max(latest, p.ready[v]);
  }
  let departure = stops.length ? latest - p.time[start * n + nodes[1]] : p.shiftStart[r];
  departure = Math.min(Math.max(departure, p.shiftStart[r]), p.shiftEnd[r]);
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
    const s = Math.max(arrive, p.ready[v]);
    if (s > p.due[v]) violation += s - p.due[v];
    if (arrive - departure > p.maxRide[v]) violation += arrive - departure - p.maxRide[v];
    arrivals.push(arrive);
    starts.push(s);
    for (let c = 0; c < C; c++) loads[c] += p.demand[v * C + c];
    t = s + p.service[v];
  }
  if (t > p.shiftEnd[r]) violation += t - p.shiftEnd[r];
  if (t - departure > p.maxDuration[r]) violation += t - departure - p.maxDuration[r];
  for (let c = 0; c < C; c++) violation += Math.max(0, loads[c] - p.capacity[r * C + c]);
  return { departure, returnTime: t, distance, arrivals, starts, loads, violation };
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
    earliest[i] = i === nodes.length - 1 ? arrive : Math.max(arrive, p.ready[nodes[i]]);
  }
  latest[nodes.length - 1] = p.shiftEnd[r];
  for (let i = nodes.length - 2; i >= 1; i--) {
    latest[i] = Math.min(p.due[nodes[i]], latest[i + 1] - p.time[nodes[i] * n + nodes[i + 1]] - p.service[nodes[i]]);
  }
  const loads = new Float64Array(p.nClasses);
  for (const u of stops) for (let c = 0; c < p.nClasses; c++) loads[c] += p.demand[u * p.nClasses + c];
  return { nodes, earliest, latest, loads };
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
  const n = p.nNodes;
  const C = p.nClasses;
  const prefixLen = p.fixedPrefix.map((f) => f.length);
  const used = (): number[] => routes.flatMap((s, r) => (s.length ? [r] : []));
  for (let open = used(); open.length > limit; open = used()) {
    // try the smallest routes first; routes with a dispatcher's fixed prefix last
    const candidates = open
      .slice()
      .sort((a, b) => (prefixLen[a] > 0 ? 1 : 0) - (prefixLen[b] > 0 ? 1 : 0) || routes[a].length - routes[b].length || a - b)
      .slice(0, 10);
    let best: { r: number; next: number[][]; left: number[]; added: number } | null = null;
    for (const r of candidates) {
      if (best && timeUp()) break;
      const next = routes.map((s) => s.slice());
      next[r] = [];
      const left: number[] = [];
      let added = -scheduleRoute(p, r, routes[r]).distance;
      const info = new Map<number, ReturnType<typeof slack>>();
      const slackOf = (q: number): ReturnType<typeof slack> => {
        let s = info.get(q);
        if (!s) info.set(q, (s = slack(p, q, next[q])));
        return s;
      };
      for (const u of routes[r]) {
        let bestCost = Infinity;
        let at: [number, number] | null = null;
        for (const q of open) {
          if (q === r || !canServe(p, u, q)) continue;
          const { nodes, earliest, latest, loads } = slackOf(q);
          let fits = true;
          for (let c = 0; c < C; c++) if (loads[c] + p.demand[u * C + c] > p.capacity[q * C + c] + EPS) fits = false;
          if (!fits) continue;
          for (let i = prefixLen[q]; i <= next[q].length; i++) {
            const a = nodes[i];
            const b = nodes[i + 1];
            const delta = p.dist[a * n + u] + p.dist[u * n + b] - p.dist[a * n + b];
            if (delta >= bestCost) continue;
            const start = Math.max(p.ready[u], earliest[i] + p.service[a] + p.time[a * n + u]);
            if (start > p.due[u] + EPS || start + p.service[u] + p.time[u * n + b] > latest[i + 1] + EPS) continue;
            // the window check is necessary; durations and ride limits need the full schedule
            const s = scheduleRoute(p, q, next[q].slice(0, i).concat(u, next[q].slice(i)));
            if (s.violation <= EPS) {
              bestCost = delta;
              at = [q, i];
            }
          }
        }
        if (at) {
          next[at[0]].splice(at[1], 0, u);
          info.delete(at[0]);
          added += bestCost;
        } else left.push(u);
      }
      if (!best || left.length < best.left.length || (left.length === best.left.length && added < best.added)) {
        best = { r, next, left, added };
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
      let bestViol = Infinity;
      let bestDist = Infinity;
      for (let i = prefixLen[r]; i < stops.length; i++) {
        const trial = stops.slice(0, i).concat(stops.slice(i + 1));
        const s = scheduleRoute(compiled, r, trial);
        if (s.violation < bestViol - EPS || (Math.abs(s.violation - bestViol) <= EPS && s.distance < bestDist)) {
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
  const engine = new Engine(compiled, options.seed ?? 1, options.granularity ?? defaultGranularity(compiled.routable.length));
  const result = engine.run({
    seed: options.seed ?? 1,
    timeLimitMs: options.timeLimitMs ?? 10_000,
    maxIterations: options.maxIterations ?? Infinity,
    signal: options.signal,
    now,
    startedAt,
    // removing vehicles only pays when vehicles cost something
    vehicleReductionShare: compiled.fixedCost.some((c) => c > 0) ? (options.vehicleReductionShare ?? 0.3) : 0,
    vehicleTarget: options.vehicleTarget ?? 0,
    maxVehicles: Math.min(maxVehicles, compiled.nVehicles),
    onProgress: options.onProgress
      ? (p) => options.onProgress?.({ elapsedMs: p.elapsedMs, bestCost: p.feasible ? p.bestCost : Infinity, vehicles: p.vehicles, distance: p.distance })
      : undefined,
  });

  const noRoom = (u: number): UnservedStop => ({
    stopId: nodeIds[u],
    reason: 'no-room-in-fleet',
    message: `stop ${nodeIds[u]}: ${describe('no-room-in-fleet')} within the search budget`,
  });
  const timeLimitMs = options.timeLimitMs ?? 10_000;
  const timeUp = (): boolean => now() - startedAt >= 1.02 * timeLimitMs || !!options.signal?.aborted;
  let routes = result.routes.map((r) => r.slice());
  let dropped = withinFleet(compiled, routes, maxVehicles, timeUp).map(noRoom);
  // Route elimination's best partial plan within the fleet, if the search found no complete one:
  // kept when it leaves fewer stops out than closing routes of the best plan did.
  if (result.partial && dropped.length > 0) {
    const partial = result.partial.map((r) => r.slice());
    const left = withinFleet(compiled, partial, maxVehicles, timeUp);
    if (left.length < dropped.length) {
      routes = partial;
      dropped = left.map(noRoom);
    }
  }

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
    iterations: result.iterations,
    elapsedMs: result.elapsedMs,
    stoppedBy: result.stopReason,
  };
}
