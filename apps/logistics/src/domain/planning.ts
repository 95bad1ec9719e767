import type { TemperatureClass } from '@techan/common';
import type { Plan, Problem, Stop, Vehicle as SolverVehicle } from '@techan/dispatch-solver';
import { haversineKm } from '@techan/dispatch-solver';
import { TransitionRefused } from './transitions';

/** China keeps one offset all year (no DST): a planning day runs from 00:00 +08:00. */
export const CHINA_OFFSET_MS = 8 * 3600_000;

export function dayStartMs(date: string): number {
  const ms = Date.parse(`${date}T00:00:00+08:00`);
  if (!Number.isFinite(ms)) throw new TransitionRefused('BAD_DATE', `日期无效：${date}`, 400);
  return ms;
}

/** The planning day (YYYY-MM-DD, China time) an instant falls on. */
export function chinaDate(at: Date | string): string {
  return new Date(new Date(at).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** 'HH:mm' → minutes after midnight. */
export function clockMinutes(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new TransitionRefused('BAD_TIME', `时间格式应为 HH:mm：${hhmm}`, 400);
  return Number(m[1]) * 60 + Number(m[2]);
}

export interface PlanningDepot {
  id: string;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
}

export interface PlanningVehicle {
  id: string;
  compartments: { temperatureClass: TemperatureClass; capacityKg: number }[];
  fixedCostFen: number;
  perKmCostFen: number;
  /** The assigned driver's shift ('HH:mm'); the depot's hours when no driver is assigned. */
  shift?: { start: string; end: string };
}

export interface PlanningShipment {
  id: string;
  lat: number;
  lng: number;
  windowFrom: string;
  windowUntil: string;
  serviceMinutes: number;
  demandKg: Partial<Record<TemperatureClass, number>>;
  maxRideMinutes?: number;
}

export interface PlanEdits {
  /** shipmentId → vehicleId: the dispatcher locked (or moved) the stop onto this vehicle. */
  locks: Record<string, string>;
  /** vehicleId → shipmentIds fixed as that route's first stops, in order. */
  fixedPrefixes: Record<string, string[]>;
}

/** Road distance ≈ great-circle × 1.3 at 35 km/h average on county roads (minutes, km). */
export const TRAVEL = { kind: 'geo' as const, speedKmh: 35, roadFactor: 1.3 };

/**
 * The solver's problem for one depot's day. Times are minutes from 00:00 China time of `date`;
 * a window that began earlier is clipped to the day (0), one entirely outside it is kept as is and the
 * solver reports it unreachable. Demand is in kg, at least 1 per class present.
 */
export function buildProblem(date: string, depot: PlanningDepot, vehicles: PlanningVehicle[], shipments: PlanningShipment[], edits: PlanEdits): Problem {
  const day0 = dayStartMs(date);
  const open = clockMinutes(depot.opensAt);
  const close = clockMinutes(depot.closesAt);
  const toMin = (iso: string) => Math.round((Date.parse(iso) - day0) / 60_000);
  const solverVehicles: SolverVehicle[] = vehicles.map((v) => {
    const start = Math.max(open, v.shift ? clockMinutes(v.shift.start) : open);
    const end = Math.min(close, v.shift ? clockMinutes(v.shift.end) : close);
    return {
      id: v.id,
      depotId: depot.id,
      compartments: v.compartments.map((c) => ({ temperature: c.temperatureClass, capacity: c.capacityKg })),
      shiftStart: start,
      shiftEnd: Math.max(start, end),
      fixedCost: v.fixedCostFen,
      costPerDistance: v.perKmCostFen,
      ...(edits.fixedPrefixes[v.id]?.length ? { fixedPrefix: edits.fixedPrefixes[v.id] } : {}),
    };
  });
  const stops: Stop[] = shipments.map((s) => {
    const from = Math.max(0, toMin(s.windowFrom));
    const until = Math.max(from, toMin(s.windowUntil));
    const demand: Partial<Record<TemperatureClass, number>> = {};
    for (const [k, kg] of Object.entries(s.demandKg)) if (kg !== undefined && kg > 0) demand[k as TemperatureClass] = kg;
    return {
      id: s.id,
      location: { lat: s.lat, lon: s.lng },
      demand,
      serviceTime: s.serviceMinutes,
      timeWindow: { start: from, end: until },
      ...(s.maxRideMinutes ? { maxRideTime: s.maxRideMinutes } : {}),
      ...(edits.locks[s.id] ? { lockedVehicleId: edits.locks[s.id] } : {}),
    };
  });
  return { depots: [{ id: depot.id, location: { lat: depot.lat, lon: depot.lng } }], vehicles: solverVehicles, stops, travel: TRAVEL, weights: { distance: 1 } };
}

/** Kilograms per temperature class of a request's lines (rounded up; a line of unknown weight counts 1 kg). */
export function demandKg(lines: readonly { temperatureClass: TemperatureClass; weightGrams: number }[]): Partial<Record<TemperatureClass, number>> {
  const grams: Partial<Record<TemperatureClass, number>> = {};
  for (const l of lines) grams[l.temperatureClass] = (grams[l.temperatureClass] ?? 0) + Math.max(l.weightGrams, 1000);
  const kg: Partial<Record<TemperatureClass, number>> = {};
  for (const [k, g] of Object.entries(grams)) kg[k as TemperatureClass] = Math.ceil((g as number) / 1000);
  return kg;
}

export interface RouteView {
  vehicleId: string;
  departure: string;
  returnAt: string;
  distanceKm: number;
  stops: { shipmentId: string; arrival: string; serviceStart: string; departure: string }[];
  loadKg: Partial<Record<TemperatureClass, number>>;
}

/** The solver's plan in wall-clock terms for storage and the console. */
export function planToRoutes(date: string, plan: Plan): RouteView[] {
  const day0 = dayStartMs(date);
  const iso = (m: number) => new Date(day0 + Math.round(m * 60_000)).toISOString();
  return plan.routes.map((r) => ({
    vehicleId: r.vehicleId,
    departure: iso(r.departure),
    returnAt: iso(r.returnTime),
    distanceKm: Math.round(r.distance * 100) / 100,
    stops: r.visits.map((v) => ({ shipmentId: v.stopId, arrival: iso(v.arrival), serviceStart: iso(v.serviceStart), departure: iso(v.departure) })),
    loadKg: r.load,
  }));
}

export const UNSERVED_REASON_ZH: Record<string, string> = {
  'no-compatible-vehicle': '没有带该温区车厢的车辆',
  'exceeds-capacity': '货量超过任何车辆该温区的容量',
  'time-window-unreachable': '任何车辆都无法在时间窗内到达',
  'ride-time-unreachable': '无法在最长在途时间内送达（热餐 4 小时）',
  'locked-vehicle-cannot-serve': '锁定的车辆无法服务该站点',
  'no-room-in-fleet': '车队运力不足，未能排入',
};

export interface DepotChoice {
  id: string;
  kind: 'county_dc' | 'regional_warehouse' | 'central_kitchen';
  lat: number;
  lng: number;
}

/**
 * Which depot serves a request: hot meals leave from a central kitchen when there is one; everything
 * else from the nearest distribution centre or warehouse (kitchens do not stock goods).
 */
export function chooseDepot(depots: readonly DepotChoice[], request: { lat: number; lng: number; hot: boolean }): DepotChoice | undefined {
  const kitchens = depots.filter((d) => d.kind === 'central_kitchen');
  const stores = depots.filter((d) => d.kind !== 'central_kitchen');
  const pool = request.hot && kitchens.length ? kitchens : stores.length ? stores : depots;
  let best: DepotChoice | undefined;
  let bestKm = Infinity;
  for (const d of pool) {
    const km = haversineKm({ lat: d.lat, lon: d.lng }, { lat: request.lat, lon: request.lng });
    if (km < bestKm) [best, bestKm] = [d, km];
  }
  return best;
}
