import { z } from 'zod';
import { isLocalDate } from '../../../domain/institutional/time';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');

export const HotMealOrderBody = z
  .strictObject({
    contractId: z.string().min(1),
    siteId: z.string().min(1),
    serviceDate: z.string().refine(isLocalDate, '日期格式应为 YYYY-MM-DD'),
    window: z.strictObject({ from: time, until: time }).default({ from: '11:30', until: '12:15' }),
    lines: z.array(z.strictObject({ lineId: z.string().min(1), quantity: z.number().int().positive() })).min(1).max(20),
  })
  .refine((b) => b.window.from < b.window.until, { path: ['window'], message: '送达时段的开始须早于结束' });
export type HotMealOrderBody = z.infer<typeof HotMealOrderBody>;

export const CookedBody = z.strictObject({
  /** Cooking-complete time of the batch; defaults to now. */
  cookedAt: z.iso.datetime().optional(),
  dishes: z.array(z.string().min(1).max(40)).min(1).max(12),
});
export type CookedBody = z.infer<typeof CookedBody>;
