import { z } from 'zod';

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

/** techan.catalog.product-upserted.v1 — keyed by productId: certification learns of products. */
export const ProductUpsertedV1 = z.object({
  productId: z.string().min(1),
  merchantId: z.string().min(1),
  /** The maker's name, so certification's public verify page can show it. */
  merchantName: z.string().optional(),
  name: z.string().min(1),
  gtin: z.string().optional(),
  town: z.string().optional(),
  updatedAt: z.iso.datetime(),
});
export type ProductUpsertedV1 = z.infer<typeof ProductUpsertedV1>;
