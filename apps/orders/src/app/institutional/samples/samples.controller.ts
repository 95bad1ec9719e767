import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { CurrentUser, DomainError, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { z } from 'zod';
import { confirmationProblems, keepUntil, mayDiscard, sampleStatus } from '../../../domain/institutional/samples';
import { INST_SAMPLE, type SampleDoc } from '../../persistence/institutional.schemas';
import { InstitutionalAccess } from '../access';
import { rejectFields } from '../errors';
import { INSTITUTIONAL_CLOCK, type Clock } from '../institutional.tokens';
import { PageQuery } from '../pagination';

const SampleQuery = z.strictObject({ ...PageQuery, orgId: z.string().optional(), status: z.enum(['pending', 'overdue', 'kept', 'discarded']).optional() });
const ConfirmBody = z.strictObject({
  dishes: z.array(z.strictObject({ dish: z.string().min(1), grams: z.number().int().positive() })).min(1).max(12),
  storedAt: z.iso.datetime().optional(),
});

/** 留样 tasks: one per school/hospital meal batch; the site receiver confirms ≥ 125 g per dish kept ≥ 48 h. */
@Controller('institutional/samples')
export class SamplesController {
  constructor(
    @InjectModel(INST_SAMPLE) private readonly samples: Model<SampleDoc>,
    @Inject(InstitutionalAccess) private readonly access: InstitutionalAccess,
    @Inject(INSTITUTIONAL_CLOCK) private readonly clock: Clock,
  ) {}

  private view(s: SampleDoc, now: Date) {
    return { ...s, status: sampleStatus(s, now) };
  }

  @Get()
  @Roles('operator', 'buyer')
  async list(@Query(new ZodPipe(SampleQuery)) q: z.infer<typeof SampleQuery>, @CurrentUser() user: AuthUser) {
    const now = this.clock.now();
    const filter: Record<string, unknown> = this.access.scope(user, q.orgId);
    // Status is derived from times, so it maps onto a time filter (no timer has to flip "overdue").
    if (q.status === 'pending') Object.assign(filter, { confirmedAt: null, discardedAt: null, dueAt: { $gte: now } });
    if (q.status === 'overdue') Object.assign(filter, { confirmedAt: null, discardedAt: null, dueAt: { $lt: now } });
    if (q.status === 'kept') Object.assign(filter, { confirmedAt: { $ne: null }, discardedAt: null });
    if (q.status === 'discarded') Object.assign(filter, { discardedAt: { $ne: null } });
    const [items, total] = await Promise.all([
      this.samples.find(filter).sort({ dueAt: -1, _id: 1 }).skip((q.page - 1) * q.pageSize).limit(q.pageSize).lean<SampleDoc[]>().exec(),
      this.samples.countDocuments(filter).exec(),
    ]);
    return { items: items.map((s) => this.view(s, now)), page: q.page, pageSize: q.pageSize, total };
  }

  private async find(id: string, user: AuthUser): Promise<SampleDoc> {
    const s = await this.samples.findById(id).lean<SampleDoc>().exec();
    if (!s) throw new NotFoundException('留样任务不存在');
    return this.access.own(user, s, '留样任务', ['site_receiver', 'buyer_admin']);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles('operator', 'buyer')
  async confirm(@Param('id') id: string, @Body(new ZodPipe(ConfirmBody)) body: z.infer<typeof ConfirmBody>, @CurrentUser() user: AuthUser) {
    const s = await this.find(id, user);
    const problems = confirmationProblems(s.dishes, body.dishes);
    if (problems.length) rejectFields(422, problems);
    const now = this.clock.now();
    const storedAt = body.storedAt ? new Date(body.storedAt) : now;
    if (storedAt > now) rejectFields(422, [{ field: 'storedAt', message: '留样时间不能晚于现在' }]);
    const updated = await this.samples
      .findOneAndUpdate({ _id: id, confirmedAt: null }, { $set: { confirmedAt: now, confirmedBy: user.userId, kept: body.dishes, storedAt, keepUntil: keepUntil(storedAt) } }, { returnDocument: 'after' })
      .lean<SampleDoc>()
      .exec();
    if (!updated) throw new DomainError('ALREADY_CONFIRMED', '该留样已确认', 409);
    return this.view(updated, now);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @Roles('operator', 'buyer')
  async discard(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    const s = await this.find(id, user);
    const now = this.clock.now();
    if (!s.storedAt || !mayDiscard(s.storedAt, now)) throw new DomainError('KEEP_48H', '留样须保存至少 48 小时后才能处理', 409);
    const updated = await this.samples.findOneAndUpdate({ _id: id, discardedAt: null }, { $set: { discardedAt: now } }, { returnDocument: 'after' }).lean<SampleDoc>().exec();
    if (!updated) throw new DomainError('ALREADY_DISCARDED', '该留样已处理', 409);
    return this.view(updated, now);
  }
}
