import type { CertificateSnapshot } from '@techan/common';
import type { CatalogueItem } from '../orderable';
import { certificationZh, equalOrBetter, findSubstitute, standingOf } from './substitute';

const at = new Date('2026-12-03T00:00:00.000Z');
const cert = (mark: CertificateSnapshot['mark'], extra: Partial<CertificateSnapshot> = {}): CertificateSnapshot => ({
  certificateId: `c-${mark}-${extra.level ?? ''}-${extra.status ?? 'active'}`,
  mark,
  status: 'active',
  colour: 'green',
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2027-01-01T00:00:00.000Z',
  ...extra,
});
const item = (productId: string, certificates: CertificateSnapshot[], priceFen: number, over: Partial<CatalogueItem> = {}): CatalogueItem => ({
  productId,
  merchantId: 'm',
  nameZh: productId,
  categoryId: 'agri.poultry_eggs',
  temperatureClass: 'chilled',
  listed: true,
  skus: [{ skuId: `${productId}-s`, specZh: '30枚/盒', unit: '盒', priceFen }],
  certificates,
  ...over,
});

// The original: 3★ OTOP + Tangkou town mark, now red-warned.
const original = item('eggs-a', [cert('otop', { level: 3, status: 'red_warning', colour: 'red' }), cert('tangkou')], 4500);
const line = { skuId: 'eggs-a-s', unitPriceFen: 4500 };

describe('equal-or-better substitutes', () => {
  it('never offers a less certified product (fewer stars or a missing family)', () => {
    const twoStars = item('eggs-2star', [cert('otop', { level: 2 }), cert('kaiping')], 4000);
    const noRegional = item('eggs-otop-only', [cert('otop', { level: 5 })], 4000);
    expect(findSubstitute(original, line, [twoStars, noRegional], at)).toBeNull();
  });
  it('offers the best-certified candidate of the same category and temperature class at ≤ the contract price', () => {
    const better = item('eggs-4star', [cert('otop', { level: 4 }), cert('kaiping')], 4400);
    const equal = item('eggs-3star', [cert('otop', { level: 3 }), cert('chishui')], 4200);
    const tooDear = item('eggs-5star', [cert('otop', { level: 5 }), cert('kaiping')], 4600);
    const frozen = item('eggs-frozen', [cert('otop', { level: 5 }), cert('kaiping')], 4000, { temperatureClass: 'frozen' });
    const otherCategory = item('rice', [cert('otop', { level: 5 }), cert('kaiping')], 4000, { categoryId: 'agri.rice' });
    expect(findSubstitute(original, line, [equal, tooDear, frozen, otherCategory, better], at)).toMatchObject({ productId: 'eggs-4star', unitPriceFen: 4400 });
    expect(findSubstitute(original, line, [equal], at)).toMatchObject({ productId: 'eggs-3star' });
  });
  it('describes the certification of the substitute and of the original for the buyer', () => {
    const better = item('eggs-4star', [cert('otop', { level: 4 }), cert('kaiping'), cert('green')], 4400);
    const offer = findSubstitute(original, line, [better], at);
    expect(offer?.certificationZh).toBe('一乡一品星级 4★、开平优品');
    expect(offer?.originalCertificationZh).toBe(certificationZh(original.certificates));
    expect(certificationZh([cert('otop', { level: 3, validUntil: '2026-12-01T00:00:00.000Z' })], at)).toBe('无有效认证');
  });
  it('a candidate must be purchasable on the delivery date (expired or red-warned candidates are out)', () => {
    const expired = item('eggs-exp', [cert('otop', { level: 4, validUntil: '2026-12-01T00:00:00.000Z' }), cert('kaiping')], 4000);
    const red = item('eggs-red', [cert('otop', { level: 4 }), cert('kaiping', { status: 'red_warning', colour: 'red' })], 4000);
    expect(findSubstitute(original, line, [expired, red], at)).toBeNull();
  });
  it('the county mark is required where the original had it (county standard ≥ town)', () => {
    const orig = standingOf([cert('kaiping')]);
    expect(equalOrBetter(orig, standingOf([cert('magang')], at))).toBe(false);
    expect(equalOrBetter(standingOf([cert('magang')]), standingOf([cert('kaiping')], at))).toBe(true);
    expect(equalOrBetter(standingOf([]), standingOf([cert('kaiping')], at))).toBe(false);
  });
});
