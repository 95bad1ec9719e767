/**
 * An ordered list stored as sorted chunks, so inserts and deletes cost O(√n) element moves instead
 * of O(n) (a plain sorted array degrades badly at 100 000+ entries inserted in random order).
 */
export class SortedList<T> {
  private chunks: T[][] = [];
  private count = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly chunkSize = 512,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Position of the first element for which `isAtOrAfter` holds (the predicate must be monotone). */
  private locate(isAtOrAfter: (item: T) => boolean): [number, number] {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid];
      if (isAtOrAfter(chunk[chunk.length - 1])) hi = mid;
      else lo = mid + 1;
    }
    if (lo === this.chunks.length) return [lo, 0];
    const chunk = this.chunks[lo];
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (isAtOrAfter(chunk[mid])) b = mid;
      else a = mid + 1;
    }
    return [lo, a];
  }

  insert(item: T): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      return;
    }
    let [ci, pos] = this.locate((x) => this.compare(x, item) > 0);
    if (ci === this.chunks.length) {
      ci = this.chunks.length - 1;
      pos = this.chunks[ci].length;
    }
    const chunk = this.chunks[ci];
    chunk.splice(pos, 0, item);
    if (chunk.length > this.chunkSize * 2) {
      this.chunks.splice(ci + 1, 0, chunk.splice(this.chunkSize));
    }
  }

  /** Removes the element comparing equal to `item`; returns whether one was found. */
  remove(item: T): boolean {
    const [ci, pos] = this.locate((x) => this.compare(x, item) >= 0);
    if (ci === this.chunks.length) return false;
    const chunk = this.chunks[ci];
    if (pos >= chunk.length || this.compare(chunk[pos], item) !== 0) return false;
    chunk.splice(pos, 1);
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    this.count--;
    return true;
  }

  /** Iterates from the first element satisfying `isAtOrAfter` (or the start) to the end. */
  *from(isAtOrAfter?: (item: T) => boolean): IterableIterator<T> {
    let [ci, pos] = isAtOrAfter ? this.locate(isAtOrAfter) : [0, 0];
    const chunks = this.chunks;
    while (ci < chunks.length) {
      const chunk = chunks[ci];
      for (; pos < chunk.length; pos++) yield chunk[pos];
      ci++;
      pos = 0;
    }
  }

  /** Iterates backwards from the last element NOT satisfying `isAfter` (or the end) to the start. */
  *before(isAfter?: (item: T) => boolean): IterableIterator<T> {
    let [ci, pos] = isAfter ? this.locate(isAfter) : [this.chunks.length, 0];
    const chunks = this.chunks;
    pos -= 1;
    while (ci >= 0) {
      if (pos < 0) {
        ci--;
        if (ci < 0) break;
        pos = chunks[ci].length - 1;
        continue;
      }
      yield chunks[ci][pos];
      pos--;
    }
  }

  *[Symbol.iterator](): IterableIterator<T> {
    yield* this.from();
  }
}
