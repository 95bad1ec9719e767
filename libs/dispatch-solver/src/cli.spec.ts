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
    expect(() => parseArgs(['solve', 'x.txt', '--fast'])).toThrow('unknown option --fast');
    expect(() => parseArgs(['plan', 'x.txt'])).toThrow('usage');
    expect(() => parseArgs(['solve', 'x.txt', '--seed', 'abc'])).toThrow('--seed needs a non-negative number');
  });

  it('solves a Solomon-format file: every customer exactly once, capacity respected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatch-cli-'));
    const file = join(dir, 'tiny.txt');
    writeFileSync(file, INSTANCE);
    const routes = solveSolomonFile({ file, timeLimitS: 30, seed: 1, maxIterations: 50, quiet: true });
    expect(routes.flat().sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const inst = parseSolomon(INSTANCE);
    for (const r of routes) {
      expect(r.reduce((s, id) => s + inst.nodes[id].demand, 0)).toBeLessThanOrEqual(30);
    }
    expect(routes.length).toBeLessThanOrEqual(3);
  });
});
