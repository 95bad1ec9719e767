export function localStack(): string {
  return 'local-stack';
}
