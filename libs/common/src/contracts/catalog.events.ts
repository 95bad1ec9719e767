import { z } from 'zod';
import { QUALITY_TIERS, TEMPERATURE_CLASSES } from './vocabulary';

/** techan.catalog.stock-reserved.v1 — keyed by orderId: every line was reserved. */
export const StockReservedV1 = z.object({
  orderId: z.string().min(1),
  lines: z.array(z.object({ skuId: z.string(), quantity: z.number().int().positive() })),
  /** The reservation ends at the earliest of the order's reserveUntil and the certificates' validUntil. */
  reservedUntil: z.iso.datetime(),
});
export type StockReservedV1 = z.infer<typeof StockReservedV1>;

export const STOCK_REJECT_REASONS = ['not_purchasable', 'insufficient_stock', 'unknown_sku'] as const;

/** techan.catalog.stock-rejected.v1 — keyed by orderId: nothing is held; per-line reasons. */
export const StockRejectedV1 = z.object({
  orderId: z.string().min(1),
  lines: z.array(
    z.object({ skuId: z.string(), reason: z.enum(STOCK_REJECT_REASONS).optional(), detail: z.string().optional() }),
  ),
});
export type StockRejectedV1 = z.infer<typeof StockRejectedV1>;

/** techan.catalog.stock-released.v1 — keyed by orderId: a reservation was given back (cancel or timeout). */
export const StockReleasedV1 = z.object({
  orderId: z.string().min(1),
  reason: z.enum(['cancelled', 'timeout']),
});
export type StockReleasedV1 = z.infer<typeof StockReleasedV1>;

/** One sellable unit of a product as other services project it (price in fen, CNY). */
export const SkuListing = z.object({
  skuId: z.string().min(1),
  specZh: z.string().min(1),
  unit: z.string().min(1),
  priceFen: z.number().int().nonnegative(),
  /** Net content of one unit (grams, millilitres or pieces): weights for dispatch, comparable prices. */
  netContent: z.object({ value: z.number().positive(), unit: z.enum(['g', 'ml', 'piece']) }).optional(),
});
export type SkuListing = z.infer<typeof SkuListing>;

/**
 * techan.catalog.product-upserted.v1 — keyed by productId, published when a product is created or its
 * listing changes (name, SKUs and prices, listed flag). Certification learns of products from it;
 * orders and logistics keep a projection of names, prices and temperature classes (never trusting a
 * price sent by a client). The listing fields are optional only for events written before they existed.
 */
export const ProductUpsertedV1 = z.object({
  productId: z.string().min(1),
  merchantId: z.string().min(1),
  /** The maker's name, so certification's public verify page can show it. */
  merchantName: z.string().optional(),
  name: z.string().min(1),
  gtin: z.string().optional(),
  town: z.string().optional(),
  /** Leaf category id, e.g. `agri.goose` (substitutes must share it). */
  categoryId: z.string().optional(),
  tier: z.enum(QUALITY_TIERS).optional(),
  temperatureClass: z.enum(TEMPERATURE_CLASSES).optional(),
  /** False when the merchant took it off sale (it is then not orderable whatever its certificates). */
  listed: z.boolean().optional(),
  skus: z.array(SkuListing).optional(),
  /** First product image (URL path on the public origin), for carts and order lines. */
  imageUrl: z.string().optional(),
  updatedAt: z.iso.datetime(),
});
export type ProductUpsertedV1 = z.infer<typeof ProductUpsertedV1>;

export const MERCHANT_STATUSES = ['pending', 'approved', 'rejected', 'suspended'] as const;

/**
 * techan.catalog.merchant-upserted.v1 — keyed by merchantId, published when an enterprise is
 * registered, reviewed or its members change. Other services resolve "which merchants does this user
 * act for" from it (server side), instead of trusting a list frozen into a token at sign-in.
 * `memberUserIds` is the complete current list (the newest event alone is the truth).
 */
export const MerchantUpsertedV1 = z.object({
  merchantId: z.string().min(1),
  name: z.string().min(1),
  status: z.enum(MERCHANT_STATUSES),
  memberUserIds: z.array(z.string().min(1)),
  updatedAt: z.iso.datetime(),
});
export type MerchantUpsertedV1 = z.infer<typeof MerchantUpsertedV1>;
