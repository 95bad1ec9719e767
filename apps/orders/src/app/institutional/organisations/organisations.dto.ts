import { z } from 'zod';
import { BUYER_ROLES, ORGANISATION_TYPES } from '../../../domain/institutional/organisation';
import { PageQuery } from '../pagination';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, '只能使用小写字母、数字和连字符（3-64位）');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');

export const PersonBody = z.strictObject({
  userId: z.string().min(1).max(100),
  name: z.string().min(1).max(50),
  roles: z.array(z.enum(BUYER_ROLES)).min(1),
});

export const CreateOrganisationBody = z.strictObject({
  /** Optional stable id (e.g. the id the sign-in puts in buyerOrgIds). */
  orgId: slug.optional(),
  name: z.string().min(2).max(100),
  type: z.enum(ORGANISATION_TYPES),
  creditCode: z.string().min(1).max(30),
  people: z.array(PersonBody).max(200).default([]),
});
export type CreateOrganisationBody = z.infer<typeof CreateOrganisationBody>;

export const SiteBody = z.strictObject({
  siteId: slug.optional(),
  name: z.string().min(1).max(100),
  address: z.strictObject({ text: z.string().min(4).max(200), lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
  contact: z.strictObject({ name: z.string().min(1).max(50), phone: z.string().regex(/^[0-9+\- ]{5,20}$/, '电话号码格式不正确') }),
  receivingWindows: z
    .array(z.strictObject({ weekday: z.number().int().min(1).max(7), from: time, until: time }))
    .max(14)
    .default([])
    .refine((ws) => ws.every((w) => w.from < w.until), { message: '收货时段的开始须早于结束' }),
});
export type SiteBody = z.infer<typeof SiteBody>;

export const ListQuery = z.strictObject({ ...PageQuery });
