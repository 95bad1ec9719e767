import { PeriodicTask } from './periodic-task';

const recorder = () => {
  const lines: string[] = [];
  return { lines, log: (m: string) => void lines.push(`log ${m}`), error: (m: string) => void lines.push(`error ${m}`) };
};

describe('PeriodicTask', () => {
  it('never runs twice at once: a run requested during one joins it', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release!: () => void;
    const task = new PeriodicTask('sweep', async () => {
      runs++;
      maxActive = Math.max(maxActive, ++active);
      await new Promise<void>((r) => (release = r));
      active--;
    }, recorder());
    const first = task.runOnce();
    const second = task.runOnce();
    release();
    await Promise.all([first, second]);
    expect({ runs, maxActive }).toEqual({ runs: 1, maxActive: 1 });
  });

  it('logs what a run did, logs a failure by name without throwing, and runs again after it', async () => {
    const logger = recorder();
    let attempt = 0;
    const task = new PeriodicTask('reservation sweep', async () => {
      if (++attempt === 1) throw new Error('MongoDB unreachable');
      return 'released 3 expired reservations';
    }, logger);
    await task.runOnce();
    await task.runOnce();
    expect(logger.lines).toEqual(['error reservation sweep failed: MongoDB unreachable', 'log released 3 expired reservations']);
  });

  it('runs on its interval until stopped, and stop waits for the run in progress', async () => {
    let runs = 0;
    let finished = 0;
    const task = new PeriodicTask('tick', async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 30));
      finished++;
    }, recorder());
    task.start(10);
    // Waits for a second run rather than a fixed time: on a loaded machine timers fire late.
    for (const deadline = Date.now() + 5_000; runs < 2 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    await task.stop();
    const afterStop = runs;
    expect(afterStop).toBeGreaterThanOrEqual(2);
    expect(finished).toBe(runs);
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toBe(afterStop);
  });

  it('does nothing with an interval of 0 (the sweep is off)', async () => {
    let runs = 0;
    const task = new PeriodicTask('off', async () => void runs++, recorder());
    task.start(0);
    await new Promise((r) => setTimeout(r, 30));
    await task.stop();
    expect(runs).toBe(0);
  });
});
