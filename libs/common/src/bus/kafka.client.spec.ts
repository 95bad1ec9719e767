import { takeBatch } from './kafka.client';

describe('takeBatch (what one produce request carries)', () => {
  const queued = (...sizes: number[]) => sizes.map((bytes, i) => ({ id: i, bytes }));

  it('takes the oldest events in order while they fit together', () => {
    const queue = queued(400, 400, 400, 100);
    expect(takeBatch(queue, 1000).map((e) => e.id)).toEqual([0, 1]);
    expect(queue.map((e) => e.id)).toEqual([2, 3]);
  });

  it('always takes at least one event, even one alone at the limit', () => {
    const queue = queued(1000, 1);
    expect(takeBatch(queue, 1000).map((e) => e.id)).toEqual([0]);
    expect(takeBatch(queue, 1000).map((e) => e.id)).toEqual([1]);
    expect(queue).toEqual([]);
  });
});
