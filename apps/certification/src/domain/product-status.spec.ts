import type { Certificate } from './certificate';
import { applyCertificateCommand, recordedCertificate } from './certificate';
import { ProductStatusProjection, buildProductStatusChanged } from './product-status';
import { addMonths, unwrap } from './rules';
import { certifier } from '../test/domain-fixtures';

const T = new Date('2026-04-01T00:00:00.000Z');
const product = { productId: 'p-1', merchantId: 'm-1', productName: '马冈鹅' };

function cert(id: string, mark: Certificate['mark'], overrides: Partial<Certificate> = {}): Certificate {
  const base = unwrap(
    recordedCertificate(
      { id, productId: 'p-1', merchantId: 'm-1', mark, number: `N-${id}`, issuer: '评定中心', origin: 'external', validFrom: addMonths(T, -1), validUntil: addMonths(T, 12) },
      T,
      certifier,
    ),
  );
  return { ...base, ...overrides };
}

describe('product status event', () => {
  it('carries every certificate with its colour and the purchasable flag', () => {
    const event = buildProductStatusChanged(product, [cert('b', 'magang'), cert('a', 'otop', { level: 3, validFrom: addMonths(T, -2) })], 4, T);
    expect(event).toMatchObject({ productId: 'p-1', merchantId: 'm-1', productName: '马冈鹅', version: 4, purchasable: true, changedAt: T.toISOString() });
    expect(event.certificates.map((c) => [c.certificateId, c.mark, c.colour])).toEqual([
      ['a', 'otop', 'green'],
      ['b', 'magang', 'green'],
    ]);
    expect(event.certificates[0].level).toBe(3);
  });

  it('a red warning on any certificate makes the product unpurchasable', () => {
    const red = unwrap(applyCertificateCommand(cert('a', 'otop', { level: 3 }), { type: 'raise_quality_risk', reason: '风险', source: 'quality_risk' }, certifier, T));
    const event = buildProductStatusChanged(product, [red, cert('b', 'kaiping')], 5, T, 'red_warning_raised');
    expect(event.purchasable).toBe(false);
    expect(event.reason).toBe('red_warning_raised');
    expect(event.certificates.find((c) => c.certificateId === 'a')).toMatchObject({ status: 'red_warning', colour: 'red' });
  });

  it('yellow is still purchasable; suspended, expired or only external marks are not', () => {
    expect(buildProductStatusChanged(product, [cert('a', 'otop', { status: 'yellow_warning' })], 1, T).purchasable).toBe(true);
    const suspended = buildProductStatusChanged(product, [cert('a', 'otop', { status: 'suspended' })], 1, T);
    expect(suspended).toMatchObject({ purchasable: false, reason: 'suspended' });
    expect(suspended.certificates[0].colour).toBe('grey');
    expect(buildProductStatusChanged(product, [cert('a', 'otop', { validUntil: T })], 1, T)).toMatchObject({ purchasable: false, reason: 'expired' });
    expect(buildProductStatusChanged(product, [cert('g', 'green')], 1, T)).toMatchObject({ purchasable: false, reason: 'not_accepted' });
    expect(buildProductStatusChanged(product, [], 1, T)).toMatchObject({ purchasable: false, reason: 'no_certificate', certificates: [] });
  });

  it('refuses certificates of another product and invalid versions', () => {
    expect(() => buildProductStatusChanged(product, [{ ...cert('a', 'otop'), productId: 'p-2' }], 1, T)).toThrow('belongs to product p-2');
    expect(() => buildProductStatusChanged(product, [], 0, T)).toThrow();
  });
});

describe('consumer projection', () => {
  it('applies only newer versions, so replay in any order rebuilds the same state', () => {
    const events = [1, 2, 3].map((version) =>
      buildProductStatusChanged(product, [cert('a', 'otop', { status: version === 2 ? 'red_warning' : 'active' })], version, T),
    );
    const inOrder = new ProductStatusProjection();
    events.forEach((e) => inOrder.apply(e));
    const shuffled = new ProductStatusProjection();
    expect([events[2], events[0], events[1], events[2]].map((e) => shuffled.apply(e))).toEqual([true, false, false, false]);
    expect(shuffled.get('p-1')).toEqual(inOrder.get('p-1'));
    expect(shuffled.purchasable('p-1', T)).toBe(true);
    expect(shuffled.purchasable('p-unknown', T)).toBe(false);
    // validUntil is evaluated at request time: a late expiry event cannot let the product through.
    expect(shuffled.purchasable('p-1', addMonths(T, 13))).toBe(false);
    expect(shuffled.size).toBe(1);
  });
});
