/**
 * The planning figure without the service around it: the same kind of day as logistics.ts (300 stops
 * around 开平: frozen, chilled, ambient, 60 hot-meal stops with a 4 h ride limit; 25 mixed vehicles),
 * built with the service's own problem builder and solved in this thread with a CPU-time clock, so
 * a shared, overloaded machine does not eat the budget. Prints time to the first feasible plan and
 * the plan after the budget.
 *
 *   nice -n 10 npx tsx --tsconfig apps/logistics/tsconfig.tsx.json apps/logistics/bench/plan-day.ts [--seconds 30]
 */
import { loadavg } from 'node:os';
import type { TemperatureClass } from '@techan/common';
import { checkPlan, solve } from '@techan/dispatch-solver';
import { buildProblem, demandKg, type PlanningShipment, type PlanningVehicle } from '../src/domain';

const i = process.argv.indexOf('--seconds');
const SECONDS = i >= 0 ? Number(process.argv[i + 1]) : 30;
const DATE = '2026-12-02';

function rand(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const r = rand(7);
const classes: [TemperatureClass, number][] = [['frozen', 3000], ['frozen', 1000], ['chilled', 1500], ['chilled', 2000], ['ambient', 5000], ['ambient', 500]];
const shipments: PlanningShipment[] = [];
for (let k = 0; k < 300; k++) {
  const hot = k < 60;
  const from = hot ? 180 + Math.floor(r() * 4) * 15 : Math.floor(r() * 8) * 60;
  const start = Date.parse(`${DATE}T00:00:00Z`) + from * 60_000;
  const lines = hot
    ? [{ temperatureClass: 'hot' as TemperatureClass, weightGrams: (40 + Math.floor(r() * 80)) * 450 }]
    : classes.filter(() => r() < 0.45).map(([c, g]) => ({ temperatureClass: c, weightGrams: (1 + Math.floor(r() * 6)) * g }));
  if (lines.length === 0) lines.push({ temperatureClass: 'ambient', weightGrams: 10_000 });
  shipments.push({
    id: `s${k}`,
    lat: 22.2 + r() * 0.4,
    lng: 112.42 + r() * 0.4,
    windowFrom: new Date(start).toISOString(),
    windowUntil: new Date(start + (hot ? 60 : 180) * 60_000).toISOString(),
    serviceMinutes: hot ? 12 : 5,
    demandKg: demandKg(lines),
    ...(hot ? { maxRideMinutes: 240 } : {}),
  });
}
const kinds: [number, PlanningVehicle['compartments'], number][] = [
  [8, [{ temperatureClass: 'frozen', capacityKg: 500 }, { temperatureClass: 'chilled', capacityKg: 700 }], 42_000],
  [7, [{ temperatureClass: 'frozen', capacityKg: 250 }, { temperatureClass: 'chilled', capacityKg: 350 }, { temperatureClass: 'ambient', capacityKg: 600 }], 38_000],
  [4, [{ temperatureClass: 'chilled', capacityKg: 400 }, { temperatureClass: 'ambient', capacityKg: 1000 }], 30_000],
  [6, [{ temperatureClass: 'hot', capacityKg: 300 }], 26_000],
];
const vehicles: PlanningVehicle[] = kinds.flatMap(([n, compartments, fixedCostFen], kind) => Array.from({ length: n }, (_, j) => ({ id: `v${kind}-${j}`, compartments, fixedCostFen, perKmCostFen: 300 })));
const problem = buildProblem(DATE, { id: 'kaiping-dc', lat: 22.4075, lng: 112.6231, opensAt: '05:30', closesAt: '21:00' }, vehicles, shipments, { locks: {}, fixedPrefixes: {} });

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let first: number | undefined;
const wall0 = performance.now();
const plan = solve(problem, {
  timeLimitMs: SECONDS * 1000,
  seed: 1,
  now: cpuMs,
  onProgress: (p) => {
    if (first === undefined && Number.isFinite(p.bestCost)) first = p.elapsedMs;
  },
});
const violations = checkPlan(problem, plan);
const byReason = plan.unserved.reduce<Record<string, number>>((a, u) => ({ ...a, [u.reason]: (a[u.reason] ?? 0) + 1 }), {});
console.log(
  `plan-day: 300 stops (60 hot, 4 h ride limit), 25 vehicles, ${SECONDS} CPU-s budget (${((performance.now() - wall0) / 1000).toFixed(0)} s wall, load ${loadavg()[0].toFixed(0)}): ` +
    `first feasible after ${first?.toFixed(0) ?? '—'} CPU-ms; final ${plan.routes.length} routes, ${plan.distance.toFixed(1)} km, cost ${Math.round(plan.cost)}, ` +
    `${plan.unserved.length} unserved ${JSON.stringify(byReason)}, ${plan.iterations} iterations, ${violations.length} constraint violations`,
);
