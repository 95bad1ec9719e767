import { InvalidInputError } from './errors';
import { MerchantRegistration, MerchantReview, parseInput, ProductInput, SkuUpdate } from './inputs';
import { applyReview, resubmit, ReviewConflictError, reviewDueBy, submitForReview } from './merchant';

const fieldOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidInputError) return e.field;
    throw e;
  }
  throw new Error('expected an InvalidInputError');
};

const registration = {
  name: '开平市马冈优品鹅业有限公司',
  creditCode: '91440783ma4uk7r28a',
  licenceDocument: 'doc:licences/2026/11/abc123.pdf',
  town: 'magang',
  contact: { name: '关伟强', phone: '13702201188' },
};

const productBody = {
  nameZh: '马冈鹅（整只，冰鲜）',
  descriptionZh: '放养一百天以上。',
  categoryId: 'agri.goose',
  town: 'magang',
  tier: 'premium',
  originDegree: 'fully_local',
  temperatureClass: 'chilled',
  shelfLifeDays: 4,
  images: ['https://img.example.cn/goose.jpg'],
  skus: [{ code: 'W30', specZh: '整只约3千克', unit: '只', netContent: { value: 3000, unit: 'g' }, priceFen: 26800, stock: 10, gtin: '6901234567892' }],
};

describe('merchant registration', () => {
  it('accepts a valid registration and normalises the credit code', () => {
    expect(parseInput(MerchantRegistration, registration).creditCode).toBe('91440783MA4UK7R28A');
  });

  it.each([
    [{ creditCode: '91440783MA4UK7R28B' }, 'creditCode', '统一社会信用代码校验位错误'],
    [{ creditCode: { $ne: '' } }, 'creditCode', '统一社会信用代码必须是文本'],
    [{ town: 'shenzhen' }, 'town', '未知的镇（街）'],
    [{ licenceDocument: 'javascript:alert(1)' }, 'licenceDocument', '营业执照文件引用应为 https:// 链接或 doc: 引用'],
    [{ contact: { name: '关', phone: '123' } }, 'contact.phone', '联系电话格式不正确'],
    [{ name: '  ' }, 'name', '企业名称不能为空'],
    [{ role: 'operator' }, 'role', '未知参数'],
  ])('rejects %p naming %s', (patch, field, message) => {
    expect(() => parseInput(MerchantRegistration, { ...registration, ...patch })).toThrow(`${field}: ${message}`);
  });
});

describe('merchant review', () => {
  const t0 = new Date('2026-11-20T02:00:00Z'); // Friday 10:00 in Kaiping

  it('approves or rejects a pending enterprise, keeping the submission time', () => {
    const pending = submitForReview(t0);
    expect(pending).toEqual({ status: 'pending', submittedAt: t0.toISOString() });
    const approved = applyReview(pending, parseInput(MerchantReview, { decision: 'approve' }), 'op1', new Date('2026-11-21T00:00:00Z'));
    expect(approved).toMatchObject({ status: 'approved', reviewedBy: 'op1', submittedAt: t0.toISOString() });
    const rejected = applyReview(pending, parseInput(MerchantReview, { decision: 'reject', reason: '营业执照不清晰' }), 'op1', t0);
    expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: '营业执照不清晰' });
    expect(resubmit(rejected, t0).status).toBe('pending');
  });

  it('refuses to review twice, and a rejection needs a reason', () => {
    const approved = applyReview(submitForReview(t0), { decision: 'approve' }, 'op1', t0);
    expect(() => applyReview(approved, { decision: 'approve' }, 'op2', t0)).toThrow(ReviewConflictError);
    expect(() => resubmit(approved, t0)).toThrow(ReviewConflictError);
    expect(fieldOf(() => parseInput(MerchantReview, { decision: 'reject' }))).toBe('reason');
    expect(fieldOf(() => parseInput(MerchantReview, { decision: 'maybe' }))).toBe('decision');
  });

  it('is due two working days after submission, skipping the weekend', () => {
    expect(reviewDueBy(t0).toISOString()).toBe('2026-11-24T02:00:00.000Z'); // Friday → Tuesday
    expect(reviewDueBy(new Date('2026-11-23T02:00:00Z')).toISOString()).toBe('2026-11-25T02:00:00.000Z');
  });
});

describe('product input', () => {
  it('accepts a complete product', () => {
    expect(parseInput(ProductInput, productBody).skus[0].priceFen).toBe(26800);
  });

  it.each([
    [{ categoryId: 'agri.caviar' }, 'categoryId', '未知的品类'],
    [{ categoryId: 'agri' }, 'categoryId', '请选择具体的中类'],
    [{ tier: '奢华' }, 'tier', '品质档次应为 premium / mid / mass'],
    [{ temperatureClass: 'warm' }, 'temperatureClass', '温区应为 frozen / chilled / ambient / hot'],
    [{ shelfLifeDays: -1 }, 'shelfLifeDays', '保质期（天）不能为负数'],
    [{ images: ['http://insecure.example/x.jpg'] }, 'images.0', '图片地址应为 https:// 链接'],
    [{ skus: [] }, 'skus', '至少需要一个 SKU'],
    [{ skus: [{ ...productBody.skus[0], priceFen: -100 }] }, 'skus.0.priceFen', '价格（分）不能为负数'],
    [{ skus: [{ ...productBody.skus[0], priceFen: 12.5 }] }, 'skus.0.priceFen', '价格（分）必须是整数'],
    [{ skus: [{ ...productBody.skus[0], stock: -1 }] }, 'skus.0.stock', '库存不能为负数'],
    [{ skus: [{ ...productBody.skus[0], stock: { $gt: 0 } }] }, 'skus.0.stock', '库存必须是数字'],
    [{ skus: [{ ...productBody.skus[0], gtin: '6901234567893' }] }, 'skus.0.gtin', 'GTIN 商品条码无效（位数或校验位错误）'],
    [{ skus: [productBody.skus[0], productBody.skus[0]] }, 'skus', 'SKU 编码不能重复'],
  ])('rejects %p naming %s', (patch, field, message) => {
    expect(() => parseInput(ProductInput, { ...productBody, ...patch })).toThrow(`${field}: ${message}`);
  });

  it('needs something to update on a SKU', () => {
    expect(parseInput(SkuUpdate, { stock: 5 })).toEqual({ stock: 5 });
    expect(fieldOf(() => parseInput(SkuUpdate, {}))).toBe('body');
    expect(fieldOf(() => parseInput(SkuUpdate, { stock: -5 }))).toBe('stock');
  });
});
