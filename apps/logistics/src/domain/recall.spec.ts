import type { CertificateSnapshot } from '@techan/common';
import { recallVerdict } from './recall';

const now = new Date('2026-11-30T00:00:00Z');
const cert = (status: CertificateSnapshot['status'], colour: CertificateSnapshot['colour'] = 'green'): CertificateSnapshot => ({
  certificateId: 'c1', mark: 'otop', level: 3, status, colour, validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z',
});

describe('recall rule', () => {
  it.each([
    ['red_warning', true],
    ['suspended', true],
    ['revoked', true],
    ['active', false],
    ['yellow_warning', false],
    ['expired', false],
  ] as const)('%s → recall %p', (status, recall) => {
    expect(recallVerdict([cert(status)], now).recall).toBe(recall);
  });

  it('recalls on a red warning even when another certificate is still active', () => {
    expect(recallVerdict([cert('active'), { ...cert('red_warning', 'red'), certificateId: 'c2' }], now)).toEqual({ recall: true, reason: 'red_warning' });
  });
});
