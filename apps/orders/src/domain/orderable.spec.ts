import type { CertificateSnapshot } from '@techan/common';
import { evaluateOrderable, type CatalogueItem } from './orderable';

const at = new Date('2026-11-29T04:00:00Z');
const cert = (over: Partial<CertificateSnapshot> = {}): CertificateSnapshot => ({
  certificateId: 'c1',
  mark: 'magang',
  status: 'active',
  colour: 'green',
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2027-01-01T00:00:00Z',
  ...over,
});
const goose = (over: Partial<CatalogueItem> = {}): CatalogueItem => ({
  productId: 'p1',
  merchantId: 'm1',
  nameZh: '马冈鹅（冰鲜整鹅）',
  temperatureClass: 'chilled',
  listed: true,
  skus: [{ skuId: 's1', specZh: '约3.0斤/只', unit: '只', priceFen: 26800 }],
  certificates: [cert()],
  ...over,
});

describe('evaluateOrderable', () => {
  it('accepts a listed SKU of a certified product and returns the catalogue price', () => {
    expect(evaluateOrderable(goose(), 's1', at)).toEqual({ orderable: true, sku: goose().skus[0] });
  });

  it('refuses unknown products and SKUs, and products taken off sale', () => {
    expect(evaluateOrderable(null, 's1', at)).toMatchObject({ orderable: false, reason: 'unknown_product', reasonZh: '没有这个产品' });
    expect(evaluateOrderable(goose(), 's9', at)).toMatchObject({ orderable: false, reason: 'unknown_sku' });
    expect(evaluateOrderable(goose({ listed: false }), 's1', at)).toMatchObject({ orderable: false, reason: 'not_listed' });
  });

  it('applies the certified-only rule at the moment asked (a delivery date after expiry is refused)', () => {
    const expiring = goose({ certificates: [cert({ validUntil: '2026-12-01T00:00:00Z' })] });
    expect(evaluateOrderable(expiring, 's1', at).orderable).toBe(true);
    expect(evaluateOrderable(expiring, 's1', new Date('2026-12-02T00:00:00Z'))).toMatchObject({
      orderable: false,
      reason: 'expired',
      reasonZh: '该产品的认证已过期，暂不可购买',
    });
  });

  it('a red warning blocks with its Chinese reason', () => {
    const red = goose({ certificates: [cert(), cert({ certificateId: 'c2', status: 'red_warning', colour: 'red' })] });
    expect(evaluateOrderable(red, 's1', at)).toMatchObject({ orderable: false, reason: 'red_warning', reasonZh: '该产品因质量风险处于红色警示，暂停销售' });
  });
});
