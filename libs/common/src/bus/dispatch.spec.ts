import { errorReason, sleepUnless } from './dispatch';

describe('errorReason', () => {
  it('names an Error by its name and message', () => {
    expect(errorReason(new TypeError('bad'))).toBe('TypeError: bad');
  });

  it('shows a plain object (what Nest emits for a failed event handler) instead of [object Object]', () => {
    expect(errorReason({ status: 'error', message: 'Internal server error' })).toBe('{"status":"error","message":"Internal server error"}');
  });

  it('falls back to String for circular objects and other values', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(errorReason(circular)).toBe('[object Object]');
    expect(errorReason('gone')).toBe('gone');
  });
});

describe('sleepUnless', () => {
  it('waits the time, or ends as soon as the signal aborts', async () => {
    const t0 = Date.now();
    await sleepUnless(50, new AbortController().signal);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);

    const stop = new AbortController();
    const waiting = sleepUnless(60_000, stop.signal);
    setTimeout(() => stop.abort(), 20);
    const t1 = Date.now();
    await waiting;
    expect(Date.now() - t1).toBeLessThan(5_000);

    await sleepUnless(60_000, stop.signal); // already aborted: at once
  });
});
