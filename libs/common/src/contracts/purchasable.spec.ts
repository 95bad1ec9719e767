import type { CertificateSnapshot } from './certification.events';
import { evaluatePurchasable } from './purchasable';

const now = new Date('2026-11-23T12:00:00Z');
const cert = (over: Partial<CertificateSnapshot> = {}): CertificateSnapshot => ({
  certificateId: 'c1',
  mark: 'magang',
  status: 'active',
  colour: 'green',
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2027-01-01T00:00:00Z',
  ...over,
});

describe('evaluatePurchasable (DESIGN §3)', () => {
  it('is purchasable with one active or yellow-warned certificate of an accepted mark in its validity', () => {
    expect(evaluatePurchasable([cert()], now)).toEqual({ purchasable: true });
    expect(evaluatePurchasable([cert({ status: 'yellow_warning', colour: 'yellow' })], now)).toEqual({ purchasable: true });
    expect(evaluatePurchasable([cert({ status: 'inspection_due' })], now)).toEqual({ purchasable: true });
  });

  it('checks validity at the given moment, not when the event arrived', () => {
    expect(evaluatePurchasable([cert({ validUntil: '2026-11-23T12:00:00Z' })], now)).toEqual({ purchasable: false, reason: 'expired' });
    expect(evaluatePurchasable([cert({ validFrom: '2026-11-24T00:00:00Z' })], now)).toEqual({ purchasable: false, reason: 'not_yet_valid' });
  });

  it('a red warning on any certificate blocks the product, even beside a valid one', () => {
    const red = cert({ certificateId: 'c2', mark: 'green', status: 'red_warning', colour: 'red' });
    expect(evaluatePurchasable([cert(), red], now)).toEqual({ purchasable: false, reason: 'red_warning' });
  });

  it('says why not: no certificate, not accepted, suspended, revoked', () => {
    expect(evaluatePurchasable([], now)).toEqual({ purchasable: false, reason: 'no_certificate' });
    expect(evaluatePurchasable([cert({ mark: 'organic' })], now)).toEqual({ purchasable: false, reason: 'not_accepted' });
    expect(evaluatePurchasable([cert({ mark: 'gi' })], now, ['magang'])).toEqual({ purchasable: false, reason: 'not_accepted' });
    expect(evaluatePurchasable([cert({ status: 'suspended', colour: 'grey' })], now)).toEqual({ purchasable: false, reason: 'suspended' });
    expect(
      evaluatePurchasable([cert({ status: 'suspended', colour: 'grey' }), cert({ certificateId: 'c3', status: 'revoked', colour: 'grey' })], now),
    ).toEqual({ purchasable: false, reason: 'revoked' });
  });
});
