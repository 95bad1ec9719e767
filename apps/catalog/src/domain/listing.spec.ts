import fc from 'fast-check';
import { evaluatePurchasable, type CertificateSnapshot, type ProductStatusChangedV1 } from '@techan/common';
import {
  applyStatusEvent,
  currentStarLevel,
  evaluateAvailability,
  formatDateZh,
  listingCertFields,
  purchasableAt,
  purchasableUntil,
  replayStatusEvents,
  type CertificationState,
} from './listing';
import { findHall } from './halls';
import { certificatesArb, instantArb, statusEventArb } from './test/arbitraries';

const NOW = new Date('2026-11-23T08:00:00Z');
const cert = (over: Partial<CertificateSnapshot>): CertificateSnapshot => ({
  certificateId: 'c1',
  mark: 'magang',
  status: 'active',
  colour: 'green',
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2027-01-01T00:00:00Z',
  ...over,
});
const event = (version: number, certificates: CertificateSnapshot[]): ProductStatusChangedV1 => ({
  productId: 'p1',
  merchantId: 'm1',
  version,
  certificates,
  purchasable: true,
  changedAt: NOW.toISOString(),
});
const state = (certificates: CertificateSnapshot[]): CertificationState => ({
  productId: 'p1',
  merchantId: 'm1',
  version: 1,
  certificates,
  changedAt: NOW.toISOString(),
});

describe('certification status projection', () => {
  it('applies a newer version and ignores an older or repeated one', () => {
    const v2 = applyStatusEvent(undefined, event(2, [cert({})]));
    expect(v2.applied).toBe(true);
    const stale = applyStatusEvent(v2.state, event(1, []));
    expect(stale).toEqual({ applied: false, state: v2.state });
    const again = applyStatusEvent(v2.state, event(2, []));
    expect(again.applied).toBe(false);
    const v3 = applyStatusEvent(v2.state, event(3, [cert({ status: 'suspended' })]));
    expect(v3.state.certificates[0].status).toBe('suspended');
  });

  it('refuses to mix products', () => {
    const s = applyStatusEvent(undefined, event(1, [])).state;
    expect(() => applyStatusEvent(s, { ...event(2, []), productId: 'p2' })).toThrow('event for p2 applied to p1');
  });

  it('ends in the same state whatever the delivery order and duplication (rebuildable by replay)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(statusEventArb('p1'), { minLength: 1, maxLength: 8, selector: (e) => e.version }),
        fc.func(fc.integer()),
        fc.array(fc.nat(), { maxLength: 5 }),
        (events, shuffleKey, duplicates) => {
          const newest = events.reduce((a, b) => (b.version > a.version ? b : a));
          const delivered = [...events, ...duplicates.map((i) => events[i % events.length])];
          delivered.sort((a, b) => shuffleKey(a.version) - shuffleKey(b.version));
          const s = replayStatusEvents(delivered).get('p1');
          expect(s?.version).toBe(newest.version);
          expect(s?.certificates).toEqual(newest.certificates);
        },
      ),
    );
  });
});

describe('listing fields stored for database pre-filtering', () => {
  it('agree with evaluatePurchasable at every instant', () => {
    fc.assert(
      fc.property(certificatesArb, instantArb, (certs, now) => {
        expect(purchasableAt(listingCertFields(certs), now)).toBe(evaluatePurchasable(certs, now).purchasable);
      }),
      { numRuns: 500 },
    );
  });

  it('purchasableUntil is the instant the product stops being purchasable if nothing changes', () => {
    fc.assert(
      fc.property(certificatesArb, instantArb, (certs, now) => {
        const until = purchasableUntil(certs, now);
        if (!evaluatePurchasable(certs, now).purchasable) {
          expect(until).toBeUndefined();
          return;
        }
        const end = until?.getTime() ?? Number.NaN;
        expect(end).toBeGreaterThan(now.getTime());
        expect(evaluatePurchasable(certs, new Date(end - 1)).purchasable).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reads the current star level from OTOP certificates in force', () => {
    const certs = [cert({ mark: 'otop', level: 5, validUntil: '2026-06-01T00:00:00Z' }), cert({ certificateId: 'c2', mark: 'otop', level: 3 })];
    expect(currentStarLevel(certs, NOW)).toBe(3);
    expect(currentStarLevel(certs, new Date('2026-03-01T00:00:00Z'))).toBe(5);
  });
});

describe('availability and the zh-CN reason shown on the product page', () => {
  const base = { merchantStatus: 'approved' as const, listed: true, now: NOW };

  it('is buyable with a current certificate and says until when', () => {
    expect(evaluateAvailability({ ...base, certification: state([cert({})]) })).toEqual({
      buyable: true,
      buyableUntil: '2027-01-01T00:00:00.000Z',
    });
  });

  it('checks validUntil at request time, not only on events', () => {
    const certification = state([cert({ validUntil: '2026-11-23T07:00:00Z' })]);
    const a = evaluateAvailability({ ...base, certification });
    expect(a).toMatchObject({ buyable: false, reason: 'expired' });
    expect(a.messageZh).toBe('该产品“马冈优品”认证已于2026年11月23日到期，续证前暂停销售。');
  });

  it.each([
    ['suspended', '该产品“马冈优品”认证已被暂停，暂停销售。'],
    ['revoked', '该产品“马冈优品”认证已被撤销，不可购买。'],
    ['red_warning', '该产品“马冈优品”认证因质量风险被亮红色警示，已停止销售，请勿购买或食用已购同批次产品。'],
  ] as const)('explains %s', (status, message) => {
    const a = evaluateAvailability({ ...base, certification: state([cert({ status })]) });
    expect(a).toEqual({ buyable: false, reason: status, messageZh: message });
  });

  it('says when a not-yet-valid certificate starts', () => {
    const a = evaluateAvailability({ ...base, certification: state([cert({ validFrom: '2026-12-01T00:00:00Z' })]) });
    expect(a.messageZh).toBe('该产品认证将于2026年12月1日生效，生效后开售。');
  });

  it('keeps a yellow-warned product buyable with a notice', () => {
    const a = evaluateAvailability({ ...base, certification: state([cert({ status: 'yellow_warning', colour: 'yellow' })]) });
    expect(a.buyable).toBe(true);
    expect(a.noticeZh).toContain('黄色警示');
  });

  it('blocks unapproved merchants, delisted products and uncertified ones', () => {
    expect(evaluateAvailability({ ...base, merchantStatus: 'pending', certification: state([cert({})]) }).reason).toBe('merchant_not_approved');
    expect(evaluateAvailability({ ...base, listed: false, certification: state([cert({})]) }).messageZh).toBe('该产品已下架。');
    expect(evaluateAvailability({ ...base }).messageZh).toBe('该产品尚未取得认证，暂不可购买。');
  });

  it('evaluates against one hall when asked', () => {
    const a = evaluateAvailability({ ...base, certification: state([cert({})]), hall: findHall('dasha') });
    expect(a).toMatchObject({ buyable: false, reason: 'not_accepted' });
  });

  it('formats dates in China time', () => {
    expect(formatDateZh('2026-11-23T16:30:00Z')).toBe('2026年11月24日');
  });
});
