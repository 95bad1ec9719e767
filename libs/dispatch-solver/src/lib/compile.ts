import type { CompiledProblem } from './compiled';
import {
  TEMPERATURE_CLASSES,
  type Location,
  type Problem,
  type TemperatureClass,
  type UnservedReason,
  type UnservedStop,
} from './model';

/** Raised for malformed problems; callers should map it to a 4xx response. */
export class ProblemValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid dispatch problem: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ' …' : ''}`);
    this.name = 'ProblemValidationError';
  }
}

export const DEFAULT_VEHICLE_COST = 100_000;
const EARTH_RADIUS_KM = 6371.0088;

export interface Compilation {
  compiled: CompiledProblem;
  /** Stop ids by node index (depots have their depot id). */
  nodeIds: string[];
  classes: TemperatureClass[];
  /** Stops rejected before the search, with the reason. */
  unserved: UnservedStop[];
}

function isGeo(l: Location): l is { lat: number; lon: number } {
  return 'lat' in l;
}

export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function validate(problem: Problem): string[] {
  const issues: string[] = [];
  if (!problem || !Array.isArray(problem.depots) || !Array.isArray(problem.vehicles) || !Array.isArray(problem.stops)) {
    return ['problem needs depots, vehicles and stops arrays'];
  }
  if (problem.depots.length === 0) issues.push('at least one depot is required');
  if (problem.vehicles.length === 0) issues.push('at least one vehicle is required');
  const ids = new Set<string>();
  const depotIds = new Set(problem.depots.map((d) => d.id));
  const vehicleIds = new Set<string>();
  for (const d of problem.depots) {
    if (ids.has(d.id)) issues.push(`duplicate id ${d.id}`);
    ids.add(d.id);
  }
  for (const s of problem.stops) {
    if (ids.has(s.id)) issues.push(`duplicate id ${s.id}`);
    ids.add(s.id);
    for (const [k, q] of Object.entries(s.demand ?? {})) {
      if (!TEMPERATURE_CLASSES.includes(k as TemperatureClass)) issues.push(`stop ${s.id}: unknown temperature class ${k}`);
      if (!finite(q) || q < 0) issues.push(`stop ${s.id}: demand must be a non-negative number`);
    }
    if (s.serviceTime !== undefined && (!finite(s.serviceTime) || s.serviceTime < 0)) issues.push(`stop ${s.id}: bad service time`);
    if (s.timeWindow && (!finite(s.timeWindow.start) || !finite(s.timeWindow.end) || s.timeWindow.end < s.timeWindow.start)) {
      issues.push(`stop ${s.id}: time window end must not precede its start`);
    }
    if (s.maxRideTime !== undefined && (!finite(s.maxRideTime) || s.maxRideTime < 0)) issues.push(`stop ${s.id}: bad max ride time`);
  }
  for (const v of problem.vehicles) {
    if (vehicleIds.has(v.id)) issues.push(`duplicate vehicle id ${v.id}`);
    vehicleIds.add(v.id);
    if (!depotIds.has(v.depotId)) issues.push(`vehicle ${v.id}: unknown depot ${v.depotId}`);
    if (v.endDepotId !== undefined && !depotIds.has(v.endDepotId)) issues.push(`vehicle ${v.id}: unknown end depot ${v.endDepotId}`);
    if (!finite(v.shiftStart) || !finite(v.shiftEnd) || v.shiftEnd < v.shiftStart) issues.push(`vehicle ${v.id}: shift end must not precede its start`);
    if (!Array.isArray(v.compartments)) issues.push(`vehicle ${v.id}: compartments required`);
    for (const c of v.compartments ?? []) {
      if (!TEMPERATURE_CLASSES.includes(c.temperature)) issues.push(`vehicle ${v.id}: unknown temperature class ${c.temperature}`);
      if (!finite(c.capacity) || c.capacity < 0) issues.push(`vehicle ${v.id}: bad compartment capacity`);
    }
  }
  const stopIds = new Set(problem.stops.map((s) => s.id));
  const prefixed = new Set<string>();
  for (const v of problem.vehicles) {
    for (const id of v.fixedPrefix ?? []) {
      if (!stopIds.has(id)) issues.push(`vehicle ${v.id}: fixed prefix names unknown stop ${id}`);
      if (prefixed.has(id)) issues.push(`stop ${id} is in more than one fixed prefix`);
      prefixed.add(id);
    }
  }
  for (const s of problem.stops) {
    if (s.lockedVehicleId !== undefined && !vehicleIds.has(s.lockedVehicleId)) issues.push(`stop ${s.id}: locked to unknown vehicle ${s.lockedVehicleId}`);
  }
  const travel = problem.travel;
  const places = [...problem.depots, ...problem.stops];
  if (!travel) issues.push('travel is required');
  else if (travel.kind === 'matrix') {
    const size = travel.distances?.length ?? 0;
    const square = (m: number[][] | undefined): boolean =>
      !!m && m.length === size && m.every((row) => Array.isArray(row) && row.length === size && row.every((x) => finite(x) && x >= 0));
    if (!square(travel.distances)) issues.push('travel.distances must be a square matrix of non-negative numbers');
    if (travel.durations && !square(travel.durations)) issues.push('travel.durations must match travel.distances');
    for (const p of places) {
      if (!Number.isInteger(p.matrixIndex) || (p.matrixIndex as number) < 0 || (p.matrixIndex as number) >= size) {
        issues.push(`${p.id}: matrixIndex must index travel.distances`);
      }
    }
  } else if (travel.kind === 'geo' || travel.kind === 'plane') {
    if (travel.kind === 'geo' && (!finite(travel.speedKmh) || travel.speedKmh <= 0)) issues.push('travel.speedKmh must be positive');
    if (travel.kind === 'geo' && travel.roadFactor !== undefined && (!finite(travel.roadFactor) || travel.roadFactor <= 0)) issues.push('travel.roadFactor must be positive');
    if (travel.kind === 'plane' && travel.speed !== undefined && (!finite(travel.speed) || travel.speed <= 0)) issues.push('travel.speed must be positive');
    for (const p of places) {
      const l = p.location;
      const ok = !!l && (travel.kind === 'geo' ? isGeo(l) && finite(l.lat) && finite(l.lon) : !isGeo(l) && finite((l as { x: number }).x) && finite((l as { y: number }).y));
      if (!ok) issues.push(`${p.id}: location required for ${travel.kind} travel`);
    }
  } else issues.push('travel.kind must be matrix, geo or plane');
  return issues;
}

/** Validates a problem, builds matrices and rejects stops that no vehicle could ever serve. */
export function compileProblem(problem: Problem): Compilation {
  const issues = validate(problem);
  if (issues.length) throw new ProblemValidationError(issues);

  const { depots, vehicles, stops, travel } = problem;
  const nDepots = depots.length;
  const n = nDepots + stops.length;
  const places = [...depots, ...stops];
  const nodeIds = places.map((p) => p.id);

  const used = new Set<TemperatureClass>();
  for (const s of stops) for (const [k, q] of Object.entries(s.demand)) if ((q ?? 0) > 0) used.add(k as TemperatureClass);
  const classes = TEMPERATURE_CLASSES.filter((c) => used.has(c));
  if (classes.length === 0) classes.push('ambient');
  const C = classes.length;

  const dist = new Float64Array(n * n);
  let time = dist;
  if (travel.kind === 'matrix') {
    const idx = places.map((p) => p.matrixIndex as number);
    if (travel.durations) time = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        dist[i * n + j] = travel.distances[idx[i]][idx[j]];
        if (travel.durations) time[i * n + j] = travel.durations[idx[i]][idx[j]];
      }
    }
  } else if (travel.kind === 'geo') {
    time = new Float64Array(n * n);
    const factor = travel.roadFactor ?? 1.3;
    const pts = places.map((p) => p.location as { lat: number; lon: number });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const d = i === j ? 0 : haversineKm(pts[i], pts[j]) * factor;
        dist[i * n + j] = d;
        time[i * n + j] = (d / travel.speedKmh) * 60;
      }
    }
  } else {
    const speed = travel.speed ?? 1;
    if (speed !== 1) time = new Float64Array(n * n);
    const pts = places.map((p) => p.location as { x: number; y: number });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const d = Math.hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y);
        dist[i * n + j] = d;
        if (speed !== 1) time[i * n + j] = d / speed;
      }
    }
  }

  const ready = new Float64Array(n);
  const due = new Float64Array(n);
  const service = new Float64Array(n);
  const demand = new Float64Array(n * C);
  const maxRide = new Float64Array(n).fill(Infinity);
  let hasRideLimits = false;
  for (let i = 0; i < nDepots; i++) {
    ready[i] = -Infinity;
    due[i] = Infinity;
  }
  stops.forEach((s, k) => {
    const v = nDepots + k;
    ready[v] = s.timeWindow?.start ?? -1e15;
    due[v] = s.timeWindow?.end ?? 1e15;
    service[v] = s.serviceTime ?? 0;
    classes.forEach((c, ci) => (demand[v * C + ci] = s.demand[c] ?? 0));
    if (s.maxRideTime !== undefined) {
      maxRide[v] = s.maxRideTime;
      hasRideLimits = true;
    }
  });

  const R = vehicles.length;
  const depotIndex = new Map(depots.map((d, i) => [d.id, i]));
  const vehicleIndex = new Map(vehicles.map((v, i) => [v.id, i]));
  const stopIndex = new Map(stops.map((s, k) => [s.id, nDepots + k]));
  const weights = { vehicle: problem.weights?.vehicle ?? DEFAULT_VEHICLE_COST, distance: problem.weights?.distance ?? 1 };
  const compiled: CompiledProblem = {
    nNodes: n,
    nDepots,
    nClasses: C,
    dist,
    time,
    ready,
    due,
    service,
    demand,
    maxRide,
    hasRideLimits,
    nVehicles: R,
    vehicleStart: Int32Array.from(vehicles, (v) => depotIndex.get(v.depotId) as number),
    vehicleEnd: Int32Array.from(vehicles, (v) => depotIndex.get(v.endDepotId ?? v.depotId) as number),
    shiftStart: Float64Array.from(vehicles, (v) => v.shiftStart),
    shiftEnd: Float64Array.from(vehicles, (v) => v.shiftEnd),
    maxDuration: Float64Array.from(vehicles, (v) => v.maxRouteDuration ?? Infinity),
    fixedCost: Float64Array.from(vehicles, (v) => v.fixedCost ?? weights.vehicle),
    distanceCost: Float64Array.from(vehicles, (v) => v.costPerDistance ?? weights.distance),
    capacity: new Float64Array(R * C),
    lockedVehicle: new Int32Array(n).fill(-1),
    fixedPrefix: vehicles.map((v) => (v.fixedPrefix ?? []).map((id) => stopIndex.get(id) as number)),
    allowed: null,
    routable: new Int32Array(0),
  };
  vehicles.forEach((v, r) => {
    for (const c of v.compartments) {
      const ci = classes.indexOf(c.temperature);
      if (ci >= 0) compiled.capacity[r * C + ci] += c.capacity;
    }
  });
  stops.forEach((s, k) => {
    if (s.lockedVehicleId !== undefined) compiled.lockedVehicle[nDepots + k] = vehicleIndex.get(s.lockedVehicleId) as number;
  });
  const prefixed = new Set(compiled.fixedPrefix.flat());
  for (const [r, prefix] of compiled.fixedPrefix.entries()) for (const u of prefix) compiled.lockedVehicle[u] = r;

  // Single-stop feasibility per vehicle: a vehicle that cannot serve a stop on its own cannot serve
  // it within any route, so it is excluded up front and stops nobody can serve are reported.
  const allowed = new Uint8Array(n * R);
  let restricted = false;
  const unserved: UnservedStop[] = [];
  const routable: number[] = [];
  for (let u = nDepots; u < n; u++) {
    if (prefixed.has(u)) {
      for (let r = 0; r < R; r++) allowed[u * R + r] = compiled.lockedVehicle[u] === r ? 1 : 0;
      restricted = true;
      continue;
    }
    const reasons: UnservedReason[] = [];
    for (let r = 0; r < R; r++) {
      const why = singleStopProblem(compiled, u, r, classes);
      if (why === null) allowed[u * R + r] = 1;
      else {
        restricted = true;
        reasons.push(why);
      }
    }
    const lock = compiled.lockedVehicle[u];
    const id = nodeIds[u];
    if (lock >= 0 && !allowed[u * R + lock]) {
      unserved.push({ stopId: id, reason: 'locked-vehicle-cannot-serve', message: `locked vehicle ${vehicles[lock].id} cannot serve stop ${id}: ${describe(reasons[lock] ?? 'time-window-unreachable')}` });
    } else if (reasons.length === R) {
      const reason = mostInformative(reasons);
      unserved.push({ stopId: id, reason, message: `no vehicle can serve stop ${id}: ${describe(reason)}` });
    } else routable.push(u);
  }
  compiled.allowed = restricted ? allowed : null;
  compiled.routable = Int32Array.from(routable);
  return { compiled, nodeIds, classes, unserved };
}

function singleStopProblem(p: CompiledProblem, u: number, r: number, classes: TemperatureClass[]): UnservedReason | null {
  const C = classes.length;
  for (let c = 0; c < C; c++) {
    const q = p.demand[u * C + c];
    if (q <= 0) continue;
    const cap = p.capacity[r * C + c];
    if (cap <= 0) return 'no-compatible-vehicle';
    if (q > cap + 1e-9) return 'exceeds-capacity';
  }
  const n = p.nNodes;
  const s = p.vehicleStart[r];
  const e = p.vehicleEnd[r];
  const out = p.time[s * n + u];
  const back = p.time[u * n + e];
  if (out > p.maxRide[u] + 1e-9) return 'ride-time-unreachable';
  const start = Math.max(p.shiftStart[r] + out, p.ready[u]);
  if (start > p.due[u] + 1e-9) return 'time-window-unreachable';
  if (start + p.service[u] + back > p.shiftEnd[r] + 1e-9) return 'time-window-unreachable';
  if (out + p.service[u] + back > p.maxDuration[r] + 1e-9) return 'time-window-unreachable';
  return null;
}

function mostInformative(reasons: UnservedReason[]): UnservedReason {
  const order: UnservedReason[] = ['time-window-unreachable', 'ride-time-unreachable', 'exceeds-capacity', 'no-compatible-vehicle'];
  for (const r of order) if (reasons.includes(r)) return r;
  return reasons[0];
}

export function describe(reason: UnservedReason): string {
  switch (reason) {
    case 'no-compatible-vehicle':
      return 'no vehicle has a compartment for every temperature class it needs';
    case 'exceeds-capacity':
      return 'its demand exceeds every compatible compartment';
    case 'time-window-unreachable':
      return 'its time window cannot be met within any shift or route duration';
    case 'ride-time-unreachable':
      return 'it is too far from the depot for its maximum ride time';
    case 'locked-vehicle-cannot-serve':
      return 'the vehicle it is locked to cannot serve it';
    case 'no-room-in-fleet':
      return 'the fleet has no feasible room for it';
  }
}
