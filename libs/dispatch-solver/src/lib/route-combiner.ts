/*
 * Set partitioning over routes the search has seen, solved by HiGHS (the MIP solver of the
 * University of Edinburgh, compiled to WebAssembly by the `highs` package). The search hands over
 * the routes of its good plans; the MIP picks the cheapest set that visits every stop exactly once
 * within the fleet — often routes of different plans that no single move combines.
 *
 * The engine knows only the RouteCombiner function type; this file is the edge that needs the
 * library, loaded asynchronously once (WebAssembly instantiation cannot be synchronous here).
 */
import loadHighs from 'highs';

export interface RouteCombinerInput {
  /** Stops of each candidate route (any ids; every stop of the plan must be on some route). */
  routes: readonly (readonly number[])[];
  costs: readonly number[];
  /** Every stop that must be visited exactly once. */
  stops: readonly number[];
  maxRoutes: number;
  /** Indices of a known solution (the current best plan's routes): the MIP starts from it. */
  start: readonly number[];
  timeLimitMs: number;
}

/** Indices of the chosen routes, or null when no solution cheaper than `start` was found in time. */
export type RouteCombiner = (input: RouteCombinerInput) => number[] | null;

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let loading: Promise<Highs> | null = null;

/** Loads HiGHS once per process (or worker thread) and returns the set-partitioning combiner. */
export async function loadRouteCombiner(): Promise<RouteCombiner> {
  loading ??= loadHighs();
  const highs = await loading;
  return (input) => combineRoutes(highs, input);
}

function combineRoutes(highs: Highs, input: RouteCombinerInput): number[] | null {
  const { routes, costs, stops, maxRoutes, start } = input;
  const n = routes.length;
  if (n === 0 || input.timeLimitMs <= 0) return null;
  // row 0 bounds the number of routes, row 1 + i asks stop i to be visited exactly once
  const rowOf = new Map<number, number>();
  stops.forEach((s, i) => rowOf.set(s, i + 1));
  const starts = new Int32Array(n + 1);
  const indices: number[] = [];
  for (let j = 0; j < n; j++) {
    indices.push(0);
    for (const s of routes[j]) {
      const row = rowOf.get(s);
      if (row === undefined) throw new Error(`route ${j} visits stop ${s} that is not in the plan`);
      indices.push(row);
    }
    starts[j + 1] = indices.length;
  }
  const m = stops.length + 1;
  const rowLower = new Float64Array(m).fill(1);
  const rowUpper = new Float64Array(m).fill(1);
  rowLower[0] = 0;
  rowUpper[0] = maxRoutes;
  const model = highs.createModel({
    numCols: n,
    numRows: m,
    colCost: Float64Array.from(costs),
    colLower: new Float64Array(n),
    colUpper: new Float64Array(n).fill(1),
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows: m, numCols: n, starts, indices: Int32Array.from(indices), values: new Float64Array(indices.length).fill(1) },
    integrality: new Int32Array(n).fill(highs.constants.variableType.integer),
  });
  try {
    // HiGHS's presolve does not watch the time limit closely: on pools of long routes it ran up to
    // 5 s past a limit of 1.5 s (r2_10_1) and minutes past 0.5 s (every route of a Solomon R2 run);
    // without it the MIP stops near its limit and found the same covers on the Solomon pools, faster.
    model.options.set({ output_flag: false, time_limit: input.timeLimitMs / 1000, presolve: 'off' });
    const startValues = new Float64Array(n);
    let startCost = 0;
    for (const j of start) {
      startValues[j] = 1;
      startCost += costs[j];
    }
    model.setSolution({ colValue: startValues });
    model.run();
    // at the time limit the incumbent is at worst the start solution
    const status = model.getModelStatus();
    if (status !== highs.constants.modelStatus.optimal && status !== highs.constants.modelStatus.timeLimit) return null;
    const solution = model.getSolution();
    const chosen: number[] = [];
    let cost = 0;
    for (let j = 0; j < n; j++) {
      if (solution.colValue[j] > 0.5) {
        chosen.push(j);
        cost += costs[j];
      }
    }
    return cost < startCost - 1e-6 * Math.max(1, startCost) ? chosen : null;
  } finally {
    model.dispose();
  }
}
