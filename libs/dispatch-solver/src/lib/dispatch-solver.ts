export function dispatchSolver(): string {
  return 'dispatch-solver';
}
