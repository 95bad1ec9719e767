import { APPLICATION_STATUS_ZH, CERTIFICATE_STATUS_ZH, markLabel, targetLabel } from './certification-labels';
import { CERTIFICATE_STATUS_ZH as HALL_CERTIFICATE_STATUS_ZH } from './hall/format';

describe('certifier console labels', () => {
  it('names an application target as the certifier reads it', () => {
    expect(targetLabel({ scheme: 'otop', level: 3 })).toBe('一乡一品 ★★★');
    expect(targetLabel({ scheme: 'regional', mark: 'dasha', tier: 'mid' })).toBe('大沙优品 · 中端');
  });

  it('names certificates by mark and level', () => {
    expect(markLabel({ mark: 'otop', level: 5 })).toBe('一乡一品 ★★★★★');
    expect(markLabel({ mark: 'gi' })).toBe('地理标志');
  });

  it('has a Chinese name for every application and certificate status certification uses', () => {
    const applicationStatuses = ['submitted', 'needs_more_evidence', 'evidence_accepted', 'sample_requested', 'sample_mailed', 'sample_received', 'review_scheduled', 'approved', 'rejected', 'withdrawn'];
    for (const s of applicationStatuses) expect(APPLICATION_STATUS_ZH[s]).toMatch(/[\u4e00-\u9fff]/);
    const certificateStatuses = ['active', 'inspection_due', 'yellow_warning', 'red_warning', 'suspended', 'revoked', 'expired'];
    for (const s of certificateStatuses) expect(CERTIFICATE_STATUS_ZH[s]?.text).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('one certification vocabulary across the front end', () => {
  it('names a certificate status the same in the hall and in the consoles (seed 001: 黄色警示 / 红色警示)', () => {
    for (const [status, label] of Object.entries(CERTIFICATE_STATUS_ZH)) expect(HALL_CERTIFICATE_STATUS_ZH[status]).toBe(label.text);
    expect(HALL_CERTIFICATE_STATUS_ZH['yellow_warning']).toBe('黄色警示');
    expect(HALL_CERTIFICATE_STATUS_ZH['red_warning']).toBe('红色警示');
  });

  it('names a regional target with its tier in Chinese', () => {
    expect(targetLabel({ scheme: 'regional', mark: 'magang', tier: 'premium' })).toBe('马冈优品 · 高端');
  });
});
