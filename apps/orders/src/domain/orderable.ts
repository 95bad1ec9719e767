import {
  evaluatePurchasable,
  NOT_PURCHASABLE_REASON_ZH,
  type CertificateSnapshot,
  type NotPurchasableReason,
  type SkuListing,
  type TemperatureClass,
} from '@techan/common';

/** What orders knows of a catalogue product: the projection of catalog's listing and certification's status. */
export interface CatalogueItem {
  productId: string;
  merchantId: string;
  merchantName?: string;
  nameZh: string;
  categoryId?: string;
  tier?: 'premium' | 'mid' | 'mass';
  temperatureClass?: TemperatureClass;
  /** False when the merchant took it off sale; undefined for products only certification told us of. */
  listed?: boolean;
  skus: SkuListing[];
  imageUrl?: string;
  certificates: CertificateSnapshot[];
}

export type NotOrderableReason = NotPurchasableReason | 'unknown_product' | 'unknown_sku' | 'not_listed';

export interface OrderableVerdict {
  orderable: boolean;
  reason?: NotOrderableReason;
  /** Chinese sentence for the shopper or buyer. */
  reasonZh?: string;
  sku?: SkuListing;
}

const EXTRA_REASON_ZH: Record<'unknown_product' | 'unknown_sku' | 'not_listed', string> = {
  unknown_product: '没有这个产品',
  unknown_sku: '该产品没有这个规格',
  not_listed: '商家已下架该产品',
};

function notOrderable(reason: NotOrderableReason): OrderableVerdict {
  const reasonZh = reason in EXTRA_REASON_ZH ? EXTRA_REASON_ZH[reason as keyof typeof EXTRA_REASON_ZH] : NOT_PURCHASABLE_REASON_ZH[reason as NotPurchasableReason];
  return { orderable: false, reason, reasonZh };
}

/**
 * Can this SKU be ordered at `at`? The certified-only rule (evaluatePurchasable, at the given moment —
 * a delivery date for contracts, now for carts) plus the listing: the product and SKU exist and are on sale.
 * Price always comes from the returned SKU, never from the client.
 */
export function evaluateOrderable(item: CatalogueItem | null | undefined, skuId: string, at: Date): OrderableVerdict {
  if (!item) return notOrderable('unknown_product');
  const sku = item.skus.find((s) => s.skuId === skuId);
  if (!sku) return notOrderable('unknown_sku');
  if (item.listed === false) return notOrderable('not_listed');
  const verdict = evaluatePurchasable(item.certificates, at);
  if (!verdict.purchasable) return { ...notOrderable(verdict.reason ?? 'no_certificate'), sku };
  return { orderable: true, sku };
}
