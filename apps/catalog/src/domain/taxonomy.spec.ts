import { TOWN_MARKS, type CertificateSnapshot } from '@techan/common';
import { evaluateInHall, findHall, HALLS, hallsForProduct, type BrandHall } from './halls';
import { categoryIdsFor } from './query';
import { categoryPathZh, categorySubtree, categoryTree, isLeafCategory } from './taxonomy';

const NOW = new Date('2026-11-23T08:00:00Z');
const hall = (id: string): BrandHall => {
  const h = findHall(id);
  if (!h) throw new Error(`no hall ${id}`);
  return h;
};
const cert = (over: Partial<CertificateSnapshot>): CertificateSnapshot => ({
  certificateId: 'c1',
  mark: 'magang',
  status: 'active',
  colour: 'green',
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2027-01-01T00:00:00Z',
  ...over,
});

describe('category tree (seed 004)', () => {
  it('has 农品, 工品 and 服务 with their sub-categories', () => {
    const tree = categoryTree();
    expect(tree.map((c) => c.nameZh)).toEqual(['农品', '工品', '服务']);
    expect(tree[0].children.map((c) => c.nameZh)).toEqual(['马冈鹅', '大沙茶', '禽蛋', '丝苗米', '水产', '果蔬']);
    expect(tree[1].children.map((c) => c.nameZh)).toEqual(['食品', '工艺品', '老字号', '非遗产品']);
    expect(tree[2].children.map((c) => c.nameZh)).toEqual(['旅游', '餐饮', '文创']);
  });

  it('knows leaves, subtrees and paths', () => {
    expect(isLeafCategory('agri.goose')).toBe(true);
    expect(isLeafCategory('agri')).toBe(false);
    expect(isLeafCategory('agri.unknown')).toBe(false);
    expect(categorySubtree('service')).toEqual(['service', 'service.tourism', 'service.catering', 'service.cultural_creative']);
    expect(categoryPathZh('agri.tea')).toEqual(['农品', '大沙茶']);
    expect(categoryIdsFor('agri.tea')).toEqual(['agri', 'agri.tea']);
  });
});

describe('brand halls', () => {
  it('are the county hall and the six town halls, each town hall taking its own mark', () => {
    expect(HALLS.map((h) => h.nameZh)).toEqual(['开平优品馆', '马冈优品馆', '大沙优品馆', '塘口优品馆', '蚬冈优品馆', '赤水优品馆', '金鸡优品馆']);
    for (const mark of TOWN_MARKS) expect(findHall(mark)?.acceptedMarks).toEqual([mark]);
  });

  it('places a product in every hall whose mark it holds', () => {
    const halls = hallsForProduct([cert({ mark: 'magang' }), cert({ certificateId: 'c2', mark: 'kaiping' })], NOW);
    expect(halls.map((h) => h.id)).toEqual(['kaiping', 'magang']);
  });

  it('shows an OTOP-only product of any star level in the county hall (never in no hall at all)', () => {
    expect(hallsForProduct([cert({ mark: 'otop', level: 1 })], NOW).map((h) => h.id)).toEqual(['kaiping']);
    expect(hallsForProduct([cert({ mark: 'otop', level: 3 })], NOW).map((h) => h.id)).toEqual(['kaiping']);
  });

  it('drops a product from a hall when that mark expires, even without an event', () => {
    const certs = [cert({ mark: 'dasha', validUntil: '2026-11-23T07:59:59Z' }), cert({ certificateId: 'c2', mark: 'kaiping' })];
    expect(hallsForProduct(certs, NOW).map((h) => h.id)).toEqual(['kaiping']);
    expect(evaluateInHall(hall('dasha'), certs, NOW)).toEqual({ purchasable: false, reason: 'expired' });
  });

  it('removes a red-warned product from every hall, whatever mark the warning is on', () => {
    const certs = [cert({ mark: 'magang' }), cert({ certificateId: 'c2', mark: 'green', status: 'red_warning', colour: 'red' })];
    expect(hallsForProduct(certs, NOW)).toEqual([]);
    expect(evaluateInHall(hall('magang'), certs, NOW).reason).toBe('red_warning');
  });

  it('explains a mark the hall does not take', () => {
    expect(evaluateInHall(hall('jinji'), [cert({ mark: 'magang' })], NOW)).toEqual({ purchasable: false, reason: 'not_accepted' });
  });
});
