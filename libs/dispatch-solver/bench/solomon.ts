/*
 * Benchmark on the Solomon VRPTW instances (and one 1000-customer Gehring–Homberger instance).
 *
 *   npx tsx libs/dispatch-solver/bench/solomon.ts [FILTER] [--time-limit S] [--seed N] [--homberger NAME|none]
 *     [--wall-clock]
 *
 * Time limits are CPU seconds of the benchmark process unless --wall-clock is given.
 *
 * FILTER is a prefix of instance names (e.g. R1, RC2, C101); default all 56. Single thread, fleet
 * limited to the best-known vehicle count of bks.csv. Solutions are written to a temp directory and
 * checked with the shared evaluator (feasibility, distance, gap).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solveSolomonFile } from '../src/cli';

const BENCH_DIR = process.env['VRPTW_BENCH_DIR'] ?? '/work/shared/bench/vrptw';

interface Row {
  name: string;
  cls: string;
  vehicles: number;
  bksVehicles: number;
  distance: number;
  bksDistance: number;
  feasible: boolean;
  gapPct: number;
  seconds: number;
  cpuSeconds: number;
}

function loadBks(): Map<string, { vehicles: number; distance: number }> {
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

function main(): void {
  const argv = process.argv.slice(2);
  let filter = '';
  let timeLimitS = 10;
  let seed = 1;
  let homberger = 'r1_10_1';
  // CPU-time limits by default: the machine is shared, so wall-clock budgets would be unfair
  let cpuClock = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--time-limit') timeLimitS = Number(argv[++i]);
    else if (argv[i] === '--seed') seed = Number(argv[++i]);
    else if (argv[i] === '--homberger') homberger = argv[++i];
    else if (argv[i] === '--wall-clock') cpuClock = false;
    else filter = argv[i].toUpperCase();
  }
  const bks = loadBks();
  const outDir = mkdtempSync(join(tmpdir(), 'solomon-'));
  const files = readdirSync(join(BENCH_DIR, 'solomon'))
    .filter((f) => f.endsWith('.txt') && f.toUpperCase().startsWith(filter))
    .sort();
  const rows: Row[] = [];
  for (const f of files) {
    const name = f.replace(/\.txt$/, '');
    const b = bks.get(name.toLowerCase());
    if (!b) continue;
    const file = join(BENCH_DIR, 'solomon', f);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const routes = solveSolomonFile({ file, timeLimitS, seed, vehicles: b.vehicles, quiet: true, cpuClock });
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const seconds = (performance.now() - t0) / 1000;
    const solFile = join(outDir, `${name}.json`);
    writeFileSync(solFile, JSON.stringify({ routes }));
    const ev = evaluate(file, solFile);
    const row: Row = {
      name,
      cls: classOf(name),
      vehicles: ev.vehicles,
      bksVehicles: b.vehicles,
      distance: ev.distance,
      bksDistance: b.distance,
      feasible: ev.feasible,
      gapPct: ((ev.distance - b.distance) / b.distance) * 100,
      seconds,
      cpuSeconds,
    };
    rows.push(row);
    console.log(
      `${name.padEnd(6)} vehicles ${row.vehicles}/${row.bksVehicles} distance ${row.distance.toFixed(2).padStart(8)} bks ${b.distance.toFixed(2).padStart(8)} gap ${row.gapPct.toFixed(2).padStart(6)}% ${row.feasible ? 'feasible' : 'INFEASIBLE ' + ev.violations.slice(0, 2).join('; ')} ${row.cpuSeconds.toFixed(1)}s cpu ${seconds.toFixed(1)}s wall`,
    );
  }
  const summary = (label: string, rs: Row[]): string => {
    const ok = rs.filter((r) => r.feasible && r.vehicles <= r.bksVehicles);
    const gaps = ok.map((r) => r.gapPct);
    const mean = gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length);
    const secs = rs.reduce((a, r) => a + r.cpuSeconds, 0) / Math.max(1, rs.length);
    const feasible = rs.filter((r) => r.feasible).length;
    const extra = rs.filter((r) => r.vehicles > r.bksVehicles).length;
    return `| ${label.padEnd(5)} | ${String(rs.length).padStart(3)} | ${String(feasible).padStart(8)} | ${String(extra).padStart(13)} | ${mean.toFixed(2).padStart(12)} | ${(gaps.length ? Math.max(...gaps) : NaN).toFixed(2).padStart(11)} | ${secs.toFixed(1).padStart(10)} |`;
  };
  if (rows.length) {
    console.log('\n| class |   n | feasible | more vehicles | mean gap % * | max gap % * | cpu s/inst |');
    console.log('|-------|-----|----------|---------------|--------------|-------------|------------|');
    const classes = [...new Set(rows.map((r) => r.cls))].sort();
    for (const c of classes) console.log(summary(c, rows.filter((r) => r.cls === c)));
    console.log(summary('ALL', rows));
    console.log('* over instances solved feasibly with at most the best-known number of vehicles');
    console.log(`solutions in ${outDir}; re-check with: node ${join(BENCH_DIR, 'evaluate.mjs')} --solutions ${outDir}`);
  }

  if (homberger !== 'none' && (filter === '' || filter === 'H')) {
    const name = homberger;
    const file = join(BENCH_DIR, 'homberger_1000', `${name}.txt`);
    const b = bks.get(name.toLowerCase());
    const t0 = performance.now();
    // progress lines look like "12.34s vehicles=101 distance=…": note when the plan first became
    // feasible and when it reached the best-known vehicle count
    let firstFeasibleS: number | null = null;
    let atBksVehiclesS: number | null = null;
    const log = (line: string): void => {
      const m = /^([\d.]+)s vehicles=(\d+)/.exec(line);
      if (!m) return;
      firstFeasibleS ??= Number(m[1]);
      if (b && Number(m[2]) <= b.vehicles) atBksVehiclesS ??= Number(m[1]);
    };
    const routes = solveSolomonFile({ file, timeLimitS: 50, seed, vehicles: b?.vehicles, quiet: true, cpuClock }, log);
    const seconds = (performance.now() - t0) / 1000;
    const solFile = join(outDir, `${name}.json`);
    writeFileSync(solFile, JSON.stringify({ routes }));
    const ev = evaluate(file, solFile);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      `\nGehring–Homberger ${name}: ${ev.feasible ? 'feasible' : 'INFEASIBLE'} vehicles ${ev.vehicles}/${b?.vehicles} distance ${ev.distance.toFixed(2)} (bks ${b?.distance}, gap ${b ? (((ev.distance - b.distance) / b.distance) * 100).toFixed(2) : '?'}%) in ${seconds.toFixed(1)} s wall; first feasible plan after ${firstFeasibleS ?? '?'} s, best-known vehicle count after ${atBksVehiclesS ?? 'never'} s (solver clock); peak RSS ${rssMb.toFixed(0)} MB`,
    );
  }
}

main();
