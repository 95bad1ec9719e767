import { DEMO_PRODUCTS, TOWNS, categoryIdsFor } from '../src/domain';
import { certFieldsForProduct } from '../src/catalog/certification-projection.service';
import { searchFields } from '../src/catalog/products.service';
import { demoCertificates } from '../src/test/demo-status';
import type { ProductDoc, StockDoc } from '../src/persistence/schemas';

export const syntheticProductId = (i: number) => `p_bench${i.toString(36).padStart(6, '0')}`;
export const syntheticSkuId = (i: number, k: number) => `s_bench${i.toString(36)}x${k}`;

/** Indexes of synthetic products whose demo base is fully certified (buyable). */
export function buyableSyntheticIndexes(count: number, max: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < max && out.length < count; i++) {
    if (DEMO_PRODUCTS[i % DEMO_PRODUCTS.length].certificates.every((c) => !c.status || c.status === 'active')) out.push(i);
  }
  return out;
}

const QUALIFIERS = ['', '礼盒装', '家庭装', '精选', '特级', '农家', '生态', '散装', '尝鲜装', '企业定制'];

/** Synthetic products built from the demo catalogue's names, towns and certificates, two SKUs each. */
export function* syntheticProducts(count: number, now: Date): Generator<{ product: ProductDoc; stock: StockDoc[] }> {
  for (let i = 0; i < count; i++) {
    const base = DEMO_PRODUCTS[i % DEMO_PRODUCTS.length];
    const town = i % 3 === 0 ? base.town : TOWNS[i % TOWNS.length].code;
    const nameZh = `${base.nameZh}${QUALIFIERS[i % QUALIFIERS.length]}`;
    const id = syntheticProductId(i);
    const factor = 0.6 + ((i * 7919) % 1000) / 1000;
    const skus = [0, 1].map((k) => {
      const s = base.skus[k % base.skus.length];
      return { skuId: syntheticSkuId(i, k), code: `${s.code}${k}`, specZh: s.specZh, unit: s.unit, netContent: s.netContent, priceFen: Math.max(100, Math.round(s.priceFen * factor * (1 + k * 0.8))) };
    });
    const listedAt = now.getTime() - (count - i) * 1000;
    const product: ProductDoc = {
      _id: id,
      merchantId: `m_demo${base.merchant.replace(/[^a-z0-9]/g, '')}`,
      nameZh,
      descriptionZh: base.descriptionZh,
      categoryId: base.categoryId,
      categoryIds: categoryIdsFor(base.categoryId),
      town,
      tier: base.tier,
      originDegree: base.originDegree,
      temperatureClass: base.temperatureClass,
      shelfLifeDays: base.shelfLifeDays,
      images: [],
      skus,
      listed: true,
      merchantApproved: true,
      minPriceFen: Math.min(...skus.map((s) => s.priceFen)),
      listedAtMs: listedAt,
      createdAt: new Date(listedAt),
      updatedAt: new Date(listedAt),
      ...certFieldsForProduct({ version: 1, certificates: demoCertificates(base, now) }),
      ...searchFields({ nameZh, descriptionZh: base.descriptionZh, categoryId: base.categoryId, town }),
    };
    yield { product, stock: skus.map((s) => ({ _id: s.skuId, productId: id, merchantId: product.merchantId, available: 1000, reserved: 0, holds: [] })) };
  }
}

