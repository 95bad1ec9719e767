/*
 * Benchmark on the Solomon VRPTW instances and the 1000-customer Gehring–Homberger instances.
 *
 *   npx tsx libs/dispatch-solver/bench/solomon.ts [FILTER[,FILTER…]] [--seeds 1,2,3] [--time-limit S]
 *     [--homberger NAME[,NAME…]|all|none] [--homberger-time S] [--homberger-seeds 1-16] [--jobs N]
 *     [--wall-clock] [--no-combine]
 *
 * FILTER: prefixes of instance names (e.g. `RC2`, `C101,R101,RC201`, `H` = Homberger only); default all
 * 56 Solomon instances. Each instance runs once per seed (default seeds 1,2,3) with the fleet limited to
 * the best-known vehicle count of bks.csv (`--vehicles`, a hard limit), each run in a fresh process
 * (the CLI), so that no run inherits JIT, heap or timing state from another. Time limits are CPU
 * seconds of that process unless --wall-clock is given. Solutions are checked with the shared
 * evaluator; the tables give, per instance, the gap of every seed, their mean and spread.
 *
 * Homberger (default `r1_10_1`, 60 s, only when FILTER is empty or `H`): first feasible plan within
 * the fleet, final gap and peak memory of the solver process. By default one run per instance (the
 * first seed); --homberger-seeds runs every listed seed and adds, per instance, how many runs reached
 * the fleet and when (route elimination on rc2_10_1 is decided run by run, so it is counted over many
 * seeds: `H --homberger rc2_10_1 --homberger-seeds 1-16 --jobs 2`). Before the runs it prints the
 * machine's speed (see machineSpeed), to compare runs made on different machines. --no-combine runs
 * the solver without its set partitioning over the routes of good plans (to compare).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BENCH_DIR = process.env['VRPTW_BENCH_DIR'] ?? '/work/shared/bench/vrptw';
const CLI = join(__dirname, '..', 'src', 'cli.ts');

interface Bks {
  vehicles: number;
  distance: number;
}

interface Run {
  name: string;
  seed: number;
  vehicles: number;
  bksVehicles: number;
  unserved: number;
  feasible: boolean;
  distance: number;
  gapPct: number;
  cpuSeconds: number;
  wallSeconds: number;
  /** Solver clock at the first plan within the fleet (from the progress lines). */
  firstWithinFleetS: number | null;
  peakRssMb: number;
}

function loadBks(): Map<string, Bks> {
  const [head, ...rows] = readFileSync(join(BENCH_DIR, 'bks.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return new Map(
    rows.map((r) => {
      const v = Object.fromEntries(r.split(',').map((x, i) => [cols[i], x]));
      return [v['instance'].toLowerCase(), { vehicles: Number(v['vehicles']), distance: Number(v['distance']) }];
    }),
  );
}

function evaluate(instanceFile: string, solutionFile: string): { feasible: boolean; vehicles: number; distance: number; violations: string[] } {
  const out = execFileSync(process.execPath, [join(BENCH_DIR, 'evaluate.mjs'), instanceFile, solutionFile], { encoding: 'utf8' });
  return JSON.parse(out);
}

function classOf(name: string): string {
  const m = /^(rc|r|c)(\d)/i.exec(name);
  return m ? `${m[1].toUpperCase()}${m[2]}` : '?';
}

/** Arguments that run the solver CLI under the same TypeScript loader as this script (tsx puts its hooks in execArgv). */
const cliArgs = (file: string, ...flags: string[]): string[] => [...process.execArgv, CLI, 'solve', file, ...flags];

/** The CLI's last stderr line: "done: vehicles=… distance=… iterations=… … cpu=…s peak-rss=…MB". */
function parseDone(stderr: string): { distance: number; iterations: number; cpuSeconds: number; peakRssMb: number } | null {
  const m = /done: .*distance=([\d.]+) iterations=(\d+) .*cpu=([\d.]+)s .*peak-rss=(\d+)MB/.exec(stderr);
  return m ? { distance: Number(m[1]), iterations: Number(m[2]), cpuSeconds: Number(m[3]), peakRssMb: Number(m[4]) } : null;
}

/** Runs the CLI in its own process and evaluates its solution. */
function runOnce(file: string, name: string, bks: Bks, seed: number, timeLimitS: number, cpuClock: boolean, outDir: string, noCombine: boolean): Promise<Run> {
  const args = cliArgs(file, '--time-limit', String(timeLimitS), '--seed', String(seed), '--vehicles', String(bks.vehicles));
  if (cpuClock) args.push('--cpu-clock');
  if (noCombine) args.push('--no-combine');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${name} seed ${seed}: solver exited with ${code}\n${stderr}`));
      const wallSeconds = (performance.now() - t0) / 1000;
      const solution = JSON.parse(stdout) as { routes: number[][]; unserved?: number[] };
      const solFile = join(outDir, `${name}.seed${seed}.json`);
      writeFileSync(solFile, JSON.stringify({ routes: solution.routes }));
      const ev = evaluate(file, solFile);
      let firstWithinFleetS: number | null = null;
      for (const line of stderr.split('\n')) {
        // progress lines: "12.34s vehicles=101 distance=…"
        const m = /^([\d.]+)s vehicles=(\d+)/.exec(line);
        if (m && Number(m[2]) <= bks.vehicles) {
          firstWithinFleetS = Number(m[1]);
          break;
        }
      }
      const done = parseDone(stderr);
      resolve({
        name,
        seed,
        vehicles: ev.vehicles,
        bksVehicles: bks.vehicles,
        unserved: solution.unserved?.length ?? 0,
        feasible: ev.feasible,
        distance: ev.distance,
        gapPct: ((ev.distance - bks.distance) / bks.distance) * 100,
        cpuSeconds: done?.cpuSeconds ?? NaN,
        wallSeconds,
        firstWithinFleetS,
        peakRssMb: done?.peakRssMb ?? NaN,
      });
    });
  });
}

/**
 * CPU seconds of a fixed workload (R211, seed 1, 2 000 iterations: deterministic, the same plan on every
 * run; without the set partitioning, so that the figure compares with earlier sessions' machines).
 * Results under a CPU-time limit depend on the machine's speed, so every benchmark prints this
 * figure first: runs are comparable only when it agrees (README, Benchmark).
 */
function machineSpeed(): string {
  const args = cliArgs(join(BENCH_DIR, 'solomon', 'R211.txt'), '--time-limit', '1000', '--max-iterations', '2000', '--seed', '1', '--cpu-clock', '--no-combine');
  const { stderr, status } = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const done = parseDone(stderr);
  if (status !== 0 || !done) throw new Error(`machine-speed run failed (${status}):\n${stderr}`);
  return `machine speed: R211 seed 1, ${done.iterations} iterations in ${done.cpuSeconds} CPU s (distance ${done.distance.toFixed(2)}; same workload, fewer seconds = faster machine)`;
}

/** Runs tasks with at most `jobs` at a time, keeping their order in the result. */
async function pool<T>(tasks: (() => Promise<T>)[], jobs: number, onDone: (r: T) => void): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
      onDone(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sd = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
};
const f2 = (x: number, w = 6): string => (Number.isFinite(x) ? x.toFixed(2) : '–').padStart(w);

/** A run counts for the gap only if it is feasible, complete and within the fleet. */
const valid = (r: Run): boolean => r.feasible && r.unserved === 0 && r.vehicles <= r.bksVehicles;

/** "1,2,5-8" → [1, 2, 5, 6, 7, 8]. */
function parseSeeds(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`bad seed list ${list}: use e.g. 1,2,3 or 1-16`);
    const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])];
    return Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function runLine(r: Run): string {
  const status = r.vehicles > r.bksVehicles ? 'OVER FLEET' : r.unserved > 0 ? `${r.unserved} unserved` : r.feasible ? 'ok' : 'INFEASIBLE';
  return `${r.name.padEnd(8)} seed ${r.seed} vehicles ${r.vehicles}/${r.bksVehicles} distance ${f2(r.distance, 9)} gap ${f2(r.gapPct)}% ${status} ${r.cpuSeconds.toFixed(1)}s cpu ${r.wallSeconds.toFixed(1)}s wall`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let filters: string[] = [];
  let seeds = [1, 2, 3];
  let timeLimitS = 10;
  let homberger = ['r1_10_1'];
  let hombergerTimeS = 60;
  let hombergerSeeds: number[] | null = null;
  let jobs = 1;
  let cpuClock = true;
  let noCombine = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--time-limit') timeLimitS = Number(argv[++i]);
    else if (a === '--seeds' || a === '--seed') seeds = parseSeeds(argv[++i]);
    else if (a === '--homberger') homberger = argv[++i].split(',');
    else if (a === '--homberger-time') hombergerTimeS = Number(argv[++i]);
    else if (a === '--homberger-seeds') hombergerSeeds = parseSeeds(argv[++i]);
    else if (a === '--jobs') jobs = Number(argv[++i]);
    else if (a === '--wall-clock') cpuClock = false;
    else if (a === '--no-combine') noCombine = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else filters = a.toUpperCase().split(',').filter(Boolean);
  }
  const bks = loadBks();
  const outDir = mkdtempSync(join(tmpdir(), 'solomon-'));
  const solomonOnly = filters.length > 0 && !filters.includes('H');
  const hombergerOnly = filters.length === 1 && filters[0] === 'H';
  console.log(`seeds ${seeds.join(',')}, ${timeLimitS} s ${cpuClock ? 'CPU' : 'wall-clock'} per run, ${jobs} at a time, one process per run`);
  console.log(machineSpeed());

  const files = hombergerOnly
    ? []
    : readdirSync(join(BENCH_DIR, 'solomon'))
        .filter((f) => f.endsWith('.txt') && (filters.length === 0 || filters.some((p) => f.toUpperCase().startsWith(p))))
        .sort();
  const tasks: (() => Promise<Run>)[] = [];
  for (const f of files) {
    const name = f.replace(/\.txt$/, '');
    const b = bks.get(name.toLowerCase());
    if (!b) continue;
    for (const seed of seeds) tasks.push(() => runOnce(join(BENCH_DIR, 'solomon', f), name, b, seed, timeLimitS, cpuClock, outDir, noCombine));
  }
  const runs = await pool(tasks, jobs, (r) => console.log(runLine(r)));

  if (runs.length) {
    const names = [...new Set(runs.map((r) => r.name))];
    console.log(`\n| instance | gap % per seed (${seeds.join(', ')}) | mean gap % | sd |`);
    console.log('|----------|------------------|------------|----|');
    const perInstance = names.map((name) => {
      const rs = runs.filter((r) => r.name === name);
      const gaps = rs.filter(valid).map((r) => r.gapPct);
      const complete = gaps.length === rs.length;
      console.log(`| ${name} | ${rs.map((r) => (valid(r) ? r.gapPct.toFixed(2) : 'n/a')).join(' / ')} | ${f2(mean(gaps))}${complete ? '' : ' *'} | ${f2(sd(gaps))} |`);
      return { name, cls: classOf(name), meanGap: mean(gaps), sdGap: sd(gaps), complete, rs };
    });
    console.log('\n| class | instances | runs | over fleet | with unserved | mean gap % | worst instance mean % | mean sd | worst run % | cpu s/run |');
    console.log('|-------|-----------|------|------------|---------------|------------|-----------------------|---------|-------------|-----------|');
    const row = (label: string, xs: typeof perInstance): void => {
      const rs = xs.flatMap((x) => x.rs);
      const ok = rs.filter(valid);
      const worstInst = xs.reduce((w, x) => (x.meanGap > w.meanGap ? x : w), xs[0]);
      const worstRun = ok.reduce((w, r) => (r.gapPct > w.gapPct ? r : w), ok[0]);
      console.log(
        `| ${label} | ${xs.length} | ${rs.length} | ${rs.filter((r) => r.vehicles > r.bksVehicles).length} | ${rs.filter((r) => r.unserved > 0).length} | ${f2(mean(xs.map((x) => x.meanGap)))} | ${f2(worstInst.meanGap)} (${worstInst.name}) | ${f2(mean(xs.map((x) => x.sdGap)))} | ${worstRun ? `${f2(worstRun.gapPct)} (${worstRun.name} s${worstRun.seed})` : '–'} | ${f2(mean(rs.map((r) => r.cpuSeconds)), 4)} |`,
      );
    };
    for (const c of [...new Set(perInstance.map((x) => x.cls))].sort()) row(c, perInstance.filter((x) => x.cls === c));
    row('**all**', perInstance);
    if (perInstance.some((x) => !x.complete)) console.log('* mean over the runs that were feasible, complete and within the fleet');
    console.log(`solutions in ${outDir}`);
  }

  if (!solomonOnly && !homberger.includes('none')) {
    const names = homberger.includes('all')
      ? readdirSync(join(BENCH_DIR, 'homberger_1000')).filter((f) => f.endsWith('.txt')).map((f) => f.replace(/\.txt$/, '')).sort()
      : homberger;
    const hSeeds = hombergerSeeds ?? seeds.slice(0, 1);
    const hTasks = names.flatMap((name) => {
      const b = bks.get(name.toLowerCase());
      if (!b) throw new Error(`no best-known solution for ${name}`);
      return hSeeds.map((seed) => () => runOnce(join(BENCH_DIR, 'homberger_1000', `${name}.txt`), name, b, seed, hombergerTimeS, cpuClock, outDir, noCombine));
    });
    console.log(`\nGehring–Homberger, ${hombergerTimeS} s per run, seed${hSeeds.length > 1 ? 's' : ''} ${hSeeds.join(',')}:`);
    const hRuns = await pool(hTasks, jobs, (r) =>
      console.log(
        `${runLine(r)}; first plan within the fleet ${r.firstWithinFleetS === null ? 'never' : `after ${r.firstWithinFleetS} s`} (solver clock); peak RSS ${r.peakRssMb} MB`,
      ),
    );
    if (hSeeds.length > 1) {
      console.log('\n| instance | runs | within the fleet | of those ≤ 5 s | time to the fleet s (min / median / max) | mean gap % of those | peak RSS MB (max) |');
      console.log('|----------|------|------------------|----------------|-------------------------------------------|---------------------|-------------------|');
      for (const name of names) {
        const rs = hRuns.filter((r) => r.name === name);
        const ok = rs.filter(valid);
        const times = ok.map((r) => r.firstWithinFleetS ?? NaN);
        console.log(
          `| ${name} | ${rs.length} | ${ok.length} | ${times.filter((t) => t <= 5).length} | ${f2(Math.min(...times))} / ${f2(median(times))} / ${f2(Math.max(...times))} | ${f2(ok.length ? mean(ok.map((r) => r.gapPct)) : NaN)} | ${Math.max(...rs.map((r) => r.peakRssMb))} |`,
        );
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
