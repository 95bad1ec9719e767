/** A command refused by a state machine: a stable code, a Chinese reason for the console, the HTTP status. */
export class TransitionRefused extends Error {
  constructor(
    readonly code: string,
    readonly reasonZh: string,
    readonly status = 409,
  ) {
    super(`${code}: ${reasonZh}`);
    this.name = 'TransitionRefused';
  }
}
