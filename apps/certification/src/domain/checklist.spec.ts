import { OTOP_CRITERIA } from './schemes/otop';
import { reviewChecklist } from './checklist';

describe('reviewChecklist', () => {
  it('lists for 1★ the online review, the basic documents and the three checks', () => {
    const list = reviewChecklist({ scheme: 'otop', level: 1 });
    expect(list.reviewMethodName).toBe('线上评价');
    expect(list.checks.map((c) => c.check)).toEqual(['documents_review', 'traceability_check', 'sample_spot_check']);
    expect(list.checks[0].name).toBe('资料审核');
    expect(list.requirements.map((r) => r.text)).toEqual([
      '提交材料：营业执照、组织机构代码证、税务登记证',
      '提交材料：生产、加工、储存、运输和销售环节符合国家标准的证书',
      '评审前 6 个月内无重要投诉及安全责任事故',
      '溯源体系至少达到「企业可追溯」',
    ]);
    expect(list.numberedCertificate).toBe(false);
  });

  it('follows the criteria matrix: 5★ adds on-site tests, the production line, insurance and a numbered certificate', () => {
    const list = reviewChecklist({ scheme: 'otop', level: 5 });
    const criteria = OTOP_CRITERIA[5];
    expect(list.checks.map((c) => c.check)).toContain('production_line_inspection');
    expect(list.checks.map((c) => c.check)).toContain(criteria.productTesting === 'on_site' ? 'on_site_product_test' : 'sample_spot_check');
    expect(list.requirements.map((r) => r.text)).toContain('产品质量保险在评审日有效');
    expect(list.requirements.map((r) => r.text)).toContain(`评审前 ${criteria.complaintFreeMonths} 个月内无重要投诉及安全责任事故`);
    expect(list.numberedCertificate).toBe(true);
  });

  it('describes a regional tier from its standard', () => {
    const list = reviewChecklist({ scheme: 'regional', mark: 'dasha', tier: 'mid' });
    expect(list.label).toContain('（');
    expect(list.checks.map((c) => c.check)).toEqual(expect.arrayContaining(['documents_review', 'traceability_check']));
    expect(list.requirements.length).toBeGreaterThan(0);
    expect(list.requirements.every((r) => r.text.length > 0 && !r.text.includes('undefined'))).toBe(true);
  });
});
