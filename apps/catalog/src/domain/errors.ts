/**
 * A rejected input, naming the offending field so the HTTP layer can answer 400/422 with it.
 * Domain code throws this instead of generic errors so nothing user-caused surfaces as a 500.
 */
export class InvalidInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidInputError';
  }
}
