/**
 * Runs work for the same key one after another inside this process (a webhook and a catalog reply for
 * one order arriving together). Correctness across processes comes from the compare-and-set moves and
 * Stripe idempotency keys; this only spares them pointless races.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.tails.set(key, next);
    try {
      return await next;
    } finally {
      if (this.tails.get(key) === next) this.tails.delete(key);
    }
  }
}
