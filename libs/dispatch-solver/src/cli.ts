#!/usr/bin/env node
/*
 * Dispatch-solver CLI for benchmarks and tooling.
 *
 *   npx tsx libs/dispatch-solver/src/cli.ts solve FILE [--time-limit S] [--seed N] [--vehicles K]
 *     [--max-iterations N] [--cpu-clock] [--no-combine] [--quiet]
 *
 * Prints exactly one JSON line {"routes": [[customer ids…], …]} on stdout (plus "unserved": [ids] when
 * some customers did not fit); progress and warnings go to stderr.
 * --vehicles K is a hard fleet limit: the plan never uses more than K vehicles; customers that do not
 * fit are left unserved, listed with the reason on stderr.
 */
import { readFileSync } from 'node:fs';
import type { UnservedStop } from './lib/model';
import { loadRouteCombiner, type RouteCombiner } from './lib/route-combiner';
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
  /** Without the set partitioning over the routes of good plans (to compare with it). */
  noCombine?: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const [command, file, ...rest] = argv;
  if (command !== 'solve' || !file) throw new Error('usage: cli.ts solve <Solomon-format file> [--time-limit S] [--seed N] [--vehicles K] [--max-iterations N] [--cpu-clock] [--no-combine] [--quiet]');
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
    else if (flag === '--no-combine') args.noCombine = true;
    else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

export interface SolomonSolution {
  /** Customer ids per route (depot implied). */
  routes: number[][];
  /** Customers left out because they did not fit in the fleet (or, without --vehicles, the file's fleet). */
  unserved: UnservedStop[];
}

/** Solves a Solomon file; the routes never use more than --vehicles (or the file's fleet). */
export function solveSolomonFile(args: CliArgs, log: (line: string) => void = () => undefined, combineRoutes?: RouteCombiner): SolomonSolution {
  const inst = parseSolomon(readFileSync(args.file, 'utf8'));
  // --vehicles K: the search may start with the file's fleet but the plan uses at most K vehicles
  const fleet = Math.max(args.vehicles ?? 0, inst.vehicles);
  const cpu0 = cpuMs();
  const plan = solve(solomonToProblem(inst, fleet), {
    vehicleTarget: args.vehicles,
    maxVehicles: args.vehicles,
    timeLimitMs: args.timeLimitS * 1000,
    seed: args.seed,
    maxIterations: args.maxIterations,
    now: args.cpuClock ? cpuMs : undefined,
    vehicleReductionShare: args.vehicles === undefined ? 0.3 : 0.8,
    combineRoutes,
    onProgress: (p) => log(`${(p.elapsedMs / 1000).toFixed(2)}s vehicles=${p.vehicles} distance=${p.distance.toFixed(2)}`),
  });
  const routes = plan.routes.map((r) => r.visits.map((v) => Number(v.stopId)));
  if (plan.unserved.length) {
    const limit = args.vehicles ?? fleet;
    log(`warning: ${plan.unserved.length} of ${inst.nodes.length - 1} customers unserved: they did not fit in ${limit} vehicles`);
    for (const u of plan.unserved) log(`unserved ${u.stopId}: ${u.reason}: ${u.message}`);
  }
  log(`done: vehicles=${routes.length} unserved=${plan.unserved.length} distance=${plan.distance.toFixed(2)} iterations=${plan.iterations} elapsed=${(plan.elapsedMs / 1000).toFixed(2)}s cpu=${((cpuMs() - cpu0) / 1000).toFixed(2)}s peak-rss=${Math.round(process.resourceUsage().maxRSS / 1024)}MB`);
  return { routes, unserved: plan.unserved };
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  // warnings about unserved customers are printed even with --quiet
  const log = (l: string): void => {
    if (!args.quiet || /^(warning|unserved)/.test(l)) process.stderr.write(`${l}\n`);
  };
  const { routes, unserved } = solveSolomonFile(args, log, args.noCombine ? undefined : await loadRouteCombiner());
  const out = unserved.length ? { routes, unserved: unserved.map((u) => Number(u.stopId)) } : { routes };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (require.main === module) void main();
