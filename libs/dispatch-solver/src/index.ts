export * from './lib/model';
export { solve, scheduleRoute } from './lib/solve';
export { compileProblem, haversineKm, ProblemValidationError, DEFAULT_VEHICLE_COST } from './lib/compile';
export { parseSolomon, solomonToProblem, type SolomonInstance } from './lib/solomon';
