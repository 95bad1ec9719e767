import { haversineKm } from './compile';
import type { Plan, Problem, Stop, TemperatureClass } from './model';

const EPS = 1e-6;

/** Travel distance and time between two places of a problem, computed straight from the model. */
export function travelBetween(problem: Problem, from: { location?: unknown; matrixIndex?: number }, to: { location?: unknown; matrixIndex?: number }): { distance: number; time: number } {
  const t = problem.travel;
  if (t.kind === 'matrix') {
    const i = from.matrixIndex as number;
    const j = to.matrixIndex as number;
    return { distance: t.distances[i][j], time: (t.durations ?? t.distances)[i][j] };
  }
  if (t.kind === 'geo') {
    const a = from.location as { lat: number; lon: number };
    const b = to.location as { lat: number; lon: number };
    const d = a.lat === b.lat && a.lon === b.lon ? 0 : haversineKm(a, b) * (t.roadFactor ?? 1.3);
    return { distance: d, time: (d / t.speedKmh) * 60 };
  }
  const a = from.location as { x: number; y: number };
  const b = to.location as { x: number; y: number };
  const d = Math.hypot(a.x - b.x, a.y - b.y);
  return { distance: d, time: d / (t.speed ?? 1) };
}

/**
 * Independent check of a plan against its problem: every stop served once or reported unserved,
 * compartments and temperature classes, time windows, ride limits, shifts, route duration,
 * locks and fixed prefixes. Returns the violations (empty when the plan is valid).
 */
export function checkPlan(problem: Problem, plan: Plan): string[] {
  const out: string[] = [];
  const stops = new Map(problem.stops.map((s) => [s.id, s]));
  const depots = new Map(problem.depots.map((d) => [d.id, d]));
  const vehicles = new Map(problem.vehicles.map((v) => [v.id, v]));
  const seen = new Map<string, number>();
  const usedVehicles = new Set<string>();
  let total = 0;
  for (const route of plan.routes) {
    const v = vehicles.get(route.vehicleId);
    if (!v) {
      out.push(`unknown vehicle ${route.vehicleId}`);
      continue;
    }
    if (usedVehicles.has(v.id)) out.push(`vehicle ${v.id} used twice`);
    usedVehicles.add(v.id);
    const startDepot = depots.get(v.depotId);
    const endDepot = depots.get(v.endDepotId ?? v.depotId);
    if (!startDepot || !endDepot) {
      out.push(`vehicle ${v.id}: unknown depot`);
      continue;
    }
    const prefix = v.fixedPrefix ?? [];
    prefix.forEach((id, i) => {
      if (route.visits[i]?.stopId !== id) out.push(`vehicle ${v.id}: fixed prefix broken at ${i}`);
    });
    const load: Partial<Record<TemperatureClass, number>> = {};
    if (route.departure < v.shiftStart - EPS) out.push(`vehicle ${v.id}: leaves before its shift`);
    let t = route.departure;
    let prev: { location?: unknown; matrixIndex?: number } = startDepot;
    let distance = 0;
    for (const visit of route.visits) {
      const s = stops.get(visit.stopId) as Stop | undefined;
      if (!s) {
        out.push(`vehicle ${v.id}: unknown stop ${visit.stopId}`);
        continue;
      }
      seen.set(s.id, (seen.get(s.id) ?? 0) + 1);
      if (s.lockedVehicleId !== undefined && s.lockedVehicleId !== v.id) out.push(`stop ${s.id}: locked to ${s.lockedVehicleId} but on ${v.id}`);
      for (const [cls, q] of Object.entries(s.demand)) load[cls as TemperatureClass] = (load[cls as TemperatureClass] ?? 0) + (q ?? 0);
      const leg = travelBetween(problem, prev, s);
      distance += leg.distance;
      const arrival = t + leg.time;
      const start = Math.max(arrival, s.timeWindow?.start ?? -Infinity);
      if (s.timeWindow && start > s.timeWindow.end + EPS) out.push(`stop ${s.id}: service at ${start.toFixed(2)} after window end ${s.timeWindow.end}`);
      if (s.maxRideTime !== undefined && arrival - route.departure > s.maxRideTime + EPS) {
        out.push(`stop ${s.id}: ride ${(arrival - route.departure).toFixed(2)} > ${s.maxRideTime}`);
      }
      if (Math.abs(visit.arrival - arrival) > 1e-3 || Math.abs(visit.serviceStart - start) > 1e-3) out.push(`stop ${s.id}: reported times differ from the schedule`);
      t = start + (s.serviceTime ?? 0);
      prev = s;
    }
    const back = travelBetween(problem, prev, endDepot);
    distance += back.distance;
    t += back.time;
    total += distance;
    if (t > v.shiftEnd + EPS) out.push(`vehicle ${v.id}: back at ${t.toFixed(2)} after shift end ${v.shiftEnd}`);
    if (v.maxRouteDuration !== undefined && t - route.departure > v.maxRouteDuration + EPS) out.push(`vehicle ${v.id}: route lasts ${(t - route.departure).toFixed(2)} > ${v.maxRouteDuration}`);
    if (Math.abs(distance - route.distance) > 1e-3) out.push(`vehicle ${v.id}: reported distance ${route.distance} != ${distance}`);
    for (const [cls, q] of Object.entries(load)) {
      const cap = v.compartments.filter((c) => c.temperature === cls).reduce((a, c) => a + c.capacity, 0);
      if ((q ?? 0) > 0 && cap === 0) out.push(`vehicle ${v.id}: carries ${cls} goods without a ${cls} compartment`);
      else if ((q ?? 0) > cap + EPS) out.push(`vehicle ${v.id}: ${cls} load ${q} > ${cap}`);
    }
  }
  for (const u of plan.unserved) seen.set(u.stopId, (seen.get(u.stopId) ?? 0) + 1);
  for (const s of problem.stops) {
    const c = seen.get(s.id) ?? 0;
    if (c !== 1) out.push(`stop ${s.id} appears ${c} times among routes and unserved stops`);
  }
  if (Math.abs(total - plan.distance) > 1e-3) out.push(`plan distance ${plan.distance} != ${total}`);
  return out;
}
