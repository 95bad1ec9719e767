import { Schema } from 'mongoose';
import type { CertificateSnapshot, OrderChannel, TemperatureClass, TemperatureSummary } from '@techan/common';
import type { DetectorState, HoldCause, HoldStatus, RouteView, ShipmentStatus } from '../../domain';

/**
 * Collections owned by the logistics service. Nested structures (lines, routes, progress) are Mixed:
 * they are written whole by one conditional update, never patched from two places at once.
 */
const mixed = Schema.Types.Mixed;
const opts = (collection: string) => ({ collection, versionKey: false as const, minimize: false });

export const MODELS = {
  depot: 'Depot',
  vehicle: 'Vehicle',
  device: 'Device',
  driver: 'Driver',
  shipment: 'Shipment',
  plan: 'Plan',
  reading: 'Reading',
  detector: 'DetectorState',
  excursion: 'Excursion',
  hold: 'Hold',
  product: 'ProductStatus',
  cancelledOrder: 'CancelledOrder',
} as const;

export type DepotKind = 'county_dc' | 'regional_warehouse' | 'central_kitchen';
export interface DepotDoc {
  _id: string;
  nameZh: string;
  kind: DepotKind;
  address: string;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
  planningCutoff?: string;
  /** Dispatchers and drivers (user ids) who act for this depot. */
  staffUserIds: string[];
  createdAt: Date;
}
export const DepotSchema = new Schema<DepotDoc>(
  {
    _id: String,
    nameZh: { type: String, required: true },
    kind: { type: String, required: true },
    address: { type: String, required: true },
    lat: Number,
    lng: Number,
    opensAt: String,
    closesAt: String,
    planningCutoff: String,
    staffUserIds: { type: [String], default: [], index: true },
    createdAt: Date,
  },
  opts('depots'),
);

export interface CompartmentDoc {
  temperatureClass: TemperatureClass;
  capacityKg: number;
  /** The temperature logger in this compartment. */
  deviceId: string;
}
export interface VehicleDoc {
  _id: string;
  depotId: string;
  plate: string;
  compartments: CompartmentDoc[];
  fixedCostFen: number;
  perKmCostFen: number;
  driverId?: string;
  createdAt: Date;
}
export const VehicleSchema = new Schema<VehicleDoc>(
  {
    _id: String,
    depotId: { type: String, required: true, index: true },
    plate: { type: String, required: true, unique: true },
    compartments: { type: mixed, required: true },
    fixedCostFen: Number,
    perKmCostFen: Number,
    driverId: String,
    createdAt: Date,
  },
  opts('vehicles'),
);

/** A temperature logger: its id is the key, so one device belongs to one compartment of one vehicle. */
export interface DeviceDoc {
  _id: string;
  vehicleId: string;
  depotId: string;
  temperatureClass: TemperatureClass;
}
export const DeviceSchema = new Schema<DeviceDoc>({ _id: String, vehicleId: { type: String, index: true }, depotId: String, temperatureClass: String }, opts('devices'));

export interface DriverDoc {
  _id: string;
  depotId: string;
  userId: string;
  name: string;
  phone?: string;
  shift: { start: string; end: string };
  createdAt: Date;
}
export const DriverSchema = new Schema<DriverDoc>(
  {
    _id: String,
    depotId: { type: String, required: true, index: true },
    userId: { type: String, required: true, unique: true },
    name: String,
    phone: String,
    shift: mixed,
    createdAt: Date,
  },
  opts('drivers'),
);

export interface ShipmentLine {
  lineId: string;
  productId: string;
  skuId: string;
  nameZh: string;
  quantity: number;
  temperatureClass: TemperatureClass;
  weightGrams: number;
  /** Set while a hold exists on the line: its id and status (held → released | rejected). */
  holdId?: string;
  holdStatus?: HoldStatus;
  holdCause?: HoldCause;
}
export interface DeliveryProof {
  receiverName: string;
  deliveredAt: string;
  confirmedBy: string;
  lines: { lineId: string; productId: string; skuId: string; accepted: number; rejected: number; short: number; reason?: string; temperatureClass: TemperatureClass }[];
  temperatures: TemperatureSummary[];
}
export interface ShipmentDoc {
  _id: string;
  requestId: string;
  orderId: string;
  channel: OrderChannel;
  buyerId: string;
  buyerOrgId?: string;
  siteId?: string;
  address: { text: string; lat: number; lng: number; contactName?: string; contactPhone?: string };
  windowFrom: Date;
  windowUntil: Date;
  /** The China-time day of the window start: what a depot plans. */
  planDate: string;
  lines: ShipmentLine[];
  cookedAt?: Date;
  maxRideMinutes?: number;
  serviceMinutes: number;
  depotId?: string;
  status: ShipmentStatus;
  vehicleId?: string;
  planId?: string;
  plannedArrival?: Date;
  dispatchedAt?: Date;
  arrivedAt?: Date;
  delivery?: DeliveryProof;
  withdrawnReason?: string;
  version: number;
  requestedAt: Date;
  createdAt: Date;
}
export const ShipmentSchema = new Schema<ShipmentDoc>(
  {
    _id: String,
    requestId: { type: String, required: true, unique: true },
    orderId: { type: String, required: true, index: true },
    channel: String,
    buyerId: String,
    buyerOrgId: String,
    siteId: String,
    address: mixed,
    windowFrom: Date,
    windowUntil: Date,
    planDate: { type: String, required: true },
    lines: { type: mixed, required: true },
    cookedAt: Date,
    maxRideMinutes: Number,
    serviceMinutes: Number,
    depotId: String,
    status: { type: String, required: true },
    vehicleId: String,
    planId: String,
    plannedArrival: Date,
    dispatchedAt: Date,
    arrivedAt: Date,
    delivery: mixed,
    withdrawnReason: String,
    version: { type: Number, default: 0 },
    requestedAt: Date,
    createdAt: Date,
  },
  opts('shipments'),
);
ShipmentSchema.index({ depotId: 1, planDate: 1, status: 1 });
ShipmentSchema.index({ vehicleId: 1, status: 1 });
ShipmentSchema.index({ 'lines.productId': 1, status: 1 });

export const PLAN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'published'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export interface PlanProgressPoint {
  elapsedMs: number;
  bestCost: number | null;
  vehicles: number;
  distanceKm: number;
}
export interface PlanDoc {
  _id: string;
  depotId: string;
  date: string;
  status: PlanStatus;
  parentPlanId?: string;
  edits: { locks: Record<string, string>; fixedPrefixes: Record<string, string[]> };
  shipmentIds: string[];
  timeLimitMs: number;
  progress: PlanProgressPoint[];
  routes?: RouteView[];
  unserved?: { shipmentId: string; reason: string; message: string; reasonZh: string }[];
  cost?: number;
  distanceKm?: number;
  vehicles?: number;
  stoppedBy?: string;
  cancelRequested: boolean;
  error?: string;
  createdBy: string;
  createdAt: Date;
  startedAt?: Date;
  firstFeasibleMs?: number;
  finishedAt?: Date;
  publishedAt?: Date;
  version: number;
}
export const PlanSchema = new Schema<PlanDoc>(
  {
    _id: String,
    depotId: { type: String, required: true },
    date: { type: String, required: true },
    status: { type: String, required: true },
    parentPlanId: String,
    edits: mixed,
    shipmentIds: [String],
    timeLimitMs: Number,
    progress: { type: mixed, default: [] },
    routes: mixed,
    unserved: mixed,
    cost: Number,
    distanceKm: Number,
    vehicles: Number,
    stoppedBy: String,
    cancelRequested: { type: Boolean, default: false },
    error: String,
    createdBy: String,
    createdAt: Date,
    startedAt: Date,
    firstFeasibleMs: Number,
    finishedAt: Date,
    publishedAt: Date,
    version: { type: Number, default: 0 },
  },
  opts('plans'),
);
PlanSchema.index({ depotId: 1, date: 1, createdAt: -1 });

/** One temperature reading: a time series keyed by device and time (a duplicate is the same key). */
export interface ReadingDoc {
  deviceId: string;
  vehicleId: string;
  temperatureClass: TemperatureClass;
  at: Date;
  c: number;
}
export const ReadingSchema = new Schema<ReadingDoc>(
  { deviceId: String, vehicleId: String, temperatureClass: String, at: Date, c: Number },
  opts('readings'),
);
ReadingSchema.index({ deviceId: 1, at: 1 }, { unique: true });
ReadingSchema.index({ vehicleId: 1, temperatureClass: 1, at: 1 });

export interface DetectorDoc {
  _id: string;
  state: DetectorState;
  /** The excursion open on this device, if any. */
  excursionId?: string;
  version: number;
}
export const DetectorSchema = new Schema<DetectorDoc>({ _id: String, state: mixed, excursionId: String, version: Number }, opts('detectors'));

export interface ExcursionDoc {
  _id: string;
  deviceId: string;
  vehicleId: string;
  depotId: string;
  temperatureClass: TemperatureClass;
  startedAt: Date;
  detectedAt: Date;
  /** When the reading that completed the duration was ingested (for the visibility latency). */
  raisedAt: Date;
  endedAt?: Date;
  peakC: number;
  status: 'ongoing' | 'ended';
  shipmentIds: string[];
  holdIds: string[];
}
export const ExcursionSchema = new Schema<ExcursionDoc>(
  {
    _id: String,
    deviceId: String,
    vehicleId: { type: String, index: true },
    depotId: { type: String, index: true },
    temperatureClass: String,
    startedAt: Date,
    detectedAt: Date,
    raisedAt: Date,
    endedAt: Date,
    peakC: Number,
    status: String,
    shipmentIds: [String],
    holdIds: [String],
  },
  opts('excursions'),
);

export interface HoldDoc {
  _id: string;
  shipmentId: string;
  requestId: string;
  orderId: string;
  depotId?: string;
  channel: OrderChannel;
  lineId: string;
  productId: string;
  skuId: string;
  nameZh: string;
  quantity: number;
  cause: HoldCause;
  causeRef: string;
  status: HoldStatus;
  heldAt: Date;
  decidedBy?: string;
  reason?: string;
  decidedAt?: Date;
  remedy?: 'refund' | 'replace';
}
export const HoldSchema = new Schema<HoldDoc>(
  {
    _id: String,
    shipmentId: { type: String, index: true },
    requestId: String,
    orderId: String,
    depotId: String,
    channel: String,
    lineId: String,
    productId: String,
    skuId: String,
    nameZh: String,
    quantity: Number,
    cause: String,
    causeRef: String,
    status: String,
    heldAt: Date,
    decidedBy: String,
    reason: String,
    decidedAt: Date,
    remedy: String,
  },
  opts('holds'),
);
HoldSchema.index({ status: 1, cause: 1, heldAt: -1 });
/** One hold per line and cause: a redelivered recall or a second excursion does not hold a line twice. */
HoldSchema.index({ shipmentId: 1, lineId: 1, cause: 1 }, { unique: true });

export interface ProductStatusDoc {
  _id: string;
  version: number;
  certificates: CertificateSnapshot[];
  productName?: string;
}
export const ProductStatusSchema = new Schema<ProductStatusDoc>({ _id: String, version: Number, certificates: mixed, productName: String }, opts('product_status'));

/** Cancellations that arrived before their delivery request (different keys, so no order between them). */
export interface CancelledOrderDoc {
  _id: string;
  reason: string;
  cancelledAt: Date;
}
export const CancelledOrderSchema = new Schema<CancelledOrderDoc>({ _id: String, reason: String, cancelledAt: Date }, opts('cancelled_orders'));

export const SCHEMAS = [
  { name: MODELS.cancelledOrder, schema: CancelledOrderSchema },
  { name: MODELS.depot, schema: DepotSchema },
  { name: MODELS.vehicle, schema: VehicleSchema },
  { name: MODELS.device, schema: DeviceSchema },
  { name: MODELS.driver, schema: DriverSchema },
  { name: MODELS.shipment, schema: ShipmentSchema },
  { name: MODELS.plan, schema: PlanSchema },
  { name: MODELS.reading, schema: ReadingSchema },
  { name: MODELS.detector, schema: DetectorSchema },
  { name: MODELS.excursion, schema: ExcursionSchema },
  { name: MODELS.hold, schema: HoldSchema },
  { name: MODELS.product, schema: ProductStatusSchema },
];
