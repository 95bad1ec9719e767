import type { Mark } from '@techan/common';
import { ProductStatusChangedV1, evaluatePurchasable } from '@techan/common';
import type { Certificate } from './certificate';
import { toSnapshot } from './certificate';

export interface ProductRef {
  productId: string;
  merchantId: string;
  productName?: string;
}

/**
 * The product-status event payload: the product's full certificate set with colours, and the
 * purchasable flag by DESIGN.md §3's rule as of `changedAt`. `version` is the per-product counter
 * the caller incremented in the same write. Validated against the contract before it leaves.
 */
export function buildProductStatusChanged(
  product: ProductRef,
  certificates: readonly Certificate[],
  version: number,
  changedAt: Date,
  reason?: string,
  acceptedMarks?: readonly Mark[],
): ProductStatusChangedV1 {
  const foreign = certificates.find((c) => c.productId !== product.productId);
  if (foreign) throw new Error(`certificate ${foreign.id} belongs to product ${foreign.productId}, not ${product.productId}`);
  const snapshots = [...certificates]
    .sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime() || a.id.localeCompare(b.id))
    .map((c) => toSnapshot(c, changedAt));
  const verdict = evaluatePurchasable(snapshots, changedAt, acceptedMarks);
  return ProductStatusChangedV1.parse({
    productId: product.productId,
    merchantId: product.merchantId,
    ...(product.productName ? { productName: product.productName } : {}),
    version,
    certificates: snapshots,
    purchasable: verdict.purchasable,
    ...(reason ?? verdict.reason ? { reason: reason ?? verdict.reason } : {}),
    changedAt: changedAt.toISOString(),
  });
}

/**
 * What a consumer does with these events: keep the newest version per product and ignore older or
 * repeated ones. Used by the tests (replay rebuilds a projection) and usable by any consumer.
 */
export class ProductStatusProjection {
  private readonly byProduct = new Map<string, ProductStatusChangedV1>();

  /** Returns true when the event changed the projection. */
  apply(event: ProductStatusChangedV1): boolean {
    const held = this.byProduct.get(event.productId);
    if (held && held.version >= event.version) return false;
    this.byProduct.set(event.productId, event);
    return true;
  }

  get(productId: string): ProductStatusChangedV1 | undefined {
    return this.byProduct.get(productId);
  }

  /** Purchasable at `now` by the consumer-side rule (validUntil evaluated at request time). */
  purchasable(productId: string, now: Date): boolean {
    const held = this.byProduct.get(productId);
    return held ? evaluatePurchasable(held.certificates, now).purchasable : false;
  }

  get size(): number {
    return this.byProduct.size;
  }
}
