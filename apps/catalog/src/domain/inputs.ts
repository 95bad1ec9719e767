import { z } from 'zod';
import { parseCreditCode } from './credit-code';
import { InvalidInputError } from './errors';
import { isValidGtin } from './gtin';
import { MAX_PRICE_FEN } from './money';
import { zodToInvalidInput } from './query';
import {
  isLeafCategory,
  findCategory,
  NET_CONTENT_UNITS,
  ORIGIN_DEGREES,
  QUALITY_TIERS,
  SALES_UNITS,
  TEMPERATURE_CLASSES,
  TOWN_CODES,
} from './taxonomy';

/**
 * Bodies of the write endpoints. Strict objects (unknown keys refused) with scalar fields only where
 * scalars are expected, so no user value can become a MongoDB operator; messages in zh-CN.
 */

const text = (max: number, label: string) =>
  z
    .string({ error: `${label}必须是文本` })
    .trim()
    .min(1, `${label}不能为空`)
    .max(max, `${label}最多 ${max} 个字`);

export const MerchantRegistration = z.strictObject({
  name: text(60, '企业名称'),
  creditCode: z.string({ error: '统一社会信用代码必须是文本' }).transform((v, ctx) => {
    const r = parseCreditCode(v);
    if (!r.valid) {
      ctx.addIssue({ code: 'custom', message: r.error });
      return z.NEVER;
    }
    return r.info.code;
  }),
  /** Reference to the uploaded business licence (营业执照) in document storage. */
  licenceDocument: z
    .string({ error: '营业执照文件引用必须是文本' })
    .regex(/^(https:\/\/|doc:)[\w\-./:%?=&]{1,300}$/, '营业执照文件引用应为 https:// 链接或 doc: 引用'),
  town: z.enum(TOWN_CODES, { error: '未知的镇（街）' }),
  address: text(120, '地址').optional(),
  contact: z.strictObject({
    name: text(20, '联系人'),
    phone: z.string({ error: '联系电话必须是文本' }).regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, '联系电话格式不正确'),
  }),
});
export type MerchantRegistration = z.infer<typeof MerchantRegistration>;

export const MerchantReview = z.discriminatedUnion(
  'decision',
  [
    z.strictObject({ decision: z.literal('approve') }),
    z.strictObject({ decision: z.literal('reject'), reason: text(200, '驳回理由') }),
  ],
  { error: '审核结论应为 approve 或 reject' },
);
export type MerchantReview = z.infer<typeof MerchantReview>;

const nonNegativeInt = (label: string, max: number) =>
  z
    .number({ error: `${label}必须是数字` })
    .int(`${label}必须是整数`)
    .min(0, `${label}不能为负数`)
    .max(max, `${label}超出上限`);

export const SkuInput = z.strictObject({
  /** Merchant's own code for the SKU, unique within the product. */
  code: z.string({ error: 'SKU 编码必须是文本' }).regex(/^[A-Za-z0-9_-]{1,32}$/, 'SKU 编码只能包含字母、数字、- 和 _'),
  specZh: text(40, '规格'),
  unit: z.enum(SALES_UNITS, { error: '未知的销售单位' }),
  netContent: z.strictObject({
    value: z.number({ error: '净含量必须是数字' }).positive('净含量必须大于 0').max(1_000_000, '净含量超出上限'),
    unit: z.enum(NET_CONTENT_UNITS, { error: '净含量单位应为 g / ml / piece' }),
  }),
  priceFen: nonNegativeInt('价格（分）', MAX_PRICE_FEN).refine((n) => n > 0, '价格必须大于 0'),
  stock: nonNegativeInt('库存', 10_000_000),
  gtin: z
    .string({ error: 'GTIN 必须是文本' })
    .refine(isValidGtin, 'GTIN 商品条码无效（位数或校验位错误）')
    .optional(),
});
export type SkuInput = z.infer<typeof SkuInput>;

export const ProductInput = z.strictObject({
  nameZh: text(40, '产品名称'),
  descriptionZh: text(2000, '产品描述'),
  categoryId: z.string({ error: '品类必须是文本' }).refine((id) => findCategory(id) !== undefined, '未知的品类').refine(isLeafCategory, '请选择具体的中类'),
  town: z.enum(TOWN_CODES, { error: '未知的镇（街）' }),
  tier: z.enum(QUALITY_TIERS, { error: '品质档次应为 premium / mid / mass' }),
  originDegree: z.enum(ORIGIN_DEGREES, { error: '原产程度应为 fully_local / partly_local / brand_licensed' }),
  temperatureClass: z.enum(TEMPERATURE_CLASSES, { error: '温区应为 frozen / chilled / ambient / hot' }),
  /** Days; hot-held meals are measured in hours, so 0 means "same day". */
  shelfLifeDays: nonNegativeInt('保质期（天）', 3650),
  images: z
    .array(z.string({ error: '图片地址必须是文本' }).regex(/^https:\/\/[\w\-./:%?=&~]{1,300}$/, '图片地址应为 https:// 链接'), {
      error: '图片必须是地址列表',
    })
    .max(12, '最多 12 张图片')
    .default([]),
  skus: z
    .array(SkuInput, { error: 'SKU 必须是列表' })
    .min(1, '至少需要一个 SKU')
    .max(20, '最多 20 个 SKU')
    .refine((skus) => new Set(skus.map((s) => s.code)).size === skus.length, 'SKU 编码不能重复'),
});
export type ProductInput = z.infer<typeof ProductInput>;

/** Partial update of a SKU's price and stock by its merchant. */
export const SkuUpdate = z
  .strictObject({
    priceFen: nonNegativeInt('价格（分）', MAX_PRICE_FEN).refine((n) => n > 0, '价格必须大于 0').optional(),
    stock: nonNegativeInt('库存', 10_000_000).optional(),
  })
  .refine((v) => v.priceFen !== undefined || v.stock !== undefined, '需要提供 priceFen 或 stock');

export function parseInput<T>(schema: z.ZodType<T>, body: unknown, fallbackField = 'body'): T {
  const r = schema.safeParse(body);
  if (!r.success) throw zodToInvalidInput(r.error, fallbackField);
  return r.data;
}

export { InvalidInputError };
