import { z } from 'zod';
import { CONTRACT_COMMANDS } from '../../../domain/institutional/contract-state';
import { isLocalDate } from '../../../domain/institutional/time';
import { PageQuery } from '../pagination';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');
const date = z.string().refine(isLocalDate, '日期格式应为 YYYY-MM-DD');
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号只能包含字母、数字、_ 和 -');

export const ContractLineBody = z.strictObject({
  lineId: id.optional(),
  productId: z.string().min(1).max(100),
  skuId: z.string().min(1).max(100),
  unitPriceFen: z.number().int().positive(),
  minQuantity: z.number().int().min(1),
  maxQuantity: z.number().int().min(1).max(100_000),
});

export const ScheduleBody = z.strictObject({
  scheduleId: id.optional(),
  siteId: z.string().min(1),
  frequency: z.enum(['daily', 'weekly', 'monthly']),
  weekdays: z.array(z.number().int().min(1).max(7)).max(7).default([]),
  dayOfMonth: z.number().int().min(1).max(28).optional(),
  window: z.strictObject({ from: time, until: time }),
  cutoff: z.strictObject({ daysBefore: z.number().int().min(0).max(14), time }).default({ daysBefore: 1, time: '16:00' }),
  quantities: z.array(z.strictObject({ lineId: id, quantity: z.number().int().positive() })).default([]),
});

export const CreateContractBody = z
  .strictObject({
    orgId: z.string().min(1),
    number: z.string().regex(/^[A-Za-z0-9-]{3,40}$/, '合同编号 3-40 位字母、数字或 -'),
    titleZh: z.string().min(2).max(100),
    validFrom: date,
    validUntil: date,
    lines: z.array(ContractLineBody).min(1).max(200),
    monthlyBudgetFen: z.number().int().positive().optional(),
    substitutionPolicy: z.enum(['auto', 'approve', 'none']).default('approve'),
    hotMealCutoff: time.optional(),
    schedules: z.array(ScheduleBody).max(100).default([]),
  })
  .superRefine((b, ctx) => {
    if (b.validFrom > b.validUntil) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: '有效期结束不能早于开始' });
    b.lines.forEach((l, i) => {
      if (l.minQuantity > l.maxQuantity) ctx.addIssue({ code: 'custom', path: ['lines', i, 'maxQuantity'], message: '最大数量不能小于最小数量' });
    });
  });
export type CreateContractBody = z.infer<typeof CreateContractBody>;

export const TransitionBody = z.strictObject({ note: z.string().max(500).optional() });
export const TransitionParam = z.enum(CONTRACT_COMMANDS);

export const ContractListQuery = z.strictObject({
  ...PageQuery,
  orgId: z.string().optional(),
  status: z.enum(['draft', 'active', 'suspended', 'ended']).optional(),
});
