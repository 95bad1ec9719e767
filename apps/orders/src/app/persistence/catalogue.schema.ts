import { Schema } from 'mongoose';
import type { CertificateSnapshot, SkuListing } from '@techan/common';

export const CATALOGUE_ITEM = 'CatalogueItem';

/**
 * Orders' projection of one catalogue product: the listing from techan.catalog.product-upserted.v1 and
 * the certificates from techan.certification.product-status-changed.v1. Each half has its own version
 * guard (listing by the event's updatedAt, certificates by the per-product version), so redelivered or
 * reordered events never move it backwards and a replay rebuilds it.
 */
export interface CatalogueItemDoc {
  _id: string; // productId
  merchantId: string;
  merchantName?: string;
  nameZh?: string;
  categoryId?: string;
  tier?: 'premium' | 'mid' | 'mass';
  temperatureClass?: 'frozen' | 'chilled' | 'ambient' | 'hot';
  listed?: boolean;
  skus: SkuListing[];
  imageUrl?: string;
  listingUpdatedAt?: Date;
  certVersion: number;
  certificates: CertificateSnapshot[];
}

export const CatalogueItemSchema = new Schema<CatalogueItemDoc>(
  {
    _id: { type: String, required: true },
    merchantId: { type: String, required: true },
    merchantName: String,
    nameZh: String,
    categoryId: String,
    tier: String,
    temperatureClass: String,
    listed: Boolean,
    skus: { type: Schema.Types.Mixed, default: () => [] },
    imageUrl: String,
    listingUpdatedAt: Date,
    certVersion: { type: Number, default: 0 },
    certificates: { type: Schema.Types.Mixed, default: () => [] },
  },
  { collection: 'catalogue_items', versionKey: false, minimize: false },
);
// Carts and call-offs look a line up by SKU id.
CatalogueItemSchema.index({ 'skus.skuId': 1 });
// Substitutes are searched among products of the same category.
CatalogueItemSchema.index({ categoryId: 1 });
