import { Schema } from 'mongoose';

/**
 * Collections owned by the certification service. Documents store the domain objects as they are
 * (the domain is the source of truth for their shape) plus `version`, the compare-and-set counter.
 * Nested structures (history, inspections, warnings) are Mixed: they are written whole, never
 * patched in place.
 */

const mixed = Schema.Types.Mixed;

export const ProductSchema = new Schema(
  {
    _id: { type: String, required: true },
    merchantId: { type: String, required: true, index: true },
    merchantName: String,
    name: { type: String, required: true },
    gtin: String,
    origin: { type: mixed },
    /** Per-product version of the status event stream; bumped in the same transaction as the change. */
    statusVersion: { type: Number, required: true, default: 0 },
    version: { type: Number, required: true, default: 0 },
  },
  { collection: 'products', versionKey: false, timestamps: true, minimize: false },
);

export const ApplicationSchema = new Schema(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true, index: true },
    merchantId: { type: String, required: true, index: true },
    target: { type: mixed, required: true },
    status: { type: String, required: true, index: true },
    submittedAt: { type: Date, required: true },
    shortfalls: { type: mixed, default: [] },
    sample: mixed,
    review: mixed,
    decision: mixed,
    certificateId: String,
    history: { type: mixed, default: [] },
    version: { type: Number, required: true, default: 0 },
  },
  { collection: 'applications', versionKey: false, minimize: false },
);

export const CertificateSchema = new Schema(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true, index: true },
    merchantId: { type: String, required: true, index: true },
    mark: { type: String, required: true },
    level: Number,
    tier: String,
    number: { type: String },
    issuer: String,
    origin: { type: String, required: true },
    applicationId: String,
    status: { type: String, required: true },
    validFrom: { type: Date, required: true },
    validUntil: { type: Date, required: true },
    annualInspectionMonths: Number,
    nextInspectionAt: Date,
    inspectionDeadline: Date,
    graceUntil: Date,
    statusBeforeRed: String,
    suspensionReason: String,
    revocationReason: String,
    inspections: { type: mixed, default: [] },
    warnings: { type: mixed, default: [] },
    history: { type: mixed, default: [] },
    /** When the next time-driven transition falls due (null when none): what the sweeper scans. */
    nextDueAt: { type: Date, index: true },
    version: { type: Number, required: true, default: 0 },
  },
  { collection: 'certificates', versionKey: false, minimize: false },
);
CertificateSchema.index({ number: 1 }, { unique: true, partialFilterExpression: { number: { $type: 'string' } } });

/** Eligibility records of an enterprise: uploaded evidence, complaints/incidents, insurance, traceability. */
export const MerchantRecordsSchema = new Schema(
  {
    _id: { type: String, required: true },
    evidence: { type: mixed, default: [] },
    incidents: { type: mixed, default: [] },
    insurancePolicies: { type: mixed, default: [] },
    traceability: String,
    version: { type: Number, required: true, default: 0 },
  },
  { collection: 'merchant_records', versionKey: false, minimize: false },
);

export const TraceCodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true, index: true },
    merchantId: { type: String, required: true },
    gtin: String,
    lot: String,
    createdAt: { type: Date, required: true },
  },
  { collection: 'trace_codes', versionKey: false },
);
// One code per product lot: a Digital Link /01/<gtin>/10/<lot> resolves to exactly one record.
TraceCodeSchema.index({ productId: 1, lot: 1 }, { unique: true });

/** GI registrations (地理标志) the certifiers have verified; authorisations are checked against them. */
export const GiRegistrationSchema = new Schema(
  {
    _id: { type: String, required: true }, // the registration number
    name: { type: String, required: true },
    kind: { type: String, required: true },
    registrant: { type: String, required: true },
    protectedArea: { type: mixed, required: true },
    registeredAt: { type: Date, required: true },
  },
  { collection: 'gi_registrations', versionKey: false },
);

export const CounterSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true, default: 0 } },
  { collection: 'counters', versionKey: false },
);

export const MODEL_NAMES = {
  product: 'CertProduct',
  application: 'Application',
  certificate: 'Certificate',
  records: 'MerchantRecords',
  traceCode: 'TraceCode',
  counter: 'Counter',
  giRegistration: 'GiRegistration',
} as const;
