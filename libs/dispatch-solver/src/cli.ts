#!/usr/bin/env node
/*
 * Dispatch-solver CLI for benchmarks and tooling.
 *
 *   npx tsx libs/dispatch-solver/src/cli.ts solve FILE [--time-limit S] [--seed N] [--vehicles K]
 *     [--max-iterations N] [--cpu-clock] [--quiet]
 *
 * Prints exactly one JSON line {"routes": [[customer ids…], …]} on stdout; progress goes to stderr.
 * --vehicles K limits the fleet to K vehicles and spends the whole budget on distance.
 */
import { readFileSync } from 'node:fs';
import { solve } from './lib/solve';
import { parseSolomon, solomonToProblem } from './lib/solomon';

/** CPU time of this process in ms: fair time limits on a machine shared with other work. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface CliArgs {
  file: string;
  timeLimitS: number;
  seed: number;
  vehicles?: number;
  maxIterations?: number;
  quiet: boolean;
  /** Measure the time limit in CPU time of this process instead of wall-clock time. */
  cpuClock?: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const [command, file, ...rest] = argv;
  if (command !== 'solve' || !file) throw new Error('usage: cli.ts solve <Solomon-format file> [--time-limit S] [--seed N] [--vehicles K] [--max-iterations N] [--cpu-clock] [--quiet]');
  const args: CliArgs = { file, timeLimitS: 10, seed: 1, quiet: false };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const num = (): number => {
      const v = Number(rest[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${flag} needs a non-negative number`);
      return v;
    };
    if (flag === '--time-limit') args.timeLimitS = num();
    else if (flag === '--seed') args.seed = Math.floor(num());
    else if (flag === '--vehicles') args.vehicles = Math.max(1, Math.floor(num()));
    else if (flag === '--max-iterations') args.maxIterations = Math.floor(num());
    else if (flag === '--quiet') args.quiet = true;
    else if (flag === '--cpu-clock') args.cpuClock = true;
    else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

/** Solves a Solomon file and returns the routes as customer ids (depot implied). */
export function solveSolomonFile(args: CliArgs, log: (line: string) => void = () => undefined): number[][] {
  const inst = parseSolomon(readFileSync(args.file, 'utf8'));
  // --vehicles K: reduce the fleet down to K vehicles, then minimise distance
  const fleet = Math.max(args.vehicles ?? 0, inst.vehicles);
  const plan = solve(solomonToProblem(inst, fleet), {
    vehicleTarget: args.vehicles,
    timeLimitMs: args.timeLimitS * 1000,
    seed: args.seed,
    maxIterations: args.maxIterations,
    now: args.cpuClock ? cpuMs : undefined,
    vehicleReductionShare: args.vehicles === undefined ? 0.3 : 0.8,
    onProgress: (p) => log(`${(p.elapsedMs / 1000).toFixed(2)}s vehicles=${p.vehicles} distance=${p.distance.toFixed(2)}`),
  });
  const routes = plan.routes.map((r) => r.visits.map((v) => Number(v.stopId)));
  if (plan.unserved.length) {
    // Every Solomon customer can be served by a vehicle of its own: report the overflow rather
    // than print an incomplete solution.
    log(`warning: ${plan.unserved.length} customers did not fit in ${fleet} vehicles; adding single-customer routes`);
    for (const u of plan.unserved) routes.push([Number(u.stopId)]);
  }
  log(`done: vehicles=${routes.length} distance=${plan.distance.toFixed(2)} iterations=${plan.iterations} elapsed=${(plan.elapsedMs / 1000).toFixed(2)}s`);
  return routes;
}

function main(): void {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const routes = solveSolomonFile(args, args.quiet ? undefined : (l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${JSON.stringify({ routes })}\n`);
}

if (require.main === module) main();
