import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, solveSolomonFile } from './cli';
import { parseSolomon } from './lib/solomon';

const INSTANCE = `TINY

VEHICLE
NUMBER     CAPACITY
  3         30

CUSTOMER
CUST NO.   XCOORD.   YCOORD.    DEMAND   READY TIME   DUE DATE   SERVICE TIME

    0          50      50           0       0         500           0
    1          60      50          10      0         100          10
    2          70      50          10     50         200          10
    3          40      50          10      0         300          10
    4          30      50          10     80         300          10
    5          50      70          15      0         400          10
    6          50      30          15      0         400          10
`;

describe('CLI', () => {
  it('parses options and rejects unknown ones', () => {
    expect(parseArgs(['solve', 'x.txt', '--time-limit', '2', '--seed', '9', '--vehicles', '4'])).toEqual({
      file: 'x.txt',
      timeLimitS: 2,
      seed: 9,
      vehicles: 4,
      quiet: false,
    });
    expect(parseArgs(['solve', 'x.txt', '--no-combine', '--cpu-clock'])).toMatchObject({ noCombine: true, cpuClock: true });
    expect(() => parseArgs(['solve', 'x.txt', '--fast'])).toThrow('unknown option --fast');
    expect(() => parseArgs(['plan', 'x.txt'])).toThrow('usage');
    expect(() => parseArgs(['solve', 'x.txt', '--seed', 'abc'])).toThrow('--seed needs a non-negative number');
  });

  it('solves a Solomon-format file: every customer exactly once, capacity respected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatch-cli-'));
    const file = join(dir, 'tiny.txt');
    writeFileSync(file, INSTANCE);
    const { routes, unserved } = solveSolomonFile({ file, timeLimitS: 30, seed: 1, maxIterations: 50, quiet: true });
    expect(unserved).toEqual([]);
    expect(routes.flat().sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const inst = parseSolomon(INSTANCE);
    for (const r of routes) {
      expect(r.reduce((s, id) => s + inst.nodes[id].demand, 0)).toBeLessThanOrEqual(30);
    }
    expect(routes.length).toBeLessThanOrEqual(3);
  });

  it('never exceeds --vehicles: customers that do not fit are returned as unserved and reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatch-cli-'));
    const file = join(dir, 'tiny.txt');
    writeFileSync(file, INSTANCE);
    // 70 units of demand, 30 per vehicle: one vehicle cannot serve everybody
    const lines: string[] = [];
    const { routes, unserved } = solveSolomonFile({ file, timeLimitS: 30, seed: 1, maxIterations: 50, vehicles: 1, quiet: true }, (l) => lines.push(l));
    expect(routes.length).toBe(1);
    expect(unserved.length).toBeGreaterThan(0);
    expect(unserved.every((u) => u.reason === 'no-room-in-fleet')).toBe(true);
    expect([...routes.flat(), ...unserved.map((u) => Number(u.stopId))].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines.some((l) => l.startsWith(`warning: ${unserved.length} of 6 customers unserved`))).toBe(true);
  });

  it('prints the unserved customers in the JSON line and on stderr, even with --quiet', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatch-cli-'));
    const file = join(dir, 'tiny.txt');
    writeFileSync(file, INSTANCE);
    const tsx = require.resolve('tsx/cli');
    const run = spawnSync(process.execPath, [tsx, join(__dirname, 'cli.ts'), 'solve', file, '--vehicles', '2', '--max-iterations', '50', '--quiet'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { routes: number[][]; unserved?: number[] };
    expect(out.routes.length).toBeLessThanOrEqual(2);
    expect(out.unserved?.length).toBeGreaterThan(0);
    expect(run.stderr).toContain('customers unserved: they did not fit in 2 vehicles');
    for (const id of out.unserved ?? []) expect(run.stderr).toContain(`unserved ${id}: no-room-in-fleet`);
  });
});
