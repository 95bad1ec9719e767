/** An error that is sent back to the client as a MongoDB command error (`ok: 0`). */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly errorLabels: string[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toResponse(): Record<string, unknown> {
    return {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.extra,
      ...(this.errorLabels.length ? { errorLabels: this.errorLabels } : {}),
    };
  }
}

export const TRANSIENT = 'TransientTransactionError';

export const badValue = (message: string) => new CommandError(2, 'BadValue', message);
export const failedToParse = (message: string) => new CommandError(9, 'FailedToParse', message);

/** Loud refusal of a MongoDB feature the stand-in does not implement. */
export const notSupported = (feature: string) =>
  new CommandError(
    238,
    'NotImplemented',
    `mongo-standin does not support ${feature}; run against a real MongoDB (MONGO_URL) if you need it`,
  );

export const writeConflict = (why: string) =>
  new CommandError(112, 'WriteConflict', `WriteConflict error: ${why}`, [TRANSIENT]);

export const noSuchTransaction = (message: string) =>
  new CommandError(251, 'NoSuchTransaction', message, [TRANSIENT]);
