export * from './lib/model';
export { solve, scheduleRoute } from './lib/solve';
export { compileProblem, haversineKm, ProblemValidationError, DEFAULT_VEHICLE_COST } from './lib/compile';
export { parseSolomon, solomonToProblem, type SolomonInstance } from './lib/solomon';
export { solveInWorker, type WorkerSolveOptions } from './lib/solve-in-worker';
export { checkPlan, travelBetween } from './lib/check-plan';
export { loadRouteCombiner, type RouteCombiner, type RouteCombinerInput } from './lib/route-combiner';
