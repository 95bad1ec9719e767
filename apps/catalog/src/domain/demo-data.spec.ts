import { MARKS } from '@techan/common';
import { parseCreditCode } from './credit-code';
import { DEMO_MERCHANTS, DEMO_PRODUCTS, demoPriceHistory } from './demo-data';
import { parseInput, ProductInput, MerchantRegistration } from './inputs';
import { PRICE_INDEX_GROUPS } from './price-index';

describe('demo data', () => {
  it('has realistic merchants with valid credit codes, one of them awaiting review', () => {
    for (const m of DEMO_MERCHANTS) {
      expect(parseCreditCode(m.creditCode).valid).toBe(true);
      expect(() =>
        parseInput(MerchantRegistration, { name: m.name, creditCode: m.creditCode, licenceDocument: `doc:licences/${m.key}.pdf`, town: m.town, contact: m.contact }),
      ).not.toThrow();
    }
    expect(new Set(DEMO_MERCHANTS.map((m) => m.creditCode)).size).toBe(DEMO_MERCHANTS.length);
    expect(DEMO_MERCHANTS.some((m) => m.status === 'pending')).toBe(true);
  });

  it('has 50+ valid products, each sold by an approved merchant and carrying a known mark', () => {
    expect(DEMO_PRODUCTS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(DEMO_PRODUCTS.map((p) => p.key)).size).toBe(DEMO_PRODUCTS.length);
    const approved = new Set(DEMO_MERCHANTS.filter((m) => m.status === 'approved').map((m) => m.key));
    for (const p of DEMO_PRODUCTS) {
      const { key, merchant, certificates, ...body } = p;
      expect(() => parseInput(ProductInput, body)).not.toThrow();
      expect(approved.has(merchant)).toBe(true);
      expect(certificates.length).toBeGreaterThan(0);
      for (const c of certificates) expect(MARKS).toContain(c.mark);
      expect(key).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it('covers every price-index group and shows blocked products', () => {
    for (const g of PRICE_INDEX_GROUPS) expect(DEMO_PRODUCTS.some((p) => p.categoryId === g.categoryId)).toBe(true);
    const statuses = DEMO_PRODUCTS.flatMap((p) => p.certificates.map((c) => c.status ?? 'active'));
    expect(statuses).toEqual(expect.arrayContaining(['suspended', 'red_warning', 'expired', 'yellow_warning']));
  });

  it('generates a deterministic price history ending at the listed price', () => {
    const end = new Date('2026-11-23T04:00:00Z');
    const a = demoPriceHistory(end, 30);
    expect(a).toEqual(demoPriceHistory(end, 30));
    const goose = a.filter((x) => x.productKey === 'goose-whole' && x.skuCode === 'W30');
    expect(goose).toHaveLength(30);
    expect(goose[29]).toEqual({ productKey: 'goose-whole', skuCode: 'W30', at: end, priceFen: 26800 });
    expect(goose.every((x) => Number.isInteger(x.priceFen) && x.priceFen > 0)).toBe(true);
  });
});
