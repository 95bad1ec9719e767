import { z } from 'zod';
import { isLocalDate } from '../../../domain/institutional/time';
import { PageQuery } from '../pagination';

const date = z.string().refine(isLocalDate, '日期格式应为 YYYY-MM-DD');

export const CallOffQuery = z.strictObject({
  ...PageQuery,
  orgId: z.string().optional(),
  siteId: z.string().optional(),
  contractId: z.string().optional(),
  channel: z.enum(['contract', 'hot_meal']).optional(),
  status: z.enum(['open', 'awaiting-approval', 'reserving', 'reserved', 'delivery-requested', 'delivered', 'rejected', 'cancelled']).optional(),
  from: date.optional(),
  to: date.optional(),
});
export type CallOffQuery = z.infer<typeof CallOffQuery>;

export const AmendBody = z.strictObject({
  lines: z.array(z.strictObject({ lineId: z.string().min(1), quantity: z.number().int().min(0) })).min(1).max(200),
});

export const GenerateBody = z.strictObject({ deliveryDate: date });
export const SubstituteDecisionBody = z.strictObject({ decision: z.enum(['approve', 'decline']) });
