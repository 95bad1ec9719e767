import type { CompiledProblem } from './compiled';
import { Rng } from './rng';
import type { RouteCombiner } from './route-combiner';
import { RoutePool } from './route-pool';

/*
 * Search engine: iterated local search with SISR ruin-and-recreate (Christiaens & Vanden Berghe 2020)
 * and a granular, penalised local search in the style of HGS (Vidal et al. 2013, Vidal 2022).
 * Time-window and capacity violations are allowed during the search and penalised (time warp,
 * Nagata et al. 2010); route costs of candidate moves are evaluated in O(1) by concatenating cached
 * prefix / suffix segments (Vidal et al. 2013). Route minimisation drops a route, reinserts its stops
 * through an ejection pool (Nagata & Bräysy 2009) and lets the penalised search repair what is left.
 */

// Math and Infinity are read once: in a vm context (Jest runs tests in one) every global lookup goes
// through the context's interceptor, and Math.max in a hot loop ran 35 times slower than a local.
const { abs, floor, log, max, min, pow, round } = Math;
const INF = Infinity;

// Segment record layout (stride = FIELDS + nClasses).
const F_DIST = 0;
const F_DUR = 1;
const F_TW = 2;
const F_EARLY = 3;
const F_LATE = 4;
const FIELDS = 5;

const EPS = 1e-9;
/** Distance weight while repairing a solution with one route fewer (feasibility first). */
const RM_DIST_WEIGHT = 0.1;
/**
 * Iterations, or share of the budget (after a minimum of iterations), after which a route-elimination
 * attempt is restarted on another route. Tight R1 instances (R104, R112: 9 vehicles) run ~250
 * iterations a second, so 2500 iterations were one attempt per run and the fleet was never reached.
 * 8 % (it was 4 %): RC106 then reached its 11 vehicles in 5 of 6 seeds with a gap of 0.00 % (4 %: 5
 * of 6, gaps up to 3 %), R104 in 6 of 6 (5 of 6).
 */
const RM_ATTEMPT_ITERATIONS = 2500;
const RM_ATTEMPT_SHARE = 0.08;
const RM_ATTEMPT_MIN_ITERATIONS = 20;
/**
 * Times an attempt continues from its repaired, still infeasible plan (the stops that make it
 * infeasible go back to the ejection pool) before the next attempt starts again from the best plan.
 * Tight R1/RC1 instances at 5 s, 20 instances × 6 seeds: runs that missed the fleet 4 of 120 with one
 * continuation, 10 of 120 with none, 4 of 60 with three (then one unlucky route choice takes half the
 * budget).
 */
const RM_CONTINUATIONS = 1;
/** Added to a route's score (its stop count) per failed attempt to remove it: larger than any route. */
const FAILED_REMOVAL_PENALTY = 1e6;
/** Insertion steps of the ejection pool per route-elimination attempt. */
const EP_STEPS = 3000;
const EP_STEPS_PER_ITERATION = 20;
/**
 * Stops the ejection search may choose for an insertion of the ejection pool: one or two, and three
 * where two do not suffice (Nagata & Bräysy 2009 go up to five); of three, two are ejected (see
 * ejectionPool).
 */
const MAX_EJECTIONS = 3;
/**
 * Routes near a stop (those visiting its nearest stops) that an insertion with ejections or a search
 * insertion tries on plans of more than twice as many routes (granular, like the local search).
 */
const ROUTES_NEAR = 12;
const FEAS_EPS = 1e-7;
const NO_POSITIONS = new Int32Array(0);
/**
 * Outside route elimination the adaptive penalty weights rise to at most this multiple of their
 * initial values: 50, or half the number of stops on larger plans. Uncapped, the weights of 100-stop
 * plans climbed to 400–870, where the walk sees feasibility only; capped at 50 it keeps crossing the
 * border (Solomon 0.13–0.16 % against 0.20–0.21 %; capped at 25, 0.18 %). A plan is feasible only
 * when every route is, so more routes need higher weights: capped at 50, r1_10_1 (1000 stops, 100
 * routes) had ~18 infeasible routes at any time and ended at +12 %; capped at 500 it ends as
 * uncapped or better.
 */
const WEIGHT_CAP_MIN = 50;
const WEIGHT_CAP_PER_STOP = 0.5;

/** The highest multiple of its initial value a penalty weight may reach on a plan of this many stops. */
export function penaltyWeightCap(stops: number): number {
  return max(WEIGHT_CAP_MIN, WEIGHT_CAP_PER_STOP * stops);
}

/** Upper bound of a penalty weight during route elimination (where the cap above does not apply). */
const MAX_WEIGHT = 1e5;

/**
 * A penalty weight after a window of iterations: raised by 30 % (up to `maxWeight`) when fewer than
 * a fifth of them were feasible in its constraint, lowered by 15 % when more than half were.
 */
export function adaptPenaltyWeight(weight: number, feasibleShare: number, maxWeight: number): number {
  if (feasibleShare < 0.2) return min(weight * 1.3, maxWeight);
  if (feasibleShare > 0.5) return max(weight * 0.85, 0.01);
  return weight;
}

/**
 * Plans of more than this many routes anneal at proportionally lower temperatures. An iteration
 * (a ruin of ~15 stops) changes a few routes, so on 100 routes each part of the plan sees a tenth of
 * the iterations it sees on 10, and a schedule tuned on Solomon's 100 stops (first plans of at most
 * 22 routes) was still too hot for most of a 60 s run on r1_10_1 (+2.96 % over seeds 1–6; at a third of the
 * temperatures +2.00 %, no run worse than the default's median). Long-route plans (r2_10_1, 19
 * routes) keep the default: at a third of it they ended worse (+2.17 against +1.73 %).
 */
const ANNEALING_FULL_ROUTES = 30;

/** Factor on the annealing temperatures for a plan that starts with this many routes (1 up to 30). */
export function annealingScale(routes: number): number {
  return min(1, ANNEALING_FULL_ROUTES / max(1, routes));
}

/**
 * Neighbours per stop of the granular local search. The local search takes three quarters of an
 * iteration on 1000 stops (profile of rc1_10_1), where a 60 s run gets ~35 iterations per stop
 * against thousands on Solomon's 100: there 20 neighbours instead of 30 buy more iterations than
 * the moves they drop would have found (seeds 1–8 at 60 s: r1_10_1 +2.27 → +1.94 %, rc1_10_1
 * +4.20 → +3.84 %; 15 and 10 were worse on rc1_10_1). On Solomon 20 and 30 were within the noise
 * (fifth session), so plans of up to 200 stops keep 30.
 */
const GRANULARITY = 30;
const GRANULARITY_LARGE = 20;
const LARGE_PLAN_STOPS = 200;

/** Default neighbours per stop of the local search for a problem with this many stops. */
export function defaultGranularity(stops: number): number {
  return stops > LARGE_PLAN_STOPS ? GRANULARITY_LARGE : GRANULARITY;
}

/** Iterations the current solution may stay infeasible, despite penalty weights raised a hundredfold, before the walk restarts from its last feasible plan. */
const RESTART_ITERATIONS = 300;
/** …or for this share of the budget whatever the weights (large instances run few iterations). */
const RESTART_SHARE = 0.1;

/**
 * A walk whose own best has not improved for this share of the budget (and 1000 iterations) restarts
 * from the best plan with a large ruin (this share of the stops, long strings) and a reheated
 * annealing schedule. Long routes (R2/RC2) otherwise sat in one basin for most of the budget.
 */
const STAGNATION_SHARE = 0.1;
const RESTART_RUIN_SHARE = 0.3;
/**
 * Share of the restarts that start afresh (every stop out, recreated in a random order on the same
 * vehicles) instead of from the best plan: walks that all start from the best plan fall back into its
 * basin (RC204 ended at 816.33 in many seeds against 798.4 best known), and their elite plans, the
 * crossover donors, differ little from it.
 */
const FRESH_START_SHARE = 0.5;
/**
 * With a route combiner: the feasible routes of plans within POOL_SLACK above the best (the pool is
 * pruned to that bound whenever it doubles beyond POOL_PRUNE_SIZE routes) are combined by set
 * partitioning once, when COMBINE_SHARE of the budget is left (and the walk goes on from the result).
 */
const POOL_SLACK = 0.01;
const POOL_PRUNE_SIZE = 20_000;
const COMBINE_SHARE = 0.05;
/** Plans kept from past walks as crossover donors. */
const ELITE_SIZE = 6;

/** Minimum improvement for a move: relative, so that large penalty weights cannot cause cycling. */
function tol(cost: number): number {
  return EPS + 1e-11 * abs(cost);
}

export interface EngineOptions {
  seed: number;
  timeLimitMs: number;
  maxIterations: number;
  signal?: { readonly aborted: boolean };
  now: () => number;
  /** Clock reading when solving began (set-up counts against the time limit); default: start of run(). */
  startedAt?: number;
  /** Share of the time budget that may be spent removing routes (0 disables route minimisation). */
  vehicleReductionShare: number;
  /** Stop removing vehicles once the plan uses this many (0: keep trying while budget lasts). */
  vehicleTarget: number;
  /**
   * Hard limit on the vehicles a plan may use. Plans above it rank below every plan within it, and
   * route minimisation keeps going (whatever vehicleReductionShare says) until one is found.
   */
  maxVehicles: number;
  /**
   * Share of the budget after which the search stops if it has no plan within the fleet yet, so that
   * the caller can spend the rest on the plan it will return (default 1: never).
   */
  fleetGiveUpShare?: number;
  /** Plan to start from instead of a construction: customer sequences per vehicle (feasible, within the fleet). */
  initial?: number[][];
  /**
   * Set partitioning over the routes of good plans (route-combiner.ts); used on plain fleets
   * (identical vehicles, no locks, prefixes, vehicle restrictions or ride limits) of plans up to
   * LARGE_PLAN_STOPS stops.
   */
  combineRoutes?: RouteCombiner;
  onProgress?: (p: EngineProgress) => void;
}

export interface EngineProgress {
  elapsedMs: number;
  bestCost: number;
  vehicles: number;
  distance: number;
  feasible: boolean;
}

export interface EngineResult {
  stopReason: 'time-limit' | 'iterations' | 'cancelled';
  routes: number[][];
  feasible: boolean;
  iterations: number;
  elapsedMs: number;
  /**
   * While no plan within the fleet was found: the feasible plan within the fleet that left the fewest
   * stops unplaced, as route elimination's ejection pool reached it (the stops it lacks fit nowhere).
   */
  partial?: number[][];
}

/**
 * The k entries of `items` with the smallest key, in increasing key order. A native sort of the keys
 * finds the k-th smallest, then only those k are sorted with a comparator (sorting every customer's
 * full list with a comparator took most of a second on 1000 stops).
 */
function nearest(items: number[], key: Float64Array, k: number): Int32Array {
  if (k <= 0) return new Int32Array(0);
  const keys = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) keys[i] = key[items[i]];
  keys.sort();
  const threshold = keys[min(k, keys.length) - 1];
  const chosen: number[] = [];
  for (let i = 0; i < items.length; i++) if (key[items[i]] <= threshold) chosen.push(items[i]);
  chosen.sort((a, b) => key[a] - key[b] || a - b);
  return Int32Array.from(chosen.slice(0, k));
}

export class Engine {
  private readonly p: CompiledProblem;
  private readonly n: number;
  private readonly C: number;
  private readonly S: number;
  private readonly R: number;
  private readonly rng: Rng;

  private readonly nodeSeg: Float64Array;
  private readonly startSeg: Float64Array;
  private readonly endSeg: Float64Array;

  readonly seq: number[][];
  private readonly pre: Float64Array[];
  private readonly suf: Float64Array[];
  /** arc[r][i]: distance from the stop at position i of route r to the next one (kept by updateRoute). */
  private readonly arc: Float64Array[];
  private readonly pos: Int32Array;
  private readonly routeOf: Int32Array;
  private readonly fixedLen: Int32Array;
  readonly active: Uint8Array;
  private readonly rCost: Float64Array;
  private readonly rDist: Float64Array;
  private readonly rTw: Float64Array;
  private readonly rOver: Float64Array;
  /** Load of each route per class (r * C + c), for the bounds that skip moves. */
  private readonly rLoad: Float64Array;
  private readonly rRide: Float64Array;
  /** Penalty part of each route's cost; a move whose distance change alone exceeds it cannot improve. */
  private readonly rPen: Float64Array;
  private symmetric = true;
  private readonly modified: Float64Array;
  private clock = 1;

  private wTw = 1;
  private wCap = 1;
  /**
   * Vehicle cost seen by the search: only the difference to the cheapest vehicle. The number of
   * vehicles is reduced by the route-minimisation phase, not by the local search, whose penalty
   * weights would otherwise be dwarfed by the fixed cost.
   */
  private readonly searchFixed: Float64Array;

  private readonly neighbours: Int32Array[];
  private readonly adjacency: Int32Array[];
  private readonly customers: Int32Array;
  private readonly movable: Uint8Array;

  // accumulator
  private readonly acc: Float64Array;
  private accLast = 0;
  private accCount = 0;
  /** Where the accumulated segment is read from: a route's prefix cache after accPre (not copied), else acc. */
  private accSrc: Float64Array = new Float64Array(0);
  private accOff = 0;

  constructor(problem: CompiledProblem, seed: number, granularity: number) {
    this.p = problem;
    this.n = problem.nNodes;
    this.C = problem.nClasses;
    this.S = FIELDS + this.C;
    this.R = problem.nVehicles;
    this.rng = new Rng(seed);
    const { n, S, R, C } = this;

    this.nodeSeg = new Float64Array(n * S);
    for (let v = 0; v < n; v++) {
      const o = v * S;
      this.nodeSeg[o + F_DUR] = problem.service[v];
      this.nodeSeg[o + F_EARLY] = problem.ready[v];
      this.nodeSeg[o + F_LATE] = problem.due[v];
      for (let c = 0; c < C; c++) this.nodeSeg[o + FIELDS + c] = problem.demand[v * C + c];
    }
    this.startSeg = new Float64Array(R * S);
    this.endSeg = new Float64Array(R * S);
    for (let r = 0; r < R; r++) {
      const o = r * S;
      for (const seg of [this.startSeg, this.endSeg]) {
        seg[o + F_EARLY] = problem.shiftStart[r];
        seg[o + F_LATE] = problem.shiftEnd[r];
      }
    }

    const nCust = problem.routable.length;
    this.customers = problem.routable;
    this.movable = new Uint8Array(n);
    for (const u of problem.routable) this.movable[u] = 1;
    this.seq = [];
    this.pre = [];
    this.suf = [];
    this.arc = [];
    this.nearRouteList = new Int32Array(R);
    this.nearRouteStamp = new Int32Array(R);
    this.pos = new Int32Array(n).fill(-1);
    this.routeOf = new Int32Array(n).fill(-1);
    this.fixedLen = new Int32Array(R);
    this.active = new Uint8Array(R).fill(1);
    this.rCost = new Float64Array(R);
    this.rDist = new Float64Array(R);
    this.rTw = new Float64Array(R);
    this.rOver = new Float64Array(R);
    this.rLoad = new Float64Array(R * this.C);
    this.rRide = new Float64Array(R);
    this.rPen = new Float64Array(R);
    this.modified = new Float64Array(R);
    const maxLen = nCust + 2 + problem.fixedPrefix.reduce((s, f) => s + f.length, 0);
    for (let r = 0; r < R; r++) {
      const prefix = problem.fixedPrefix[r] ?? [];
      for (const u of prefix) this.movable[u] = 0;
      this.fixedLen[r] = prefix.length;
      this.seq.push([problem.vehicleStart[r], ...prefix, problem.vehicleEnd[r]]);
      this.pre.push(new Float64Array(maxLen * S));
      this.suf.push(new Float64Array(maxLen * S));
      this.arc.push(new Float64Array(maxLen));
    }
    this.acc = new Float64Array(S);
    this.accSrc = this.acc;
    let minFixed = INF;
    for (let r = 0; r < R; r++) minFixed = min(minFixed, problem.fixedCost[r]);
    this.searchFixed = Float64Array.from(problem.fixedCost, (f) => f - minFixed);

    // Initial penalty weights: one unit of time warp costs about one unit of distance; one unit of
    // overload costs about a typical arc per typical demand.
    let maxDist = 0;
    let maxDemand = 0;
    for (let i = 0; i < n * n; i++) if (problem.dist[i] > maxDist) maxDist = problem.dist[i];
    for (let i = 0; i < problem.demand.length; i++) if (problem.demand[i] > maxDemand) maxDemand = problem.demand[i];
    this.wTw = 1;
    this.wCap = maxDemand > 0 ? max(0.1, min(1000, maxDist / maxDemand)) : 1;

    const sorted = this.buildNeighbours(granularity);
    this.neighbours = sorted.neighbours;
    this.adjacency = sorted.adjacency;

    for (let r = 0; r < R; r++) this.updateRoute(r);
  }

  // ---------------------------------------------------------------- neighbourhoods

  private buildNeighbours(granularity: number): { neighbours: Int32Array[]; adjacency: Int32Array[] } {
    const { p, n } = this;
    const cust = Array.from(this.customers).concat(
      p.fixedPrefix.flat().filter((u) => !this.customers.includes(u)),
    );
    const neighbours: Int32Array[] = new Array(n);
    const adjacency: Int32Array[] = new Array(n);
    const adjSize = min(cust.length - 1, 100);
    const gran = min(cust.length - 1, granularity);
    const score = new Float64Array(n);
    const plain = new Float64Array(n);
    for (const u of cust) {
      const others = cust.filter((v) => v !== u);
      for (const v of others) {
        const d = p.dist[u * n + v];
        const t = p.time[u * n + v];
        // correlation of Vidal et al. / Kool et al.: distance plus expected waiting and time warp,
        // symmetric over both visiting orders
        const waitUV = max(p.ready[v] - p.service[u] - t - p.due[u], 0);
        const warpUV = max(p.ready[u] + p.service[u] + t - p.due[v], 0);
        const waitVU = max(p.ready[u] - p.service[v] - t - p.due[v], 0);
        const warpVU = max(p.ready[v] + p.service[v] + t - p.due[u], 0);
        score[v] = d + min(0.2 * waitUV + warpUV, 0.2 * waitVU + warpVU);
        plain[v] = d;
      }
      neighbours[u] = nearest(others, score, gran);
      adjacency[u] = nearest(others, plain, adjSize);
    }
    return { neighbours, adjacency };
  }

  // ---------------------------------------------------------------- segments

  /** out[o..] = A[a..] ⊕ B[b..], where aLast is A's last node and bFirst is B's first node. */
  private concat(
    A: Float64Array, a: number, aLast: number,
    B: Float64Array, b: number, bFirst: number,
    out: Float64Array, o: number,
  ): void {
    const k = aLast * this.n + bFirst;
    const t = this.p.time[k];
    const aDur = A[a + F_DUR];
    const aTw = A[a + F_TW];
    const aEarly = A[a + F_EARLY];
    const aLate = A[a + F_LATE];
    const bEarly = B[b + F_EARLY];
    const bLate = B[b + F_LATE];
    const delta = aDur - aTw + t;
    const dWait = max(bEarly - delta - aLate, 0);
    const dWarp = max(aEarly + delta - bLate, 0);
    out[o + F_DIST] = A[a + F_DIST] + B[b + F_DIST] + this.p.dist[k];
    out[o + F_DUR] = aDur + B[b + F_DUR] + t + dWait;
    out[o + F_TW] = aTw + B[b + F_TW] + dWarp;
    out[o + F_EARLY] = max(bEarly - delta, aEarly) - dWait;
    out[o + F_LATE] = min(bLate - delta, aLate) + dWarp;
    for (let c = FIELDS; c < this.S; c++) out[o + c] = A[a + c] + B[b + c];
  }

  private updateRoute(r: number): void {
    const s = this.seq[r];
    const m = s.length - 2;
    const S = this.S;
    const pre = this.pre[r];
    const suf = this.suf[r];
    for (let i = 0; i < S; i++) pre[i] = this.startSeg[r * S + i];
    for (let i = 1; i <= m; i++) {
      const v = s[i];
      this.pos[v] = i;
      this.routeOf[v] = r;
      this.concat(pre, (i - 1) * S, s[i - 1], this.nodeSeg, v * S, v, pre, i * S);
    }
    this.concat(pre, m * S, s[m], this.endSeg, r * S, s[m + 1], pre, (m + 1) * S);
    if (m > 0) {
      const v = s[m];
      for (let i = 0; i < S; i++) suf[m * S + i] = this.nodeSeg[v * S + i];
      for (let i = m - 1; i >= 1; i--) {
        const u = s[i];
        this.concat(this.nodeSeg, u * S, u, suf, (i + 1) * S, s[i + 1], suf, i * S);
      }
    }
    const arc = this.arc[r];
    const d = this.p.dist;
    for (let i = 0; i <= m; i++) arc[i] = d[s[i] * this.n + s[i + 1]];
    const o = (m + 1) * S;
    this.rDist[r] = pre[o + F_DIST];
    let over = 0;
    for (let c = 0; c < this.C; c++) {
      this.rLoad[r * this.C + c] = pre[o + FIELDS + c];
      over += max(0, pre[o + FIELDS + c] - this.p.capacity[r * this.C + c]);
    }
    this.rOver[r] = over;
    this.rTw[r] = pre[o + F_TW] + max(0, pre[o + F_DUR] - this.p.maxDuration[r]);
    this.rRide[r] = this.p.hasRideLimits ? this.rideExcess(s, pre[o + F_LATE]) : 0;
    this.rCost[r] = this.routeCostOf(r, m);
    this.modified[r] = ++this.clock;
  }

  private routeCostOf(r: number, m: number): number {
    this.rPen[r] = m === 0 ? 0 : this.wTw * (this.rTw[r] + this.rRide[r]) + this.wCap * this.rOver[r];
    if (m === 0) return 0;
    return (
      this.rDist[r] * this.p.distanceCost[r] * this.distWeight +
      this.searchFixed[r] +
      this.wTw * (this.rTw[r] + this.rRide[r]) +
      this.wCap * this.rOver[r]
    );
  }

  /**
   * Ride-time excess of a route: leave the depot as late as the route allows without extra time warp,
   * then sum, over stops with a limit, how much arrival − departure exceeds it.
   */
  private rideExcess(s: number[], latestDeparture: number): number {
    const p = this.p;
    const n = this.n;
    let t = latestDeparture;
    const departure = t;
    let excess = 0;
    for (let i = 1; i < s.length - 1; i++) {
      const v = s[i];
      const arrive = t + p.time[s[i - 1] * n + v];
      if (arrive - departure > p.maxRide[v]) excess += arrive - departure - p.maxRide[v];
      const start = min(max(arrive, p.ready[v]), max(p.due[v], p.ready[v]));
      t = start + p.service[v];
    }
    return excess;
  }

  // accumulator helpers
  /** Starts the accumulator at the segment src[off..] (read in place, not copied), ending at node last. */
  private accFrom(src: Float64Array, off: number, last: number, count: number): void {
    this.accSrc = src;
    this.accOff = off;
    this.accLast = last;
    this.accCount = count;
  }

  private accPre(r: number, i: number): void {
    this.accFrom(this.pre[r], i * this.S, this.seq[r][i], i);
  }

  private accNode(v: number): void {
    this.concat(this.accSrc, this.accOff, this.accLast, this.nodeSeg, v * this.S, v, this.acc, 0);
    this.accSrc = this.acc;
    this.accOff = 0;
    this.accLast = v;
    this.accCount++;
  }

  private accSuf(r: number, j: number): void {
    const s = this.seq[r];
    const m = s.length - 2;
    if (j > m) return;
    this.concat(this.accSrc, this.accOff, this.accLast, this.suf[r], j * this.S, s[j], this.acc, 0);
    this.accSrc = this.acc;
    this.accOff = 0;
    this.accLast = s[m];
    this.accCount += m - j + 1;
  }

  /** Closes the accumulated route at the end depot of vehicle r and returns its penalised cost. */
  private accClose(r: number): number {
    if (this.accCount === 0) return 0;
    const S = this.S;
    this.concat(this.accSrc, this.accOff, this.accLast, this.endSeg, r * S, this.p.vehicleEnd[r], this.acc, 0);
    this.accSrc = this.acc;
    this.accOff = 0;
    const a = this.acc;
    let over = 0;
    for (let c = 0; c < this.C; c++) over += max(0, a[FIELDS + c] - this.p.capacity[r * this.C + c]);
    const tw = a[F_TW] + max(0, a[F_DUR] - this.p.maxDuration[r]);
    return a[F_DIST] * this.p.distanceCost[r] * this.distWeight + this.searchFixed[r] + this.wTw * tw + this.wCap * over;
  }

  /** Exact penalised cost of an arbitrary customer sequence on vehicle r (O(length)). */
  private seqCost(r: number, s: number[]): number {
    this.accFrom(this.startSeg, r * this.S, s[0], 0);
    for (let i = 1; i < s.length - 1; i++) this.accNode(s[i]);
    const base = this.accClose(r);
    if (!this.p.hasRideLimits || this.accCount === 0) return base;
    return base + this.wTw * this.rideExcess(s, this.acc[F_LATE]);
  }

  private canServe(u: number, r: number): boolean {
    const p = this.p;
    if (!this.active[r]) return false;
    const lock = p.lockedVehicle[u];
    if (lock >= 0 && lock !== r) return false;
    return p.allowed === null || p.allowed[u * this.R + r] === 1;
  }

  private blockAllowed(s: number[], from: number, to: number, r: number): boolean {
    if (this.p.allowed === null && !this.hasLocks) return true;
    for (let i = from; i < to; i++) if (!this.canServe(s[i], r)) return false;
    return true;
  }

  private get hasLocks(): boolean {
    return this.lockCount > 0;
  }

  private lockCount = -1;

  /**
   * No locks, no vehicle restrictions, no fixed prefixes: every stop may go anywhere on any vehicle, so
   * the move evaluations skip those checks (the hottest code of the search).
   */
  private freeMoves = false;

  // ---------------------------------------------------------------- costs

  totalCost(): number {
    let s = 0;
    for (let r = 0; r < this.R; r++) s += this.rCost[r];
    return s;
  }

  isFeasible(): boolean {
    if (!this.routesFeasible()) return false;
    for (const u of this.customers) if (this.routeOf[u] < 0) return false;
    return true;
  }

  /** Every route keeps its windows, loads, durations and ride limits (stops may be unplaced). */
  private routesFeasible(): boolean {
    for (let r = 0; r < this.R; r++) {
      if (this.rTw[r] > FEAS_EPS || this.rOver[r] > FEAS_EPS || this.rRide[r] > FEAS_EPS) return false;
    }
    return true;
  }

  /** Objective without penalties: fixed costs plus weighted distance. */
  plainCost(): number {
    let s = 0;
    for (let r = 0; r < this.R; r++) {
      if (this.seq[r].length > 2) s += this.p.fixedCost[r] + this.rDist[r] * this.p.distanceCost[r];
    }
    return s;
  }

  usedRoutes(): number {
    let k = 0;
    for (let r = 0; r < this.R; r++) if (this.seq[r].length > 2) k++;
    return k;
  }

  distance(): number {
    let s = 0;
    for (let r = 0; r < this.R; r++) if (this.seq[r].length > 2) s += this.rDist[r];
    return s;
  }

  /** Weight of distance in the search objective: lowered while a reduced fleet is being repaired. */
  private distWeight = 1;

  private setPenalties(wTw: number, wCap: number, distWeight = this.distWeight): void {
    this.wTw = wTw;
    this.wCap = wCap;
    this.distWeight = distWeight;
    for (let r = 0; r < this.R; r++) this.rCost[r] = this.routeCostOf(r, this.seq[r].length - 2);
  }

  // ---------------------------------------------------------------- construction

  /** Removes a stop from its route (route caches are refreshed by the caller via refresh()). */
  private detach(u: number): number {
    const r = this.routeOf[u];
    this.seq[r].splice(this.pos[u], 1);
    for (let i = this.pos[u]; i < this.seq[r].length - 1; i++) this.pos[this.seq[r][i]] = i;
    this.routeOf[u] = -1;
    this.pos[u] = -1;
    return r;
  }

  /**
   * Cheapest (penalised) insertion of u over all active routes; blinks skip positions at random
   * (SISR). When preferFeasible is set, an empty vehicle is opened before accepting penalties.
   */
  private insert(u: number, blink: number, preferFeasible: boolean): void {
    let best = INF;
    let bestR = -1;
    let bestP = -1;
    let bestFeasible = INF;
    let bestFR = -1;
    let bestFP = -1;
    let triedEmpty = false;
    // Lower bound: the distance an insertion adds (time warp and load never shrink when a stop is
    // added, travel times obeying the triangle inequality, and an empty route only adds its fixed
    // cost), so most positions are skipped unscheduled.
    const prune = this.bounded() && !preferFeasible;
    const routes = preferFeasible ? null : this.insertionRoutes(u);
    const count = routes === null ? this.R : this.insertionRouteCount;
    for (let k = 0; k < count; k++) {
      const r = routes === null ? k : routes[k];
      if (!this.canServe(u, r)) continue;
      const s = this.seq[r];
      const m = s.length - 2;
      const dw = this.p.distanceCost[r] * this.distWeight;
      if (m === 0) {
        // identical empty vehicles give identical costs: try only the first
        if (triedEmpty && this.p.allowed === null && this.p.fixedPrefix[r].length === 0 && this.homogeneous) continue;
        triedEmpty = true;
      }
      const base = this.rCost[r];
      for (let i = this.fixedLen[r]; i <= m; i++) {
        if (blink > 0 && this.rng.next() < blink) continue;
        if (prune && this.addedDistance(r, i, u) * dw >= best) continue;
        this.accPre(r, i);
        this.accNode(u);
        this.accSuf(r, i + 1);
        const c = this.accClose(r) - base;
        if (c < best) {
          best = c;
          bestR = r;
          bestP = i;
        }
        // construction: a feasible slot in a used route beats opening a vehicle, which beats penalties
        if (preferFeasible && c + (m === 0 ? 1e12 : 0) < bestFeasible && this.lastInsertFeasible(r)) {
          bestFeasible = c + (m === 0 ? 1e12 : 0);
          bestFR = r;
          bestFP = i;
        }
      }
    }
    if (preferFeasible && bestFR >= 0) {
      bestR = bestFR;
      bestP = bestFP;
    }
    if (bestR < 0) {
      // every position blinked: fall back to appending to the first route that may take u
      for (let r = 0; r < this.R && bestR < 0; r++) {
        if (this.canServe(u, r)) {
          bestR = r;
          bestP = this.seq[r].length - 2;
        }
      }
      if (bestR < 0) return;
    }
    this.seq[bestR].splice(bestP + 1, 0, u);
    this.updateRoute(bestR);
    if (this.inQueue.length === this.n) this.markAround(u);
  }

  private homogeneous = true;

  private readonly nearRouteList: Int32Array;
  private readonly nearRouteStamp: Int32Array;
  private nearStamp = 0;
  private insertionRouteCount = 0;

  /**
   * Writes the routes that visit u's nearest stops (ROUTES_NEAR of them, nearest first) to
   * nearRouteList and returns their count; -1 on a plan of few routes (every route is tried then).
   */
  private nearRoutes(u: number): number {
    if (this.usedRoutes() <= 2 * ROUTES_NEAR) return -1;
    const list = this.nearRouteList;
    const stamp = this.nearRouteStamp;
    const mark = ++this.nearStamp;
    let count = 0;
    const adj = this.adjacency[u];
    for (let k = 0; k < adj.length && count < ROUTES_NEAR; k++) {
      const r = this.routeOf[adj[k]];
      if (r >= 0 && stamp[r] !== mark) {
        stamp[r] = mark;
        list[count++] = r;
      }
    }
    return count;
  }

  /**
   * Routes a search insertion of u tries: on plans of many routes those near u and the empty
   * vehicles (insertionRouteCount of them), else null (all routes; also for a stop locked to a
   * vehicle or with allowed vehicles). Trying every position of every route took half of a run on
   * 1000 stops (rc1_10_1: ~1100 positions per stop), and the cheapest insertion lies next to a near stop.
   */
  private insertionRoutes(u: number): Int32Array | null {
    if (this.p.allowed !== null || this.p.lockedVehicle[u] >= 0) return null;
    let count = this.nearRoutes(u);
    if (count < 0) return null;
    const list = this.nearRouteList;
    const stamp = this.nearRouteStamp;
    for (let r = 0; r < this.R; r++) {
      if (stamp[r] !== this.nearStamp && this.active[r] && this.seq[r].length === 2 + this.fixedLen[r]) list[count++] = r;
    }
    this.insertionRouteCount = count;
    return list;
  }

  /**
   * Distance added by inserting u between positions i and i + 1 of route r. Insertions call it for
   * every position they try: on symmetric distances it reads u's row only (the row stays in the
   * cache; reading the column missed it on 1000 stops) and the route's cached arc.
   */
  private addedDistance(r: number, i: number, u: number): number {
    const d = this.p.dist;
    const n = this.n;
    const s = this.seq[r];
    const a = s[i];
    const b = s[i + 1];
    return (this.symmetric ? d[u * n + a] : d[a * n + u]) + d[u * n + b] - this.arc[r][i];
  }

  /**
   * Whether moves and insertions are skipped on lower bounds of their cost (distance change, time warp
   * of the parts kept) before they are scheduled: only on fleets of identical vehicles, where one
   * distance weight applies. The bounds never skip an improving move; a test turns them off to check
   * that the search is the same without them. The switch covers the ejection pool's filters
   * (hasRoomFor, arrivesLate) too, so that the same test checks them.
   */
  private useBounds = true;

  private bounded(): boolean {
    return this.homogeneous && this.useBounds;
  }

  /** Whether the accumulator (closed at route r) carries no violation. */
  private lastInsertFeasible(r: number): boolean {
    const a = this.acc;
    if (a[F_TW] > FEAS_EPS || a[F_DUR] - this.p.maxDuration[r] > FEAS_EPS) return false;
    for (let c = 0; c < this.C; c++) if (a[FIELDS + c] - this.p.capacity[r * this.C + c] > FEAS_EPS) return false;
    return true;
  }

  construct(): void {
    this.analyse();
    const order = Array.from(this.customers);
    // hardest first: locked stops, then by time-window end (a classic sequential-insertion order)
    const p = this.p;
    order.sort((a, b) => {
      const la = p.lockedVehicle[a] >= 0 ? 0 : 1;
      const lb = p.lockedVehicle[b] >= 0 ? 0 : 1;
      if (la !== lb) return la - lb;
      return p.due[a] - p.due[b];
    });
    for (const u of order) this.insert(u, 0, true);
  }

  /** Starts from a given plan (customer sequences per vehicle, fixed prefixes included) instead of a construction. */
  private start(routes: number[][]): void {
    this.analyse();
    this.loadAll(this.withDepots(routes), this.active.slice().fill(1));
  }

  /** Customer sequences per vehicle as routes from the vehicle's start depot to its end depot. */
  private withDepots(routes: number[][]): number[][] {
    return routes.map((stops, r) => [this.p.vehicleStart[r], ...stops, this.p.vehicleEnd[r]]);
  }

  /** What the search may rely on: free moves between vehicles, identical vehicles, symmetric travel. */
  private analyse(): void {
    this.lockCount = 0;
    for (let u = 0; u < this.n; u++) if (this.p.lockedVehicle[u] >= 0) this.lockCount++;
    this.freeMoves = this.p.allowed === null && this.lockCount === 0 && this.fixedLen.every((l) => l === 0);
    this.homogeneous = this.checkHomogeneous();
    const { dist, time } = this.p;
    for (let i = 0; i < this.n && this.symmetric; i++) {
      for (let j = i + 1; j < this.n; j++) {
        if (dist[i * this.n + j] !== dist[j * this.n + i] || time[i * this.n + j] !== time[j * this.n + i]) {
          this.symmetric = false;
          break;
        }
      }
    }
  }

  private checkHomogeneous(): boolean {
    const p = this.p;
    for (let r = 1; r < this.R; r++) {
      if (
        p.vehicleStart[r] !== p.vehicleStart[0] || p.vehicleEnd[r] !== p.vehicleEnd[0] ||
        p.shiftStart[r] !== p.shiftStart[0] || p.shiftEnd[r] !== p.shiftEnd[0] ||
        p.maxDuration[r] !== p.maxDuration[0] || p.fixedCost[r] !== p.fixedCost[0] ||
        p.distanceCost[r] !== p.distanceCost[0]
      ) return false;
      for (let c = 0; c < this.C; c++) if (p.capacity[r * this.C + c] !== p.capacity[c]) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- local search

  /** Time warp of route r up to position i (start depot included). */
  private prefixWarp(r: number, i: number): number {
    return this.pre[r][i * this.S + F_TW];
  }

  /** Time warp of route r from position j to its last stop (0 when j is past it). */
  private suffixWarp(r: number, j: number): number {
    return j <= this.seq[r].length - 2 ? this.suf[r][j * this.S + F_TW] : 0;
  }

  /** Time warp of route r up to position i and from position j on: kept by any route keeping both parts. */
  private warpOutside(r: number, i: number, j: number): number {
    return this.prefixWarp(r, i) + this.suffixWarp(r, j);
  }

  /** Applies new sequences for one or two routes if they lower the penalised cost. */
  private commit(ra: number, sa: number[], rb: number, sb: number[] | null, oldCost: number): boolean {
    if (this.p.hasRideLimits) {
      const c = this.seqCost(ra, sa) + (sb ? this.seqCost(rb, sb) : 0);
      if (c > oldCost - tol(oldCost)) return false;
    }
    this.seq[ra] = sa;
    if (sb) this.seq[rb] = sb;
    this.updateRoute(ra);
    if (sb) this.updateRoute(rb);
    return true;
  }

  /**
   * Inter-route exchange: positions [ia, ia+la) of route ra trade places with [ib, ib+lb) of rb
   * (la or lb may be 0, which makes it a relocation). O(1) evaluation.
   */
  private tryExchange(ra: number, ia: number, la: number, rb: number, ib: number, lb: number, revA: boolean): boolean {
    const sa = this.seq[ra];
    const sb = this.seq[rb];
    if (ia + la > sa.length - 1 || ib + lb > sb.length - 1) return false;
    if (!this.freeMoves) {
      if (ia <= this.fixedLen[ra] || ib <= this.fixedLen[rb]) return false;
      for (let k = 0; k < la; k++) if (!this.movable[sa[ia + k]]) return false;
      for (let k = 0; k < lb; k++) if (!this.movable[sb[ib + k]]) return false;
      if (!this.blockAllowed(sa, ia, ia + la, rb) || !this.blockAllowed(sb, ib, ib + lb, ra)) return false;
    }
    if (!this.active[ra] || !this.active[rb]) return false;
    const old = this.rCost[ra] + this.rCost[rb];
    /** Lower bound of route B's new cost, checked once route A's is known. */
    let lowB = 0;
    if (this.bounded()) {
      // lower bounds: the distance change of each route plus the time warp of the parts it keeps (a
      // concatenation never has less time warp than its parts), then the new routes' exact overload
      const d = this.p.dist;
      const n = this.n;
      const dw = this.p.distanceCost[ra] * this.distWeight;
      const aPrev = sa[ia - 1];
      const aNext = sa[ia + la];
      const bPrev = sb[ib - 1];
      const bNext = sb[ib + lb];
      // arcs of the routes as they are come from the routes' caches (fewer reads of the matrix)
      const arcA = this.arc[ra];
      const arcB = this.arc[rb];
      const innerA = la === 2 ? arcA[ia] : 0;
      const innerB = lb === 2 ? arcB[ib] : 0;
      // route A loses its block and receives B's block
      let deltaA = innerB - innerA;
      deltaA -= la === 0 ? arcA[ia - 1] : arcA[ia - 1] + arcA[ia + la - 1];
      deltaA += lb === 0 ? d[aPrev * n + aNext] : d[aPrev * n + sb[ib]] + d[sb[ib + lb - 1] * n + aNext];
      let deltaB = -innerB;
      deltaB -= lb === 0 ? arcB[ib - 1] : arcB[ib - 1] + arcB[ib + lb - 1];
      if (la === 0) deltaB += d[bPrev * n + bNext];
      else if (revA) deltaB += d[bPrev * n + sa[ia + la - 1]] + d[sa[ia] * n + bNext] + (la === 2 ? d[sa[ia + 1] * n + sa[ia]] : 0);
      else deltaB += d[bPrev * n + sa[ia]] + d[sa[ia + la - 1] * n + bNext] + innerA;
      const warpA = this.warpOutside(ra, ia - 1, ia + la);
      const warpB = this.warpOutside(rb, ib - 1, ib + lb);
      const low = (deltaA + deltaB) * dw + this.wTw * (warpA + warpB);
      const pen = this.rPen[ra] + this.rPen[rb] - EPS;
      if (low >= pen) return false;
      // the loads after the move are known exactly: the blocks' loads change places
      let overA = 0;
      let overB = 0;
      const C = this.C;
      const demand = this.p.demand;
      for (let c = 0; c < C; c++) {
        let moved = 0;
        for (let k = 0; k < lb; k++) moved += demand[sb[ib + k] * C + c];
        for (let k = 0; k < la; k++) moved -= demand[sa[ia + k] * C + c];
        overA += max(0, this.rLoad[ra * C + c] + moved - this.p.capacity[ra * C + c]);
        overB += max(0, this.rLoad[rb * C + c] - moved - this.p.capacity[rb * C + c]);
      }
      if (low + this.wCap * (overA + overB) >= pen) return false;
      // (a route B left empty costs nothing, whatever its depots' distance)
      const emptiesB = la === 0 && ib === 1 && ib + lb === sb.length - 1;
      if (!emptiesB) lowB = (this.rDist[rb] + deltaB) * dw + this.wTw * warpB + this.wCap * overB;
    }
    // new route A: A[..ia-1] + B-block + A[ia+la..]
    this.accPre(ra, ia - 1);
    for (let k = 0; k < lb; k++) this.accNode(sb[ib + k]);
    this.accSuf(ra, ia + la);
    const costA = this.accClose(ra);
    if (costA + lowB > old - tol(old)) return false;
    this.accPre(rb, ib - 1);
    if (revA) for (let k = la - 1; k >= 0; k--) this.accNode(sa[ia + k]);
    else for (let k = 0; k < la; k++) this.accNode(sa[ia + k]);
    this.accSuf(rb, ib + lb);
    const costB = this.accClose(rb);
    if (costA + costB > old - tol(old)) return false;
    const blockA = sa.slice(ia, ia + la);
    if (revA) blockA.reverse();
    const na = sa.slice(0, ia).concat(sb.slice(ib, ib + lb), sa.slice(ia + la));
    const nb = sb.slice(0, ib).concat(blockA, sb.slice(ib + lb));
    return this.commit(ra, na, rb, nb, old);
  }

  /** 2-opt*: route A keeps A[..ia], continues with B[ib+1..]; B keeps B[..ib] and continues with A[ia+1..]. */
  private tryTwoOptStar(ra: number, ia: number, rb: number, ib: number): boolean {
    if (!this.active[ra] || !this.active[rb]) return false;
    const sa = this.seq[ra];
    const sb = this.seq[rb];
    if (!this.freeMoves) {
      if (ia < this.fixedLen[ra] || ib < this.fixedLen[rb]) return false;
      if (!this.blockAllowed(sa, ia + 1, sa.length - 1, rb) || !this.blockAllowed(sb, ib + 1, sb.length - 1, ra)) return false;
    }
    const old = this.rCost[ra] + this.rCost[rb];
    if (this.bounded()) {
      const d = this.p.dist;
      const n = this.n;
      const delta =
        d[sa[ia] * n + sb[ib + 1]] + d[sb[ib] * n + sa[ia + 1]] - this.arc[ra][ia] - this.arc[rb][ib];
      // …plus the time warp of the prefixes and suffixes the new routes are made of
      const keptWarp = this.prefixWarp(ra, ia) + this.suffixWarp(rb, ib + 1) + this.prefixWarp(rb, ib) + this.suffixWarp(ra, ia + 1);
      const low = delta * this.p.distanceCost[ra] * this.distWeight + this.wTw * keptWarp;
      const pen = this.rPen[ra] + this.rPen[rb] - EPS;
      if (low >= pen) return false;
      // …and the overload of the new routes, known exactly from the prefixes' loads
      let over = 0;
      const S = this.S;
      const C = this.C;
      for (let c = 0; c < C; c++) {
        const headA = this.pre[ra][ia * S + FIELDS + c];
        const headB = this.pre[rb][ib * S + FIELDS + c];
        over +=
          max(0, headA + this.rLoad[rb * C + c] - headB - this.p.capacity[ra * C + c]) +
          max(0, headB + this.rLoad[ra * C + c] - headA - this.p.capacity[rb * C + c]);
      }
      if (low + this.wCap * over >= pen) return false;
    }
    this.accPre(ra, ia);
    this.accSuf(rb, ib + 1);
    const costA = this.accClose(ra);
    this.accPre(rb, ib);
    this.accSuf(ra, ia + 1);
    const costB = this.accClose(rb);
    if (costA + costB > old - tol(old)) return false;
    const na = sa.slice(0, ia + 1).concat(sb.slice(ib + 1));
    const nb = sb.slice(0, ib + 1).concat(sa.slice(ia + 1));
    na[na.length - 1] = sa[sa.length - 1];
    nb[nb.length - 1] = sb[sb.length - 1];
    return this.commit(ra, na, rb, nb, old);
  }

  /**
   * Appends positions i..j of route r (descending when i > j) to the accumulator; stops early and
   * returns false once the accumulated time warp reaches twLimit (time warp only grows as stops are
   * appended, so the move cannot improve).
   */
  private accRange(r: number, i: number, j: number, twLimit: number): boolean {
    const s = this.seq[r];
    const a = this.acc;
    if (i <= j) {
      for (let k = i; k <= j; k++) {
        this.accNode(s[k]);
        if (a[F_TW] >= twLimit) return false;
      }
    } else {
      for (let k = i; k >= j; k--) {
        this.accNode(s[k]);
        if (a[F_TW] >= twLimit) return false;
      }
    }
    return true;
  }

  /** Applies an intra-route move whose accumulated cost was found to improve. */
  private applyIntra(r: number, ns: number[], old: number): boolean {
    if (this.p.hasRideLimits && this.seqCost(r, ns) > old - tol(old)) return false;
    this.seq[r] = ns;
    this.updateRoute(r);
    return true;
  }

  /** Time warp at which an intra-route move of this distance change (× weight) can no longer pay for the route's penalty. */
  private twLimit(pen: number, weightedDelta: number, bounded: boolean): number {
    return bounded ? (pen - weightedDelta) / this.wTw + FEAS_EPS : INF;
  }

  /**
   * Intra-route relocation, swap and 2-opt between u and v. On fleets of identical vehicles a move is
   * evaluated only if its distance change could pay for the route's penalty, and its schedule is
   * abandoned once the time warp alone rules it out: the route's load (so its overload) is unchanged,
   * so the move improves only if distance change × weight + time-warp penalty < the route's penalty.
   */
  private intraMoves(u: number, v: number): boolean {
    const r = this.routeOf[u];
    const s = this.seq[r];
    const pu = this.pos[u];
    const pv = this.pos[v];
    const fl = this.fixedLen[r];
    if (pu <= fl || pv <= fl) return false;
    const old = this.rCost[r];
    // the route's penalty beyond its overload: what a better schedule may save
    const pen = this.rPen[r] - this.wCap * this.rOver[r];
    const d = this.p.dist;
    const n = this.n;
    const prune = this.bounded();
    const dw = this.p.distanceCost[r] * this.distWeight;
    const removeGain = d[s[pu - 1] * n + u] + d[u * n + s[pu + 1]] - d[s[pu - 1] * n + s[pu + 1]];
    // relocate u right after position t (t = pv: after v; t = pv - 1: before v)
    for (let pass = 0; pass < 2; pass++) {
      const t = pass === 0 ? pv : pv - 1;
      if (t === pu || t === pu - 1 || t < fl) continue;
      const delta = this.addedDistance(r, t, u) - removeGain;
      if (prune && delta * dw >= pen - EPS) continue;
      const limit = this.twLimit(pen, delta * dw, prune);
      let complete: boolean;
      if (t < pu) {
        this.accPre(r, t);
        this.accNode(u);
        complete = this.accRange(r, t + 1, pu - 1, limit);
        if (complete) this.accSuf(r, pu + 1);
      } else {
        this.accPre(r, pu - 1);
        complete = this.accRange(r, pu + 1, t, limit);
        if (complete) {
          this.accNode(u);
          this.accSuf(r, t + 1);
        }
      }
      if (complete && this.accClose(r) < old - tol(old)) {
        const ns = s.slice();
        ns.splice(pu, 1);
        ns.splice(t < pu ? t + 1 : t, 0, u);
        if (this.applyIntra(r, ns, old)) return true;
      }
    }
    const a = min(pu, pv);
    const b = max(pu, pv);
    const x = s[a];
    const y = s[b];
    // swap u and v
    {
      let delta: number;
      if (b === a + 1) delta = d[s[a - 1] * n + y] + d[y * n + x] + d[x * n + s[b + 1]] - d[s[a - 1] * n + x] - d[x * n + y] - d[y * n + s[b + 1]];
      else {
        delta =
          d[s[a - 1] * n + y] + d[y * n + s[a + 1]] + d[s[b - 1] * n + x] + d[x * n + s[b + 1]] -
          d[s[a - 1] * n + x] - d[x * n + s[a + 1]] - d[s[b - 1] * n + y] - d[y * n + s[b + 1]];
      }
      if (!prune || delta * dw < pen - EPS) {
        this.accPre(r, a - 1);
        this.accNode(y);
        if (this.accRange(r, a + 1, b - 1, this.twLimit(pen, delta * dw, prune))) {
          this.accNode(x);
          this.accSuf(r, b + 1);
          if (this.accClose(r) < old - tol(old)) {
            const ns = s.slice();
            ns[a] = y;
            ns[b] = x;
            if (this.applyIntra(r, ns, old)) return true;
          }
        }
      }
    }
    // 2-opt: reverse the path between u and v
    if (b - a >= 2) {
      const delta = d[s[a - 1] * n + y] + d[x * n + s[b + 1]] - d[s[a - 1] * n + x] - d[y * n + s[b + 1]];
      // on asymmetric distances the reversed path's own length changes too: no bound then
      const bounded = prune && this.symmetric;
      if (!bounded || delta * dw < pen - EPS) {
        this.accPre(r, a - 1);
        if (this.accRange(r, b, a, this.twLimit(pen, delta * dw, bounded))) {
          this.accSuf(r, b + 1);
          if (this.accClose(r) < old - tol(old)) {
            const ns = s.slice();
            for (let i = a, j = b; i < j; i++, j--) {
              const tmp = ns[i];
              ns[i] = ns[j];
              ns[j] = tmp;
            }
            if (this.applyIntra(r, ns, old)) return true;
          }
        }
      }
    }
    return false;
  }

  private interMoves(u: number, v: number): boolean {
    const ru = this.routeOf[u];
    const rv = this.routeOf[v];
    const pu = this.pos[u];
    const pv = this.pos[v];
    const su = this.seq[ru];
    const sv = this.seq[rv];
    const xIsCustomer = pu + 1 < su.length - 1;
    const yIsCustomer = pv + 1 < sv.length - 1;
    // relocate u after v / before v
    if (this.tryExchange(ru, pu, 1, rv, pv + 1, 0, false)) return true;
    if (this.tryExchange(ru, pu, 1, rv, pv, 0, false)) return true;
    if (xIsCustomer) {
      // relocate (u, x) after v, plain and reversed, and before v
      if (this.tryExchange(ru, pu, 2, rv, pv + 1, 0, false)) return true;
      if (this.tryExchange(ru, pu, 2, rv, pv + 1, 0, true)) return true;
      if (this.tryExchange(ru, pu, 2, rv, pv, 0, false)) return true;
    }
    // swaps
    if (this.tryExchange(ru, pu, 1, rv, pv, 1, false)) return true;
    if (xIsCustomer && this.tryExchange(ru, pu, 2, rv, pv, 1, false)) return true;
    if (xIsCustomer && yIsCustomer && this.tryExchange(ru, pu, 2, rv, pv, 2, false)) return true;
    // 2-opt*: u -> next(v) and v -> next(u); and pred(u) -> next(v), v -> u
    if (this.tryTwoOptStar(ru, pu, rv, pv)) return true;
    if (this.tryTwoOptStar(ru, pu - 1, rv, pv)) return true;
    if (this.tryTwoOptStar(ru, pu, rv, pv - 1)) return true;
    return false;
  }

  // "don't look bits": only stops near a change are (re)examined by the local search
  private inQueue: Uint8Array = new Uint8Array(0);
  private queue: number[] = [];
  private queueHead = 0;

  private mark(u: number): void {
    if (u >= this.p.nDepots && this.movable[u] && !this.inQueue[u]) {
      this.inQueue[u] = 1;
      this.queue.push(u);
    }
  }

  private markAround(u: number): void {
    this.mark(u);
    const r = this.routeOf[u];
    if (r < 0) return;
    const s = this.seq[r];
    const i = this.pos[u];
    this.mark(s[i - 1]);
    this.mark(s[i + 1]);
  }

  private neighbourOf(u: number, offset: number): number {
    const r = this.routeOf[u];
    return r < 0 ? -1 : this.seq[r][this.pos[u] + offset];
  }

  /**
   * Granular first-improvement local search. With all = false only stops marked since the last
   * call (around ruined, inserted or moved stops) are examined.
   */
  localSearch(all: boolean): void {
    if (this.inQueue.length !== this.n) this.inQueue = new Uint8Array(this.n);
    if (all) {
      const order = Array.from(this.customers);
      this.rng.shuffle(order);
      for (const u of order) this.mark(u);
    }
    // safety net against numerical cycling: a bounded number of examined stops per call
    let budget = 200 * this.n + this.queue.length;
    while (this.queueHead < this.queue.length && budget-- > 0) {
      const u = this.queue[this.queueHead++];
      this.inQueue[u] = 0;
      if (!this.movable[u] || this.routeOf[u] < 0) continue;
      const nb = this.neighbours[u];
      for (let k = 0; k < nb.length; k++) {
        const v = nb[k];
        const ru = this.routeOf[u];
        const rv = this.routeOf[v];
        if (rv < 0 || ru < 0) continue;
        const pu = this.neighbourOf(u, -1);
        const su = this.neighbourOf(u, 1);
        const pv = this.neighbourOf(v, -1);
        const sv = this.neighbourOf(v, 1);
        const moved = ru === rv ? this.intraMoves(u, v) : this.interMoves(u, v);
        if (moved) {
          this.markAround(u);
          this.markAround(v);
          this.markAround(su);
          this.markAround(sv);
          this.mark(pu);
          this.mark(pv);
        }
      }
      // move into an empty vehicle
      const ru = this.routeOf[u];
      if (ru >= 0 && this.seq[ru].length > 3) {
        for (let r = 0; r < this.R; r++) {
          if (r !== ru && this.seq[r].length === 2 + this.fixedLen[r] && this.active[r] && this.canServe(u, r)) {
            const pu = this.neighbourOf(u, -1);
            const su = this.neighbourOf(u, 1);
            if (this.tryExchange(ru, this.pos[u], 1, r, this.seq[r].length - 1, 0, false)) {
              this.mark(pu);
              this.mark(su);
              this.markAround(u);
            }
            if (this.homogeneous) break;
          }
        }
      }
    }
    for (let i = this.queueHead; i < this.queue.length; i++) this.inQueue[this.queue[i]] = 0;
    this.queue.length = 0;
    this.queueHead = 0;
  }

  // ---------------------------------------------------------------- ruin and recreate (SISR)

  private ruinRecreate(avgRemoved: number, maxString: number): void {
    const removed: number[] = [];
    let totalCust = 0;
    let used = 0;
    for (let r = 0; r < this.R; r++) {
      const m = this.seq[r].length - 2;
      if (m > 0) {
        totalCust += m;
        used++;
      }
    }
    const avgLen = used > 0 ? totalCust / used : 1;
    const lsMax = min(maxString, avgLen);
    const ksMax = (4 * avgRemoved) / (1 + lsMax) - 1;
    const ks = floor(this.rng.next() * ksMax) + 1;
    if (this.customers.length === 0) return;
    const seed = this.customers[this.rng.int(this.customers.length)];
    const ruined = new Set<number>();
    const candidates = [seed, ...this.adjacency[seed]];
    for (const c of candidates) {
      if (ruined.size >= ks) break;
      const r = this.routeOf[c];
      if (r < 0 || ruined.has(r) || !this.movable[c]) continue;
      ruined.add(r);
      const s = this.seq[r];
      const m = s.length - 2;
      const lMax = min(m, lsMax);
      const l = floor(this.rng.next() * lMax) + 1;
      // string of length l containing c, at a random offset
      const pc = this.pos[c];
      let start = pc - this.rng.int(l);
      if (start < 1) start = 1;
      if (start + l - 1 > m) start = max(1, m - l + 1);
      const splitString = l < m && this.rng.next() < 0.5;
      for (let i = start; i < start + l && i <= m; i++) {
        const v = s[i];
        if (!this.movable[v]) continue;
        // split-string: keep a random middle part of the string in place
        if (splitString && i > start && i < start + l - 1 && this.rng.next() < 0.3) continue;
        removed.push(v);
      }
      for (const v of removed) {
        if (this.routeOf[v] === r) {
          this.mark(this.neighbourOf(v, -1));
          this.mark(this.neighbourOf(v, 1));
          this.detach(v);
        }
      }
      this.updateRoute(r);
    }
    this.recreate(removed);
  }

  private recreate(removed: number[]): void {
    const p = this.p;
    const mode = this.rng.int(4);
    const depot = p.vehicleStart[0];
    if (mode === 0) this.rng.shuffle(removed);
    else if (mode === 1) removed.sort((a, b) => this.totalDemand(b) - this.totalDemand(a));
    else if (mode === 2) removed.sort((a, b) => p.dist[depot * this.n + b] - p.dist[depot * this.n + a]);
    else removed.sort((a, b) => p.due[a] - p.due[b]);
    for (const u of removed) this.insert(u, 0.01, false);
  }

  private totalDemand(u: number): number {
    let s = 0;
    for (let c = 0; c < this.C; c++) s += this.p.demand[u * this.C + c];
    return s;
  }

  // ---------------------------------------------------------------- driver

  private snapshot(): number[][] {
    return this.seq.map((s) => s.slice());
  }

  private restore(saved: number[][], since: number): void {
    for (let r = 0; r < this.R; r++) {
      if (this.modified[r] > since) {
        this.seq[r] = saved[r].slice();
        for (let i = 1; i < this.seq[r].length - 1; i++) {
          this.routeOf[this.seq[r][i]] = r;
        }
      }
    }
    for (let r = 0; r < this.R; r++) if (this.modified[r] > since) this.updateRoute(r);
  }

  private loadAll(saved: number[][], activeFlags: Uint8Array): void {
    for (let r = 0; r < this.R; r++) {
      this.seq[r] = saved[r].slice();
      this.active[r] = activeFlags[r];
    }
    this.routeOf.fill(-1);
    for (let r = 0; r < this.R; r++) this.updateRoute(r);
  }

  run(opts: EngineOptions): EngineResult {
    const t0 = opts.startedAt ?? opts.now();
    const elapsed = (): number => opts.now() - t0;
    const deadline = opts.timeLimitMs;
    if (opts.initial) this.start(opts.initial);
    else this.construct();
    if (opts.vehicleReductionShare > 0 || opts.maxVehicles < this.R) {
      // fewest vehicles first: the search may not reopen a vehicle the construction did not need
      for (let r = 0; r < this.R; r++) if (this.seq[r].length === 2) this.active[r] = 0;
    }
    // The construction prefers feasible slots; polish it without giving feasibility up, so that a
    // feasible plan exists at once (with the initial weights the search first traded time warp for
    // distance and, on 1000 stops, took longer than 10 s to become feasible again).
    const initialWeights = [this.wTw, this.wCap];
    this.setPenalties(1e6, 1e6, 1);
    this.localSearch(true);
    this.setPenalties(initialWeights[0], initialWeights[1], 1);

    let best: number[][] | null = null;
    let bestActive = new Uint8Array(this.R);
    let bestCost = INF;
    /** Vehicles the best plan uses beyond opts.maxVehicles (0 once a plan within the fleet is found). */
    let bestExcess = INF;
    let fallback = this.snapshot();
    let fallbackViolation = INF;
    const report = (): void => {
      opts.onProgress?.({
        elapsedMs: elapsed(),
        bestCost,
        vehicles: best ? best.filter((s) => s.length > 2).length : this.usedRoutes(),
        distance: best ? this.bestDistance : this.distance(),
        feasible: best !== null,
      });
    };
    const considerBest = (): void => {
      if (this.isFeasible()) {
        const c = this.plainCost();
        const excess = max(0, this.usedRoutes() - opts.maxVehicles);
        if (excess < bestExcess || (excess === bestExcess && c < bestCost - EPS)) {
          bestExcess = excess;
          bestCost = c;
          best = this.snapshot();
          bestActive = this.active.slice();
          this.bestDistance = this.distance();
          report();
        }
      } else if (best === null) {
        let viol = 0;
        for (let r = 0; r < this.R; r++) viol += this.rTw[r] + this.rOver[r] + this.rRide[r];
        if (viol < fallbackViolation) {
          fallbackViolation = viol;
          fallback = this.snapshot();
        }
      }
    };
    considerBest();

    const nCust = this.customers.length;
    const weightCap = penaltyWeightCap(nCust);
    const avgRemoved = min(15, max(2, round(nCust * 0.1)));
    const maxString = 10;
    let current = this.snapshot();
    let currentCost = this.totalCost();
    // simulated annealing temperature relative to the mean arc length of the start solution
    const startRoutes = this.usedRoutes();
    const meanArc = this.distance() / max(1, nCust + startRoutes);
    const scale = annealingScale(startRoutes);
    const tStart = this.saStart * scale * meanArc;
    const tEnd = this.saEnd * scale * meanArc;

    // with maxIterations the schedule follows the iteration count, so that a seed reproduces a run
    const byIterations = Number.isFinite(opts.maxIterations);
    // The clock is read once per iteration (and in the ejection pool): with the benchmark's CPU clock
    // each reading is a system call (~2 µs), and the loop's tests read it up to eight times.
    let clockMs = elapsed();
    const fraction = (): number =>
      min(1, byIterations ? iter / opts.maxIterations : clockMs / max(1, deadline));
    const rmShare = opts.vehicleReductionShare;
    let rmActive = opts.vehicleReductionShare > 0 || opts.maxVehicles < this.R;
    // the share of the budget for removing vehicles is over (never while the plan exceeds the fleet)
    const rmShareSpent = (): boolean => bestExcess === 0 && fraction() > rmShare;
    let rmAttemptStart = -1;
    let rmAttemptIter = 0;
    let rmRemovedRoute = -1;

    let iter = 0;
    let feasTw = 0;
    let feasCap = 0;
    let window = 0;
    let infeasibleStreak = 0;
    let infeasibleSince = 0;
    // restarts out of a stagnating walk (see RESTART_* below)
    const stagShare = STAGNATION_SHARE;
    const restartRuin = RESTART_RUIN_SHARE;
    let walkMin = INF;
    let walkImprovedAt = 0;
    let walkImprovedIter = 0;
    let segmentStart = 0;
    // elite: the best feasible plan of each walk between restarts (a small population)
    const elite: { routes: number[][]; cost: number }[] = [];
    let walkBest: number[][] | null = null;
    let walkBestCost = INF;
    let stopReason: EngineResult['stopReason'] = 'time-limit';
    // The walk's last feasible plan, where a walk stuck at high penalty weights starts again (a
    // shallow copy of current: its routes are replaced, never changed in place).
    let walkFeasible: number[][] | null = null;
    const walkFeasibleActive = new Uint8Array(this.R);
    const routesIn = (plan: number[][]): number => plan.reduce((k, s) => k + (s.length > 2 ? 1 : 0), 0);
    // Only up to LARGE_PLAN_STOPS: on 1 000 stops the pool held 10 000–25 000 routes whose MIP found
    // nothing within its time (r1, r2, rc1 at 60 s, even cut to the 1 000 routes of the best plans),
    // while the pool doubled the memory.
    const pool = opts.combineRoutes && this.plainFleet() && nCust <= LARGE_PLAN_STOPS ? new RoutePool() : null;
    // pool bound in the search's cost (distance and penalties; identical vehicles have no fixed-cost difference)
    const poolBound = (): number => this.bestDistance * this.p.distanceCost[0] * (1 + POOL_SLACK);
    let poolPrunedAt = POOL_PRUNE_SIZE;
    let combined = false;
    /**
     * Set partitioning over the pool: when the routes of good plans combine into a cheaper plan
     * within the fleet, it becomes the best. The walk's current plan is left as it was (sent back to
     * the best plan at 95 % of the budget, walks that were about to improve lost it: R109 ended
     * 0.23 % above its best-known plan in three seeds of three, 0.00 % without the step).
     */
    const combine = (timeLimitMs: number): void => {
      if (!pool || !best || bestExcess > 0 || !opts.combineRoutes) return;
      combined = true;
      if (timeLimitMs <= 0) return;
      const walkSeq = this.snapshot();
      const walkActive = this.active.slice();
      const bestRoutes = (best as number[][]).filter((s) => s.length > 2).map((s) => s.slice(1, -1));
      for (const stops of bestRoutes) pool.add(stops, this.seqPlainCost(stops), this.bestDistance * this.p.distanceCost[0]);
      const { routes, costs, indexOf } = pool.candidates(poolBound());
      const start = bestRoutes.map((stops) => indexOf.get(stops.join(',')) as number);
      const chosen = opts.combineRoutes({ routes, costs, stops: Array.from(this.customers), maxRoutes: bestRoutes.length, start, timeLimitMs });
      if (chosen && chosen.reduce((k, j) => k + routes[j].length, 0) === nCust) {
        // the chosen routes go to the vehicles the best plan uses (identical vehicles)
        const plan = (best as number[][]).map((s) => [s[0], s[s.length - 1]]);
        let k = 0;
        for (let r = 0; r < this.R && k < chosen.length; r++) {
          if ((best as number[][])[r].length > 2) plan[r] = [plan[r][0], ...routes[chosen[k++]], plan[r][1]];
        }
        this.loadAll(plan, bestActive);
        considerBest();
      }
      this.loadAll(walkSeq, walkActive);
    };
    let rmContinuations = 0;
    /**
     * One route-elimination step on the stops in `pool`: first the ejection pool with
     * feasibility-preserving weights; true when it placed them all (the plan is feasible and recorded),
     * else what is left goes in by penalised insertion for the penalised search to repair.
     */
    const poolThenRepair = (pool: number[]): boolean => {
      const savedW = [this.wTw, this.wCap];
      this.setPenalties(1e6, 1e6, 1);
      const epSteps = { count: 0 };
      // until a plan within the fleet exists, the pool's partial plans are the fallback
      this.partialFleet = bestExcess > 0 ? opts.maxVehicles : -1;
      // an attempt's share of the budget bounds its ejection pool too (in iteration mode its
      // steps count as iterations)
      const attemptSpent = (): boolean =>
        (byIterations ? min(1, (iter + epSteps.count / EP_STEPS_PER_ITERATION) / opts.maxIterations) : fraction()) - rmAttemptStart > RM_ATTEMPT_SHARE;
      const left = this.ejectionPool(pool, min(EP_STEPS, 30 * nCust), epSteps, () => {
        clockMs = elapsed();
        return rmShareSpent() || clockMs >= deadline || !!opts.signal?.aborted || attemptSpent();
      });
      clockMs = elapsed();
      // with an iteration budget, ejection-pool steps count against it too
      if (byIterations) iter += floor(epSteps.count / EP_STEPS_PER_ITERATION);
      if (left.length === 0 && this.isFeasible()) {
        // The pool emptied with feasible insertions only: the plan with one route fewer is
        // feasible now. Record it before any penalised search may trade feasibility away
        // (with low adapted weights it used to, and the next success then took seconds).
        this.setPenalties(savedW[0], savedW[1], 1);
        considerBest();
        rmAttemptStart = -1;
        current = this.snapshot();
        currentCost = this.totalCost();
        return true;
      }
      // the penalised repair gets its own share of the budget (else a long ejection pool
      // left it a few iterations: RC106 and R104 then missed their fleet in some seeds)
      rmAttemptStart = fraction();
      rmAttemptIter = iter;
      this.setPenalties(savedW[0], savedW[1], RM_DIST_WEIGHT);
      this.recreate(left);
      this.localSearch(false);
      current = this.snapshot();
      currentCost = this.totalCost();
      return false;
    };
    const giveUpAt = opts.fleetGiveUpShare ?? 1;
    for (;;) {
      if (iter >= opts.maxIterations) { stopReason = 'iterations'; break; }
      clockMs = elapsed();
      if (clockMs >= deadline) { stopReason = 'time-limit'; break; }
      if (bestExcess > 0 && fraction() >= giveUpAt) { stopReason = byIterations ? 'iterations' : 'time-limit'; break; }
      if (opts.signal?.aborted) { stopReason = 'cancelled'; break; }
      if (pool && !combined && !byIterations && deadline - clockMs <= COMBINE_SHARE * deadline && best && bestExcess === 0) {
        // the set partitioning, within the budget (half the time left: the solver's CPU time may run
        // ahead of the wall clock it is limited by, while the WebAssembly code is being compiled)
        combine((deadline - clockMs) / 2);
        continue;
      }
      iter++;

      // route minimisation: once feasible, drop the smallest route and let the penalised search repair
      if (rmActive && best !== null && rmAttemptStart < 0) {
        if (rmShareSpent() || (bestExcess === 0 && this.usedRoutes() <= opts.vehicleTarget)) {
          rmActive = false;
          this.setPenalties(min(this.wTw, 10), min(this.wCap, 10), 1);
          currentCost = this.totalCost();
        }
        else {
          const r = this.pickRouteToRemove();
          if (r < 0) rmActive = false;
          else {
            rmRemovedRoute = r;
            rmContinuations = 0;
            rmAttemptStart = fraction();
            rmAttemptIter = iter;
            const removed = this.seq[r].slice(1 + this.fixedLen[r], -1);
            this.seq[r] = [this.seq[r][0], ...this.seq[r].slice(1, 1 + this.fixedLen[r]), this.seq[r][this.seq[r].length - 1]];
            for (const u of removed) {
              this.routeOf[u] = -1;
              this.pos[u] = -1;
            }
            this.active[r] = 0;
            this.updateRoute(r);
            if (poolThenRepair(removed)) continue;
          }
        }
      }

      const since = this.clock;
      this.ruinRecreate(avgRemoved, maxString);
      this.localSearch(false);
      const cost = this.totalCost();
      if (pool && !combined && best && bestExcess === 0 && !rmActive && rmAttemptStart < 0 && cost <= poolBound()) {
        this.addRoutesTo(pool, since, cost);
        if (pool.size > poolPrunedAt * 2) {
          pool.prune(poolBound());
          poolPrunedAt = max(POOL_PRUNE_SIZE, pool.size);
        }
      }
      const frac = fraction();
      const temperature = tStart * pow(tEnd / tStart, segmentStart >= 1 ? 1 : (frac - segmentStart) / (1 - segmentStart));
      if (cost < currentCost - temperature * log(this.rng.next())) {
        currentCost = cost;
        if (cost < walkMin - tol(cost)) {
          walkMin = cost;
          walkImprovedAt = frac;
          walkImprovedIter = iter;
        }
        for (let r = 0; r < this.R; r++) if (this.modified[r] > since) current[r] = this.seq[r].slice();
        if (cost < walkBestCost - tol(cost) && this.isFeasible() && this.usedRoutes() <= opts.maxVehicles) {
          walkBestCost = cost;
          walkBest = current.map((r) => r.slice());
        }
      } else {
        this.restore(current, since);
      }

      let tw = 0;
      let over = 0;
      for (let r = 0; r < this.R; r++) {
        tw += this.rTw[r] + this.rRide[r];
        over += this.rOver[r];
      }
      if (tw <= FEAS_EPS) feasTw++;
      if (over <= FEAS_EPS) feasCap++;
      if (tw <= FEAS_EPS && over <= FEAS_EPS) {
        infeasibleStreak = 0;
        walkFeasible = current.slice();
        walkFeasibleActive.set(this.active);
      }
      else if (infeasibleStreak++ === 0) infeasibleSince = fraction();
      window++;
      const hadBest: number[][] | null = best;
      considerBest();
      if (rmAttemptStart >= 0 && best !== hadBest) {
        // the reduced fleet is feasible: try the next route
        rmAttemptStart = -1;
        this.setPenalties(this.wTw, this.wCap, 1);
        currentCost = this.totalCost();
      }
      if (rmAttemptStart >= 0) {
        const stale = iter - rmAttemptIter > RM_ATTEMPT_ITERATIONS || (fraction() - rmAttemptStart > RM_ATTEMPT_SHARE && iter - rmAttemptIter > RM_ATTEMPT_MIN_ITERATIONS);
        if (!rmShareSpent() && stale && rmContinuations < RM_CONTINUATIONS) {
          // Nagata & Bräysy keep the partial plan: the stops that make the repaired plan infeasible
          // go back to the pool, and the ejection pool continues from there instead of from the best
          // plan with one route more
          rmContinuations++;
          rmAttemptStart = fraction();
          rmAttemptIter = iter;
          if (poolThenRepair(this.shedViolations())) continue;
        } else if (rmShareSpent() || stale) {
          // give up this attempt: back to the best feasible plan with its fleet; a stale attempt is
          // retried on another route while the budget lasts
          if (rmShareSpent()) rmActive = false;
          rmAttemptStart = -1;
          this.setPenalties(1, this.wCap, 1);
          if (best) this.loadAll(best, bestActive);
          this.active[rmRemovedRoute] = 1;
          this.removalFailed(rmRemovedRoute);
          current = this.snapshot();
          currentCost = this.totalCost();
        }
      }
      const infeasibleTooLong = infeasibleStreak > 0 && fraction() - infeasibleSince > RESTART_SHARE;
      const stuckAtHighWeights = infeasibleStreak > RESTART_ITERATIONS && (this.wTw > 100 * initialWeights[0] || this.wCap > 100 * initialWeights[1]);
      if (best && rmAttemptStart < 0 && (infeasibleTooLong || stuckAtHighWeights)) {
        // The current solution drifted into an infeasible basin that raising the penalty weights a
        // hundredfold did not get it out of: continue from the walk's own last feasible plan (sent
        // back to the best plan every few hundred iterations, walks stayed in its basin to the end:
        // RC102 seed 5 at +3.81 %, RC106 seed 5 at +1.65 %). Infeasible for a tenth of the budget:
        // continue from the best feasible plan. (A walk just across the border is often productive
        // on long routes, so short infeasible spells are left alone.)
        if (!infeasibleTooLong && walkFeasible && routesIn(walkFeasible) <= routesIn(best)) this.loadAll(walkFeasible, walkFeasibleActive);
        else this.loadAll(best, bestActive);
        current = this.snapshot();
        currentCost = this.totalCost();
        infeasibleStreak = 0;
      }
      if (stagShare > 0 && best && !rmActive && rmAttemptStart < 0 && fraction() - walkImprovedAt > stagShare && iter - walkImprovedIter > 1000) {
        // the walk's best goes to the elite; the next walk starts from the best plan, crossed with
        // another elite plan when there is one (else a large ruin)
        if (walkBest) elite.push({ routes: walkBest, cost: walkBestCost });
        if (elite.length > ELITE_SIZE) elite.shift();
        this.loadAll(best, bestActive);
        const bestNow = this.totalCost();
        const donors = elite.filter((e) => abs(e.cost - bestNow) > tol(bestNow));
        if (this.plainFleet() && this.rng.next() < FRESH_START_SHARE) {
          this.freshStart();
        } else if (donors.length > 0 && this.plainFleet()) {
          this.crossover(donors[this.rng.int(donors.length)].routes);
        } else this.ruinRecreate(max(avgRemoved, restartRuin * nCust), 3 * maxString);
        this.localSearch(false);
        walkBest = null;
        walkFeasible = null;
        walkBestCost = INF;
        current = this.snapshot();
        currentCost = this.totalCost();
        segmentStart = fraction();
        walkMin = INF;
        walkImprovedAt = segmentStart;
        walkImprovedIter = iter;
        infeasibleStreak = 0;
      }
      if (window === 25) {
        // route elimination's penalised repair keeps uncapped weights (capped, rc2_10_1 reached its
        // fleet in 6 of 16 runs at 20 s instead of 11)
        const eliminating = rmActive || rmAttemptStart >= 0;
        const maxWeight = (initial: number): number => (eliminating ? MAX_WEIGHT : weightCap * initial);
        this.setPenalties(
          adaptPenaltyWeight(this.wTw, feasTw / window, maxWeight(initialWeights[0])),
          adaptPenaltyWeight(this.wCap, feasCap / window, maxWeight(initialWeights[1])),
        );
        currentCost = this.totalCost();
        feasTw = feasCap = window = 0;
      }
    }
    // with an iteration budget the set partitioning comes after the last iteration
    if (stopReason === 'iterations' && !combined) combine(COMBINE_SHARE * deadline);
    if (best) {
      this.loadAll(best, bestActive);
      const partial = bestExcess > 0 && this.partial ? this.partial.routes : undefined;
      return { stopReason, routes: this.routesOut(), feasible: true, iterations: iter, elapsedMs: elapsed(), partial };
    }
    this.loadAll(fallback, this.active.slice().fill(1));
    return { stopReason, routes: this.routesOut(), feasible: false, iterations: iter, elapsedMs: elapsed() };
  }

  private bestDistance = 0;

  /** Adds the feasible routes changed since `since` to the pool, as routes of a plan of cost `planCost`. */
  private addRoutesTo(pool: RoutePool, since: number, planCost: number): void {
    for (let r = 0; r < this.R; r++) {
      const s = this.seq[r];
      if (this.modified[r] <= since || s.length <= 2) continue;
      if (this.rTw[r] > FEAS_EPS || this.rOver[r] > FEAS_EPS || this.rRide[r] > FEAS_EPS) continue;
      pool.add(s.slice(1, -1), this.p.fixedCost[r] + this.rDist[r] * this.p.distanceCost[r], planCost);
    }
  }

  /** Fixed plus distance cost of a route of identical vehicles visiting `stops` (vehicle 0's depots). */
  private seqPlainCost(stops: number[]): number {
    const d = this.p.dist;
    let prev = this.p.vehicleStart[0];
    let dist = 0;
    for (const u of stops) {
      dist += d[prev * this.n + u];
      prev = u;
    }
    dist += d[prev * this.n + this.p.vehicleEnd[0]];
    return this.p.fixedCost[0] + dist * this.p.distanceCost[0];
  }

  /**
   * A plan that leaves stops out (customer sequences per vehicle, the stops left out on no route)
   * after one pass of the local search that keeps every route feasible, on the vehicles it uses:
   * route elimination leaves stops at random feasible positions, closing a route at the cheapest
   * insertion of each of its stops, and a stop taken off a violating route leaves a detour behind.
   * Call it after run().
   */
  shorten(routes: number[][]): number[][] {
    this.loadAll(this.withDepots(routes), Uint8Array.from(routes, (stops) => (stops.length ? 1 : 0)));
    this.setPenalties(1e6, 1e6, 1);
    this.localSearch(true);
    return this.routesOut();
  }


  /** Simulated-annealing temperatures, relative to the mean arc length of the first solution. */
  saStart = 3;
  saEnd = 0.05;

  /**
   * Multi-start diversification: every stop leaves its route and is inserted again in a random order
   * (cheapest insertion with blinks) on the vehicles in use; the caller runs the penalised search.
   */
  private freshStart(): void {
    const all: number[] = [];
    for (let r = 0; r < this.R; r++) {
      const s = this.seq[r];
      for (let i = 1; i < s.length - 1; i++) {
        this.routeOf[s[i]] = -1;
        this.pos[s[i]] = -1;
        all.push(s[i]);
      }
      this.seq[r] = [s[0], s[s.length - 1]];
      this.updateRoute(r);
    }
    this.rng.shuffle(all);
    for (const u of all) this.insert(u, 0.05, false);
  }

  // ---------------------------------------------------------------- crossover of local optima

  /** Whether routes may be moved between vehicles freely (the crossover needs it). */
  private plainFleet(): boolean {
    return this.homogeneous && this.p.allowed === null && !this.hasLocks && this.fixedLen.every((l) => l === 0) && !this.p.hasRideLimits;
  }

  /**
   * Route-based crossover (Potvin & Bengio 1996, the inheritance HGS and EAX get from a second
   * parent): the routes of `donor` around a random stop, about half of them, replace the current
   * plan's routes that share most stops with them; the current plan's other visits of those stops
   * are removed, and the stops left over are inserted again (then the caller runs the local search).
   */
  private crossover(donor: number[][]): void {
    const donorRoutes = donor.map((s) => s.slice(1, -1)).filter((s) => s.length > 0);
    if (donorRoutes.length === 0 || this.customers.length === 0) return;
    const donorOf = new Int32Array(this.n).fill(-1);
    donorRoutes.forEach((s, k) => s.forEach((u) => (donorOf[u] = k)));
    const take = max(1, round(donorRoutes.length * (0.2 + 0.4 * this.rng.next())));
    const chosen: number[] = [];
    const seed = this.customers[this.rng.int(this.customers.length)];
    for (const c of [seed, ...this.adjacency[seed]]) {
      const k = donorOf[c];
      if (k >= 0 && !chosen.includes(k)) chosen.push(k);
      if (chosen.length >= take) break;
    }
    const inherited = new Uint8Array(this.n);
    for (const k of chosen) for (const u of donorRoutes[k]) inherited[u] = 1;
    const targets = new Set<number>();
    const leftOver: number[] = [];
    for (const k of chosen) {
      // the used route of this plan sharing most stops with the donor's route
      const overlap = new Map<number, number>();
      for (const u of donorRoutes[k]) {
        const r = this.routeOf[u];
        if (r >= 0 && !targets.has(r)) overlap.set(r, (overlap.get(r) ?? 0) + 1);
      }
      let target = -1;
      let most = -1;
      for (const [r, c] of overlap) if (c > most) { most = c; target = r; }
      if (target < 0) continue;
      targets.add(target);
    }
    const targetList = [...targets];
    // empty the target routes (stops not inherited are inserted again later) and remove inherited
    // stops from every other route
    for (let r = 0; r < this.R; r++) {
      const s = this.seq[r];
      if (s.length <= 2) continue;
      const keep: number[] = [s[0]];
      for (let i = 1; i < s.length - 1; i++) {
        const u = s[i];
        if (targets.has(r) || inherited[u]) {
          this.routeOf[u] = -1;
          this.pos[u] = -1;
          if (!inherited[u]) leftOver.push(u);
        } else keep.push(u);
      }
      if (keep.length === s.length - 1) continue;
      keep.push(s[s.length - 1]);
      this.seq[r] = keep;
      this.updateRoute(r);
      for (let i = 1; i < keep.length - 1; i++) this.mark(keep[i]);
    }
    chosen.forEach((k, i) => {
      const r = targetList[i];
      if (r === undefined) {
        for (const u of donorRoutes[k]) leftOver.push(u);
        return;
      }
      const s = this.seq[r];
      this.seq[r] = [s[0], ...donorRoutes[k], s[s.length - 1]];
      this.updateRoute(r);
      for (const u of donorRoutes[k]) this.mark(u);
    });
    this.recreate(leftOver);
  }

  // ---------------------------------------------------------------- ejection pool (Nagata & Bräysy 2009)

  /**
   * Whether route r stays feasible with v inserted after position `after` and the positions in
   * `skipped` removed. Forward schedule from the shift start, early exit; O(route length).
   */
  private feasibleWith(r: number, after: number, v: number, skipped: readonly number[] | Int32Array): boolean {
    const p = this.p;
    const n = this.n;
    const C = this.C;
    const s = this.seq[r];
    const last = s.length - 1;
    let t = p.shiftStart[r];
    let prev = s[0];
    const load = this.loadScratch;
    for (let c = 0; c < C; c++) load[c] = 0;
    for (let i = 0; i <= last; i++) {
      for (let pass = 0; pass < 2; pass++) {
        let node: number;
        if (pass === 0) {
          if (i === 0 || skipped.includes(i)) continue;
          node = s[i];
        } else {
          if (i !== after) continue;
          node = v;
        }
        if (i === last && pass === 0) {
          t += p.time[prev * n + node];
          if (t > p.shiftEnd[r] + FEAS_EPS || t - p.shiftStart[r] > p.maxDuration[r] + FEAS_EPS) return false;
          continue;
        }
        const arrive = t + p.time[prev * n + node];
        if (arrive - p.shiftStart[r] > p.maxRide[node] + FEAS_EPS) return false;
        const start = arrive > p.ready[node] ? arrive : p.ready[node];
        if (start > p.due[node] + FEAS_EPS) return false;
        for (let c = 0; c < C; c++) {
          load[c] += p.demand[node * C + c];
          if (load[c] > p.capacity[r * C + c] + FEAS_EPS) return false;
        }
        t = start + p.service[node];
        prev = node;
      }
    }
    return true;
  }

  private loadScratch = new Float64Array(8);

  /**
   * Whether v, inserted after position i of route r, is reached only after its time window closes
   * (or the route is already late up to i). Then no later position fits either: travel times that obey
   * the triangle inequality never bring the arrival at v forward, and the prefix's time warp only
   * grows, so the ejection pool's scan of the route stops there. (On a road matrix that does not obey
   * it, a feasible position may be missed; an infeasible one is never taken.)
   */
  private arrivesLate(r: number, i: number, v: number): boolean {
    const pre = this.pre[r];
    const o = i * this.S;
    if (pre[o + F_TW] > FEAS_EPS) return true;
    const arrival = pre[o + F_EARLY] + pre[o + F_DUR] + this.p.time[this.seq[r][i] * this.n + v];
    return arrival - this.nodeSeg[v * this.S + F_LATE] > FEAS_EPS;
  }

  /**
   * Whether route r's load leaves room for v in every compartment. A route without room has no
   * feasible position for v, so the ejection pool skips it without scheduling each position (on
   * rc2_10_1, 89 % loaded, about half the routes are above 95 % of their capacity).
   */
  private hasRoomFor(r: number, v: number): boolean {
    const C = this.C;
    const o = (this.seq[r].length - 1) * this.S + FIELDS;
    const pre = this.pre[r];
    for (let c = 0; c < C; c++) if (pre[o + c] + this.p.demand[v * C + c] - this.p.capacity[r * C + c] > FEAS_EPS) return false;
    return true;
  }

  /** The fleet within which route elimination records partial plans (-1: none are recorded). */
  private partialFleet = -1;
  private partial: { routes: number[][]; unplaced: number; distance: number } | null = null;

  /**
   * Keeps the current plan if it is the best partial plan so far: feasible, within the fleet, fewest
   * stops unplaced (then least distance). Should the budget end before a plan within the fleet is
   * complete, its missing stops are usually far fewer than closing a route of the best plan leaves
   * out (rc2_10_1 at 20 s: 1–3 against 9–14).
   */
  private notePartial(unplaced: number): void {
    if (this.partialFleet < 0 || this.usedRoutes() > this.partialFleet) return;
    const p = this.partial;
    if (p && unplaced > p.unplaced) return;
    const distance = this.distance();
    if (p && unplaced === p.unplaced && distance >= p.distance - EPS) return;
    if (!this.routesFeasible()) return;
    this.partial = { routes: this.routesOut(), unplaced, distance };
  }

  /**
   * Route elimination with an ejection pool: stops of the removed route are inserted where feasible
   * (at a feasible position chosen at random); when a stop fits nowhere, it is inserted by ejecting
   * one or two stops (those ejected least often, found among up to MAX_EJECTIONS) that then go back
   * to the pool. Returns the stops still in the pool.
   */
  private ejectionPool(pool: number[], maxSteps: number, counter: { count: number }, stop: () => boolean): number[] {
    if (this.loadScratch.length < this.C) this.loadScratch = new Float64Array(this.C);
    const ejections = this.ejectCount.length === this.n ? this.ejectCount : (this.ejectCount = new Int32Array(this.n).fill(1));
    let steps = 0;
    let failures = 0;
    while (pool.length && steps < maxSteps) {
      this.notePartial(pool.length);
      if ((steps & 15) === 0 && stop()) break;
      steps++;
      counter.count++;
      const v = pool.pop() as number;
      // A feasible position at random, as Nagata & Bräysy do (each with the same chance: reservoir
      // sampling), not the cheapest: the pool is to place its stops, not to keep the plan short,
      // and the random choice varies the plans the ejections start from. (Measured together with
      // the ejections of two out of three below; alone it made no difference that 4 runs could show.)
      let bestR = -1;
      let bestI = -1;
      let feasible = 0;
      for (let r = 0; r < this.R; r++) {
        if (!this.canServe(v, r)) continue;
        const s = this.seq[r];
        const m = s.length - 2;
        if (m === 0 || (this.useBounds && !this.hasRoomFor(r, v))) continue;
        for (let i = this.fixedLen[r]; i <= m; i++) {
          if (this.useBounds && this.arrivesLate(r, i, v)) break;
          this.accPre(r, i);
          this.accNode(v);
          this.accSuf(r, i + 1);
          this.accClose(r);
          if (this.lastInsertFeasible(r) && (!this.p.hasRideLimits || this.feasibleWith(r, i, v, NO_POSITIONS)) && this.rng.int(++feasible) === 0) {
            bestR = r;
            bestI = i;
          }
        }
      }
      if (bestR >= 0) {
        this.seq[bestR].splice(bestI + 1, 0, v);
        this.updateRoute(bestR);
        failures = 0;
        continue;
      }
      // insertion with ejections, minimising how often the ejected stops were ejected before;
      // only routes that visit one of v's nearest stops: on 1000 stops scanning every route for
      // every pair of ejections cost seconds per removed route (granular, as in the local search)
      const candidates = this.ejectionRoutes(v).filter((r) => this.canServe(v, r) && this.seq[r].length > 2);
      const found = this.ej;
      found.sum = INF;
      found.route = -1;
      // single ejections first: their best sum bounds the search for pairs; three only where two do
      // not suffice (the search grows with the cube of the route's length)
      for (let out = 1; out <= MAX_EJECTIONS && (out <= 2 || found.route < 0); out++) {
        for (const r of candidates) this.searchEjections(r, v, out, ejections);
      }
      const ejR = found.route;
      const ejI = found.after;
      if (ejR < 0) {
        // v fits nowhere, even by ejecting three stops: try the other stops of the pool first (their
        // insertions change the routes); give up only when none of them can be placed either
        if (++failures >= pool.length + 1) {
          pool.push(v);
          break;
        }
        pool.unshift(v);
        continue;
      }
      failures = 0;
      ejections[v]++;
      const s = this.seq[ejR];
      // Of three, only the first two are ejected: the third stays, and the route keeps a violation
      // for the feasibility-first local search below, or a later ejection from this route, to
      // remove. On rc2_10_1 (20 s, seeds 1–40) this reached the fleet of 20 in 45 of 88 runs,
      // against 13 of 39 with at most two ejections; ejecting all three reached it in 2 of 8, and
      // with N&B's squeeze as well in 4 of 16.
      const positions = found.out.subarray(0, min(found.count, 2));
      const out = Array.from(positions, (i) => s[i]);
      const ns: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (!positions.includes(i)) ns.push(s[i]);
        if (i === ejI) ns.push(v);
      }
      for (const u of out) {
        this.routeOf[u] = -1;
        this.pos[u] = -1;
        pool.unshift(u);
      }
      this.seq[ejR] = ns;
      this.updateRoute(ejR);
      // light perturbation: feasibility-keeping local search around the change
      this.markAround(v);
      this.localSearch(false);
    }
    this.notePartial(pool.length);
    return pool;
  }

  private ejectCount: Int32Array = new Int32Array(0);

  /** Best insertion with ejections found so far (searchEjections). */
  private readonly ej = { sum: INF, route: -1, after: -1, count: 0, out: new Int32Array(MAX_EJECTIONS) };
  /** Positions the search's current branch ejects (the first `out` entries). */
  private readonly ejPath = new Int32Array(MAX_EJECTIONS);
  /** Partial-route segments of the ejection search, one per depth. */
  private ejStack = new Float64Array(0);

  /**
   * Insertion of v into route r with `maxOut` stops ejected (Nagata & Bräysy 2009: least-ejected
   * stops first), improving this.ej. A depth-first walk along the route decides for each stop to
   * keep or eject it and where v goes, carrying the partial route as a time-warp segment: time warp,
   * load and duration only grow when stops are appended, so a branch ends as soon as its partial
   * route is infeasible, and a complete candidate is checked in O(1) against the cached suffix. The
   * former check scheduled the whole route for every (position, ejection, ejection) triple, O(m^4)
   * per route, and allowed pairs only on routes of at most 25 stops.
   */
  private searchEjections(r: number, v: number, maxOut: number, ejections: Int32Array): void {
    const S = this.S;
    const m = this.seq[r].length - 2;
    if (this.ejStack.length < (m + 4) * S) this.ejStack = new Float64Array((m + 4) * 2 * S);
    const fl = this.fixedLen[r];
    const pre = this.pre[r];
    for (let k = 0; k < S; k++) this.ejStack[k] = pre[fl * S + k];
    this.ejectionStep(r, v, maxOut, ejections, fl + 1, 0, this.seq[r][fl], 0, -1, 0);
  }

  private ejectionStep(
    r: number, v: number, maxOut: number, ejections: Int32Array,
    k: number, depth: number, last: number, out: number, after: number, sum: number,
  ): void {
    const s = this.seq[r];
    const m = s.length - 2;
    const S = this.S;
    const st = this.ejStack;
    const o = depth * S;
    const found = this.ej;
    if (sum >= found.sum) return;
    if (after >= 0 && out === maxOut) {
      // the rest of the route as it is: acc ⊕ suffix ⊕ end depot
      this.accFrom(st, o, last, 1);
      this.accSuf(r, k);
      this.accClose(r);
      if (this.lastInsertFeasible(r) && (!this.p.hasRideLimits || this.feasibleWith(r, after, v, this.ejPath.subarray(0, out)))) {
        found.sum = sum;
        found.route = r;
        found.after = after;
        found.count = out;
        found.out.set(this.ejPath);
      }
      return;
    }
    if (after < 0) {
      // v goes here, before s[k] (after position k - 1). Where it does not fit, it fits at no later
      // position either: keeping or ejecting the stops that follow only delays the arrival at v (on
      // travel times that obey the triangle inequality; where a matrix does not, an insertion may be
      // missed, never an infeasible one accepted) and adds load, so the branch ends here. The search
      // used to walk such branches to the end of the route, O(m³) of them with two ejections.
      if (!this.appendFeasible(r, o, last, v, o + S)) return;
      this.ejectionStep(r, v, maxOut, ejections, k, depth + 1, v, out, k - 1, sum);
    }
    if (k > m) return;
    const u = s[k];
    // eject s[k]
    if (out < maxOut && this.movable[u]) {
      const cost = sum + ejections[u] + (out === 0 ? this.rng.next() * 0.5 : 0);
      if (cost < found.sum) {
        for (let i = 0; i < S; i++) st[o + S + i] = st[o + i];
        this.ejPath[out] = k;
        this.ejectionStep(r, v, maxOut, ejections, k + 1, depth + 1, last, out + 1, after, cost);
      }
    }
    // keep s[k]
    if (this.appendFeasible(r, o, last, u, o + S)) {
      this.ejectionStep(r, v, maxOut, ejections, k + 1, depth + 1, u, out, after, sum);
    }
  }

  /** ejStack[to] = ejStack[from] ⊕ u; whether it is still feasible (time warp, load, duration). */
  private appendFeasible(r: number, from: number, last: number, u: number, to: number): boolean {
    const st = this.ejStack;
    this.concat(st, from, last, this.nodeSeg, u * this.S, u, st, to);
    if (st[to + F_TW] > FEAS_EPS || st[to + F_DUR] - this.p.maxDuration[r] > FEAS_EPS) return false;
    for (let c = 0; c < this.C; c++) if (st[to + FIELDS + c] - this.p.capacity[r * this.C + c] > FEAS_EPS) return false;
    return true;
  }

  /** Routes considered for an insertion with ejections: all on plans of few routes, else those near v. */
  private ejectionRoutes(v: number): number[] {
    const count = this.nearRoutes(v);
    if (count < 0) return Array.from({ length: this.R }, (_, r) => r);
    return Array.from(this.nearRouteList.subarray(0, count));
  }

  /**
   * Makes the plan feasible by taking stops out: from each infeasible route, greedily the stop whose
   * removal lowers the route's violation most (distance breaks ties), until the route is feasible.
   * Returns the stops taken out (for the ejection pool).
   */
  private shedViolations(): number[] {
    const out: number[] = [];
    const savedW = [this.wTw, this.wCap, this.distWeight];
    this.setPenalties(1e6, 1e6, 1);
    for (let r = 0; r < this.R; r++) {
      while (this.rTw[r] + this.rOver[r] + this.rRide[r] > FEAS_EPS) {
        const s = this.seq[r];
        let bestI = -1;
        let bestCost = INF;
        for (let i = 1 + this.fixedLen[r]; i < s.length - 1; i++) {
          if (!this.movable[s[i]]) continue;
          const c = this.seqCost(r, [...s.slice(0, i), ...s.slice(i + 1)]);
          if (c < bestCost) {
            bestCost = c;
            bestI = i;
          }
        }
        if (bestI < 0) break;
        const u = s[bestI];
        this.detach(u);
        out.push(u);
        this.updateRoute(r);
      }
    }
    this.setPenalties(savedW[0], savedW[1], savedW[2]);
    return out;
  }

  /**
   * Route-elimination attempts that failed on each route since the plan last lost a route (a failed
   * attempt reloads the best plan, so route r holds the same stops again). Without this memory the
   * next attempt picked the same smallest route again: on rc2_10_1 (seed 8) a route of 35 stops was
   * tried three times in a row, the next smallest has 38.
   */
  private failedRemovals = new Int32Array(0);
  /** Routes in use when failedRemovals was last cleared. */
  private failedRemovalsAt = -1;

  /** failedRemovals, cleared when the plan uses a different number of routes (every route may be tried again). */
  private currentFailedRemovals(): Int32Array {
    const inUse = this.usedRoutes();
    if (this.failedRemovals.length !== this.R || inUse !== this.failedRemovalsAt) {
      this.failedRemovals = new Int32Array(this.R);
      this.failedRemovalsAt = inUse;
    }
    return this.failedRemovals;
  }

  /** Records that an attempt to remove route r failed: the next attempts try other routes first. */
  private removalFailed(r: number): void {
    this.currentFailedRemovals()[r]++;
  }

  private pickRouteToRemove(): number {
    let bestR = -1;
    let bestScore = INF;
    let used = 0;
    const failed = this.currentFailedRemovals();
    for (let r = 0; r < this.R; r++) {
      const m = this.seq[r].length - 2;
      if (m === 0 || !this.active[r]) continue;
      used++;
      if (this.fixedLen[r] > 0) continue;
      let locked = false;
      for (let i = 1; i <= m; i++) if (this.p.lockedVehicle[this.seq[r][i]] === r) locked = true;
      if (locked) continue;
      // one of the smallest routes, at random; routes whose removal failed after every other one
      const score = m + 3 * this.rng.next() + FAILED_REMOVAL_PENALTY * failed[r];
      if (score < bestScore) {
        bestScore = score;
        bestR = r;
      }
    }
    // deactivate unused vehicles so that the search does not simply reopen one
    if (bestR >= 0) {
      for (let r = 0; r < this.R; r++) if (this.seq[r].length === 2 && this.fixedLen[r] === 0) this.active[r] = 0;
    }
    return used > 1 ? bestR : -1;
  }

  /** Current routes as customer sequences (depots stripped), one entry per vehicle. */
  routesOut(): number[][] {
    return this.seq.map((s) => s.slice(1, -1));
  }
}
