export function mongoStandin(): string {
  return 'mongo-standin';
}
