import { renderVerifyPage } from './verify-page';
import type { VerifyView } from './verify-view';

const view = (over: Partial<VerifyView> = {}): VerifyView => ({
  traceCode: 'KP7Q2M9X4T',
  checkedAt: '2026-03-01T17:30:05.000Z',
  colour: 'green',
  purchasable: true,
  product: { id: 'p_demogoosewhole', name: '马冈鹅（整只，冰鲜）' },
  merchant: { id: 'm_mx23abc', name: '开平市马冈优品鹅业有限公司' },
  certificates: [
    { id: 'c1', mark: 'magang', status: 'active', validFrom: '2026-02-28T20:00:00.000Z', validUntil: '2028-02-28T20:00:00.000Z', issuedAt: '2026-02-28T20:00:00.000Z', markName: '马冈优品', colour: 'green' },
  ],
  inspectionSummary: { annualPassed: 0, annualFailed: 0, retests: 0 },
  activeWarnings: [],
  ...over,
});

describe('verify page (issue 9, item 17)', () => {
  it('names the company, never its raw id', () => {
    const html = renderVerifyPage(view());
    expect(html).toContain('生产企业：开平市马冈优品鹅业有限公司');
    expect(html).not.toContain('m_mx23abc');
    expect(renderVerifyPage(view({ merchant: { id: 'm_mx23abc' } }))).not.toContain('m_mx23abc');
  });

  it('shows dates and the query time in Beijing time (UTC+8), not UTC', () => {
    const html = renderVerifyPage(view());
    expect(html).toContain('查询时间 2026-03-02 01:30（北京时间）');
    expect(html).not.toMatch(/UTC/);
    // Issued at 04:00 on 1 March in Kaiping (20:00 UTC the day before).
    expect(html).toContain('2026-03-01 至 2028-02-29');
  });
});
