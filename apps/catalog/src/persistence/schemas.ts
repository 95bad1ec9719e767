import { randomBytes } from 'node:crypto';
import { Schema } from 'mongoose';
import type { CertificateSnapshot } from '@techan/common';
import type { MerchantStatus, SaleWindow } from '../domain';

/**
 * The catalogue's own database (DESIGN §3: no other service reads it). Ids are strings chosen here
 * (`m_…`, `p_…`, `s_…`) so they can be put in URLs and cursors without ObjectId parsing.
 */
export function newId(prefix: 'm' | 'p' | 's'): string {
  // Time-ordered prefix (sortable, helps index locality) + 64 random bits.
  return `${prefix}_${Date.now().toString(36)}${randomBytes(8).toString('hex')}`;
}

/** A certificate snapshot as carried by the status event (ISO date strings, as on the wire). */
const CertificateSubSchema = new Schema<CertificateSnapshot>(
  {
    certificateId: { type: String, required: true },
    mark: { type: String, required: true },
    level: Number,
    tier: String,
    number: String,
    status: { type: String, required: true },
    colour: { type: String, required: true },
    validFrom: { type: String, required: true },
    validUntil: { type: String, required: true },
    // The next review by certification's clock: reservations never span it (domain/reservation.ts).
    nextInspectionAt: String,
    graceUntil: String,
  },
  { _id: false },
);

export const MERCHANT = 'Merchant';
export const PRODUCT = 'Product';
export const STOCK = 'Stock';
export const CERT_STATUS = 'CertificationStatus';
export const RESERVATION = 'Reservation';
export const PRICE_CHANGE = 'PriceChange';

export interface MerchantDoc {
  _id: string;
  /** The account (JWT subject) that registered the enterprise and manages its products. */
  ownerId: string;
  name: string;
  creditCode: string;
  licenceDocument: string;
  town: string;
  address?: string;
  contact: { name: string; phone: string };
  status: MerchantStatus;
  submittedAt: Date;
  reviewedAt?: Date;
  reviewedBy?: string;
  rejectionReason?: string;
}

export const MerchantSchema = new Schema<MerchantDoc>(
  {
    _id: { type: String, required: true },
    ownerId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    creditCode: { type: String, required: true, unique: true },
    licenceDocument: { type: String, required: true },
    town: { type: String, required: true },
    address: String,
    contact: { name: String, phone: String },
    status: { type: String, required: true },
    submittedAt: { type: Date, required: true },
    reviewedAt: Date,
    reviewedBy: String,
    rejectionReason: String,
  },
  { collection: 'merchants', versionKey: false },
);
MerchantSchema.index({ status: 1, submittedAt: 1 });

export interface SkuEmbedded {
  skuId: string;
  code: string;
  specZh: string;
  unit: string;
  netContent: { value: number; unit: 'g' | 'ml' | 'piece' };
  priceFen: number;
  gtin?: string;
}

/** A product and its listing fields (one row per product: what search and browse read). */
export interface ProductDoc {
  _id: string;
  merchantId: string;
  nameZh: string;
  descriptionZh: string;
  categoryId: string;
  categoryIds: string[];
  town: string;
  tier: string;
  originDegree: string;
  temperatureClass: string;
  shelfLifeDays: number;
  images: string[];
  skus: SkuEmbedded[];
  listed: boolean;
  merchantApproved: boolean;
  minPriceFen: number;
  listedAtMs: number;
  createdAt: Date;
  updatedAt: Date;
  // Certification projection, copied from CertificationStatus (see CertificationProjection).
  certVersion: number;
  certificates: CertificateSnapshot[];
  redWarning: boolean;
  saleWindows: SaleWindow[];
  starLevel: number;
  // Search tokens (domain/text-search).
  searchTokens: string[];
  nameTokens: string[];
  tagTokens: string[];
}

const SkuSchema = new Schema<SkuEmbedded>(
  {
    skuId: { type: String, required: true },
    code: { type: String, required: true },
    specZh: { type: String, required: true },
    unit: { type: String, required: true },
    netContent: { value: Number, unit: String },
    priceFen: { type: Number, required: true },
    gtin: String,
  },
  { _id: false },
);

export const ProductSchema = new Schema<ProductDoc>(
  {
    _id: { type: String, required: true },
    merchantId: { type: String, required: true },
    nameZh: { type: String, required: true },
    descriptionZh: { type: String, required: true },
    categoryId: { type: String, required: true },
    categoryIds: { type: [String], required: true },
    town: { type: String, required: true },
    tier: { type: String, required: true },
    originDegree: { type: String, required: true },
    temperatureClass: { type: String, required: true },
    shelfLifeDays: { type: Number, required: true },
    images: { type: [String], default: [] },
    skus: { type: [SkuSchema], required: true },
    listed: { type: Boolean, required: true },
    merchantApproved: { type: Boolean, required: true },
    minPriceFen: { type: Number, required: true },
    listedAtMs: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    certVersion: { type: Number, default: 0 },
    certificates: { type: [CertificateSubSchema], default: [] },
    redWarning: { type: Boolean, default: false },
    saleWindows: {
      type: [new Schema({ mark: String, level: Number, from: Date, until: Date }, { _id: false })],
      default: [],
    },
    starLevel: { type: Number, default: 0 },
    searchTokens: { type: [String], default: [] },
    nameTokens: { type: [String], default: [] },
    tagTokens: { type: [String], default: [] },
  },
  { collection: 'products', versionKey: false },
);
// Indexes for search and browse at 100 000+ SKUs: every sort has an index ending in _id (the cursor
// tie-breaker), the most common filters lead an index, and text search hits the multikey token index.
// Token equality + newest-first: each key is (token, listedAtMs, _id), so MongoDB returns a token's newest
// matches in index order without sorting them (the relevance step takes the newest 200).
ProductSchema.index({ searchTokens: 1, listedAtMs: -1, _id: -1 });
// Token equality + price order ("茶", cheapest first): read in price order instead of sorting every match.
ProductSchema.index({ searchTokens: 1, minPriceFen: 1, _id: 1 });
ProductSchema.index({ listedAtMs: -1, _id: -1 });
ProductSchema.index({ minPriceFen: 1, _id: 1 });
ProductSchema.index({ starLevel: -1, _id: -1 });
ProductSchema.index({ categoryIds: 1, listedAtMs: -1, _id: -1 });
ProductSchema.index({ categoryIds: 1, minPriceFen: 1, _id: 1 });
ProductSchema.index({ town: 1, listedAtMs: -1, _id: -1 });
ProductSchema.index({ merchantId: 1, createdAt: -1 });
ProductSchema.index({ 'skus.skuId': 1 });

/**
 * Stock of one SKU. `holds` lists the orders holding units, so reserving is one conditional update that
 * is also idempotent per order (a redelivered order-placed event cannot reserve twice) and releasing
 * gives back exactly what that order took.
 */
export interface StockDoc {
  _id: string; // skuId
  productId: string;
  merchantId: string;
  available: number;
  reserved: number;
  /** Units of paid orders (committed reservations). */
  sold?: number;
  holds: { orderId: string; quantity: number; at: Date }[];
}

export const StockSchema = new Schema<StockDoc>(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true, index: true },
    merchantId: { type: String, required: true },
    available: { type: Number, required: true, min: 0 },
    reserved: { type: Number, required: true, default: 0 },
    sold: { type: Number, default: 0 },
    holds: { type: [new Schema({ orderId: String, quantity: Number, at: Date }, { _id: false })], default: [] },
  },
  { collection: 'stock', versionKey: false },
);
StockSchema.index({ 'holds.orderId': 1 });

/** The certification projection (DESIGN §3): the newest status event per product, rebuildable by replay. */
export interface CertStatusDoc {
  _id: string; // productId
  merchantId: string;
  version: number;
  certificates: CertificateSnapshot[];
  changedAt: string;
}

export const CertStatusSchema = new Schema<CertStatusDoc>(
  {
    _id: { type: String, required: true },
    merchantId: { type: String, required: true },
    version: { type: Number, required: true },
    certificates: { type: [CertificateSubSchema], default: [] },
    changedAt: { type: String, required: true },
  },
  { collection: 'certification_status', versionKey: false },
);

export type ReservationStatus = 'reserved' | 'rejected' | 'released' | 'committed';

export interface ReservationDoc {
  _id: string; // orderId
  status: ReservationStatus;
  lines: { skuId: string; quantity: number }[];
  rejectedLines?: { skuId: string; reason?: string; detail?: string }[];
  reservedUntil?: Date;
  createdAt: Date;
  releasedAt?: Date;
  releaseReason?: 'cancelled' | 'timeout';
  committedAt?: Date;
}

export const ReservationSchema = new Schema<ReservationDoc>(
  {
    _id: { type: String, required: true },
    status: { type: String, required: true },
    lines: { type: [new Schema({ skuId: String, quantity: Number }, { _id: false })], default: [] },
    rejectedLines: { type: [Schema.Types.Mixed], default: undefined },
    reservedUntil: Date,
    createdAt: { type: Date, required: true },
    releasedAt: Date,
    releaseReason: String,
    committedAt: Date,
  },
  { collection: 'reservations', versionKey: false },
);
ReservationSchema.index({ status: 1, reservedUntil: 1 });

/** Every listed price of a SKU over time (null = left the hall): the price index reads these. */
export interface PriceChangeDoc {
  skuId: string;
  productId: string;
  categoryId: string;
  priceFen: number | null;
  netContent: { value: number; unit: 'g' | 'ml' | 'piece' };
  at: Date;
}

export const PriceChangeSchema = new Schema<PriceChangeDoc>(
  {
    skuId: { type: String, required: true },
    productId: { type: String, required: true },
    categoryId: { type: String, required: true },
    priceFen: { type: Number, default: null },
    netContent: { value: Number, unit: String },
    at: { type: Date, required: true },
  },
  { collection: 'price_changes', versionKey: false },
);
PriceChangeSchema.index({ categoryId: 1, at: 1 });
