import fc from 'fast-check';
import { CERTIFICATE_STATUSES, MARKS, type CertificateSnapshot, type ProductStatusChangedV1 } from '@techan/common';

/** fast-check generators shared by the domain tests (kept out of *.spec so several specs can use them). */
export const T0 = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;

export const certificateArb: fc.Arbitrary<CertificateSnapshot> = fc
  .record({
    certificateId: fc.constantFrom('c1', 'c2', 'c3'),
    mark: fc.constantFrom(...MARKS),
    level: fc.integer({ min: 1, max: 5 }),
    status: fc.constantFrom(...CERTIFICATE_STATUSES),
    fromDay: fc.integer({ min: 0, max: 60 }),
    lengthDays: fc.integer({ min: 1, max: 60 }),
  })
  .map(({ fromDay, lengthDays, level, ...c }) => ({
    ...c,
    ...(c.mark === 'otop' ? { level } : {}),
    colour: c.status === 'red_warning' ? 'red' : c.status === 'yellow_warning' ? 'yellow' : c.status === 'active' || c.status === 'inspection_due' ? 'green' : 'grey',
    validFrom: new Date(T0 + fromDay * DAY).toISOString(),
    validUntil: new Date(T0 + (fromDay + lengthDays) * DAY).toISOString(),
  }));

export const certificatesArb = fc.array(certificateArb, { maxLength: 4 });

/** Instants around the generated windows, including exact window edges. */
export const instantArb = fc.oneof(
  fc.integer({ min: -2, max: 125 }).map((d) => new Date(T0 + d * DAY)),
  fc.integer({ min: -2 * DAY, max: 125 * DAY }).map((ms) => new Date(T0 + ms)),
);

export const statusEventArb = (productId: string): fc.Arbitrary<ProductStatusChangedV1> =>
  fc.record({
    productId: fc.constant(productId),
    merchantId: fc.constant('m1'),
    version: fc.integer({ min: 1, max: 20 }),
    certificates: certificatesArb,
    purchasable: fc.boolean(),
    changedAt: fc.constant(new Date(T0).toISOString()),
  });
