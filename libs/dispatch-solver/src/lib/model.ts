/**
 * Public problem and plan model of the dispatch solver.
 *
 * Units: all times (time windows, service times, shifts, durations, ride limits) are in one unit of
 * the caller's choice — minutes from the start of the planning day for real dispatch. With
 * `travel.kind === 'geo'` distances are kilometres and travel times are minutes.
 */
import type { RouteCombiner } from './route-combiner';

export const TEMPERATURE_CLASSES = ['frozen', 'chilled', 'ambient', 'hot'] as const;
/** frozen ≤ −18 °C, chilled 0–8 °C, ambient, hot-holding ≥ 60 °C. */
export type TemperatureClass = (typeof TEMPERATURE_CLASSES)[number];

export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface PlanePoint {
  x: number;
  y: number;
}

export type Location = GeoPoint | PlanePoint;

export interface Depot {
  id: string;
  location?: Location;
  /** Row/column of this depot in `travel.distances` when travel is given as a matrix. */
  matrixIndex?: number;
}

export interface Compartment {
  temperature: TemperatureClass;
  capacity: number;
}

export interface Vehicle {
  id: string;
  /** Depot where the vehicle is loaded and starts. */
  depotId: string;
  /** Depot where the route ends; defaults to depotId. */
  endDepotId?: string;
  compartments: Compartment[];
  /** Driver shift: the route may not leave before shiftStart nor end after shiftEnd. */
  shiftStart: number;
  shiftEnd: number;
  maxRouteDuration?: number;
  /** Cost of using this vehicle; defaults to `weights.vehicle`. */
  fixedCost?: number;
  /** Cost per distance unit; defaults to `weights.distance`. */
  costPerDistance?: number;
  /** Stops a dispatcher has fixed as the first stops of this vehicle's route, in order. */
  fixedPrefix?: string[];
}

export interface Stop {
  id: string;
  location?: Location;
  matrixIndex?: number;
  /** Quantity per temperature class; a class needs a compartment of that class on the vehicle. */
  demand: Partial<Record<TemperatureClass, number>>;
  serviceTime?: number;
  /** Hard window for the start of service (arriving early means waiting). */
  timeWindow?: { start: number; end: number };
  /** Maximum time from leaving the depot (where goods are loaded) to arriving at this stop. */
  maxRideTime?: number;
  /** Dispatcher lock: only this vehicle may serve the stop. */
  lockedVehicleId?: string;
}

export type Travel =
  | {
      kind: 'matrix';
      /** distances[i][j] between the locations with matrixIndex i and j. */
      distances: number[][];
      /** Travel times; defaults to the distances. */
      durations?: number[][];
    }
  | {
      /** Great-circle distance (km) × roadFactor, travel time (min) = distance / speedKmh × 60. */
      kind: 'geo';
      roadFactor?: number;
      speedKmh: number;
    }
  | {
      /** Euclidean distance in the plane; travel time = distance / speed (Solomon instances: speed 1). */
      kind: 'plane';
      speed?: number;
    };

export interface ObjectiveWeights {
  /** Fixed cost per vehicle used (default 100 000: fewest vehicles first, then distance). */
  vehicle?: number;
  /** Cost per distance unit (default 1). */
  distance?: number;
}

export interface Problem {
  depots: Depot[];
  vehicles: Vehicle[];
  stops: Stop[];
  travel: Travel;
  weights?: ObjectiveWeights;
}

export interface SolveProgress {
  elapsedMs: number;
  /** Best feasible objective so far (Infinity until a feasible plan is found). */
  bestCost: number;
  vehicles: number;
  distance: number;
}

export interface SolveOptions {
  /** Wall-clock budget (default 10 000 ms). */
  timeLimitMs?: number;
  /** Iteration budget; with it (and a generous time limit) a seed reproduces the exact same plan. */
  maxIterations?: number;
  seed?: number;
  /** Cancels the search; anything with an `aborted` flag works (e.g. an AbortSignal). */
  signal?: { readonly aborted: boolean } | AbortSignal;
  onProgress?: (p: SolveProgress) => void;
  /**
   * Share of the budget that may be spent trying to remove vehicles (default 0.3; 0 keeps the
   * number of vehicles the construction needed, useful when the fleet size is fixed).
   */
  vehicleReductionShare?: number;
  /** Stop removing vehicles once the plan uses this many (e.g. a known best vehicle count). */
  vehicleTarget?: number;
  /**
   * Hard limit on the number of vehicles the plan uses (default: all of `problem.vehicles`). The plan
   * never exceeds it; stops that do not fit are returned in `unserved` with reason `no-room-in-fleet`.
   */
  maxVehicles?: number;
  /** Neighbours per stop considered by the local search (default 30, 20 above 200 stops). */
  granularity?: number;
  /** Clock in ms; injectable for tests (default performance.now). */
  now?: () => number;
  /**
   * Set partitioning over the routes of good plans, once near the end of the budget (identical
   * vehicles only, plans of at most 200 stops): `await loadRouteCombiner()` (HiGHS, loaded
   * asynchronously). solveInWorker loads it itself.
   */
  combineRoutes?: RouteCombiner;
}

export type UnservedReason =
  | 'no-compatible-vehicle'
  | 'exceeds-capacity'
  | 'time-window-unreachable'
  | 'ride-time-unreachable'
  | 'locked-vehicle-cannot-serve'
  | 'no-room-in-fleet';

export interface UnservedStop {
  stopId: string;
  reason: UnservedReason;
  message: string;
}

export interface PlannedVisit {
  stopId: string;
  arrival: number;
  serviceStart: number;
  departure: number;
}

export interface PlannedRoute {
  vehicleId: string;
  /** Time the vehicle leaves its depot (as late as possible without extra waiting). */
  departure: number;
  /** Time the vehicle is back at its end depot. */
  returnTime: number;
  distance: number;
  visits: PlannedVisit[];
  load: Partial<Record<TemperatureClass, number>>;
}

export interface Plan {
  routes: PlannedRoute[];
  unserved: UnservedStop[];
  vehicles: number;
  distance: number;
  /** Objective value: fixed costs of used vehicles plus weighted distance. */
  cost: number;
  iterations: number;
  elapsedMs: number;
  stoppedBy: 'time-limit' | 'iterations' | 'cancelled';
}
