import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { CASE_KIND_ZH, CASE_KINDS, CASE_STATUS_ZH, CASE_STATUSES, COMPLAINT_KINDS, RETURN_REASON_ZH, RETURN_REASONS } from '../../domain/after-sales';
import type { AfterSalesCaseDoc } from '../persistence/after-sales.schema';
import { AfterSalesService } from './after-sales.service';

const Photo = z.strictObject({
  name: z.string().min(1).max(200),
  contentType: z.enum(['image/jpeg', 'image/png', 'image/webp', 'image/heic']),
  sizeBytes: z.number().int().positive().max(20 * 1024 * 1024),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
const OpenCase = z
  .strictObject({
    orderId: z.string().min(1).max(100),
    kind: z.enum(CASE_KINDS),
    reason: z.enum(RETURN_REASONS),
    descriptionZh: z.string().trim().min(2).max(2000),
    lines: z.array(z.strictObject({ skuId: z.string().min(1).max(100), quantity: z.number().int().min(1).max(99) })).min(1).max(20),
    photos: z.array(Photo).max(9).default([]),
    complaintKind: z.enum(COMPLAINT_KINDS).optional(),
    /** A partial refund asked for (fen); at most the value of the lines. */
    requestedFen: z.number().int().positive().optional(),
  })
  .refine((b) => b.kind !== 'fake_claim' || b.photos.length > 0, { message: '假一赔廿索赔须附照片', path: ['photos'] });
const Decision = z.strictObject({ approve: z.boolean(), noteZh: z.string().trim().min(2).max(1000), refundFen: z.number().int().positive().optional() });
const ListQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
  status: z.enum(CASE_STATUSES).optional(),
});
const CaseId = z.string().regex(/^as-[a-z0-9-]{1,60}$/, 'not an after-sales case id');

function view(c: AfterSalesCaseDoc) {
  return {
    ...c,
    caseId: c._id,
    kindZh: CASE_KIND_ZH[c.kind],
    statusZh: CASE_STATUS_ZH[c.status],
    reasonZh: RETURN_REASON_ZH[c.reason as keyof typeof RETURN_REASON_ZH] ?? c.reason,
  };
}

/** 售后与消费维权: returns/exchanges, complaints and 假一赔廿 claims. */
@Controller('after-sales')
export class AfterSalesController {
  constructor(@Inject(AfterSalesService) private readonly service: AfterSalesService) {}

  @Post()
  @Roles('shopper')
  async open(@CurrentUser() user: AuthUser, @Body(new ZodPipe(OpenCase)) body: z.infer<typeof OpenCase>) {
    return view(await this.service.open(user, body));
  }

  @Get()
  @Roles('shopper', 'merchant', 'operator')
  async list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(ListQuery)) q: z.infer<typeof ListQuery>) {
    const page = await this.service.list(user, q.page, q.pageSize, q.status);
    return { ...page, items: page.items.map(view) };
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthUser, @Param('id', new ZodPipe(CaseId)) id: string) {
    return view(await this.service.get(user, id));
  }

  @Post(':id/decision')
  @Roles('merchant', 'operator')
  @HttpCode(200)
  async decide(@CurrentUser() user: AuthUser, @Param('id', new ZodPipe(CaseId)) id: string, @Body(new ZodPipe(Decision)) body: z.infer<typeof Decision>) {
    return view(await this.service.decide(user, id, body));
  }
}
