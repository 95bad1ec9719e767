/**
 * Flat, index-based form of a problem used by the search. Nodes 0..nDepots-1 are depots, the rest are
 * stops; route r is always driven by vehicle r. Everything is in typed arrays for speed.
 */
export interface CompiledProblem {
  nNodes: number;
  nDepots: number;
  /** Number of temperature classes in use (only the classes that occur in the problem). */
  nClasses: number;
  /** Row-major nNodes × nNodes matrices; `time` may be the same array as `dist`. */
  dist: Float64Array;
  time: Float64Array;
  ready: Float64Array;
  due: Float64Array;
  service: Float64Array;
  /** nNodes × nClasses. */
  demand: Float64Array;
  /** Maximum ride time from leaving the depot to arriving at the stop; Infinity when none. */
  maxRide: Float64Array;
  hasRideLimits: boolean;

  nVehicles: number;
  vehicleStart: Int32Array;
  vehicleEnd: Int32Array;
  shiftStart: Float64Array;
  shiftEnd: Float64Array;
  maxDuration: Float64Array;
  fixedCost: Float64Array;
  distanceCost: Float64Array;
  /** nVehicles × nClasses: summed compartment capacity per class (0 = class not carried). */
  capacity: Float64Array;

  /** Vehicle a stop is locked to, or -1. */
  lockedVehicle: Int32Array;
  /** Per vehicle, stops (node indices) that must open its route in this order. */
  fixedPrefix: number[][];
  /** nNodes × nVehicles, 1 = the vehicle may serve the node; null when every vehicle may serve every stop. */
  allowed: Uint8Array | null;
  /** Stops the search must route (node indices). */
  routable: Int32Array;
}
