import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { z } from 'zod';
import { InstitutionalAccess } from '../access';
import { INSTITUTIONAL_CLOCK, type Clock } from '../institutional.tokens';
import { AmendBody, CallOffQuery, GenerateBody, SubstituteDecisionBody } from './call-offs.dto';
import { CallOffJobs } from './call-off.jobs';
import { CallOffsService } from './call-offs.service';

/** The delivery calendar: call-offs (and hot-meal orders) of the caller's organisations. */
@Controller('institutional/call-offs')
export class CallOffsController {
  constructor(
    @Inject(CallOffsService) private readonly service: CallOffsService,
    @Inject(CallOffJobs) private readonly jobs: CallOffJobs,
    @Inject(InstitutionalAccess) private readonly access: InstitutionalAccess,
    @Inject(INSTITUTIONAL_CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('operator', 'buyer')
  list(@Query(new ZodPipe(CallOffQuery)) q: CallOffQuery, @CurrentUser() user: AuthUser) {
    const filter: Record<string, unknown> = this.access.scope(user, q.orgId);
    for (const k of ['siteId', 'contractId', 'channel', 'status'] as const) if (q[k]) filter[k] = q[k];
    if (q.from || q.to) filter['deliveryDate'] = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
    return this.service.list(filter, q.page, q.pageSize);
  }

  @Get(':id')
  @Roles('operator', 'buyer')
  async get(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.access.own(user, await this.service.get(id), '配送单');
  }

  @Patch(':id')
  @Roles('operator', 'buyer')
  async amend(@Param('id') id: string, @Body(new ZodPipe(AmendBody)) body: z.infer<typeof AmendBody>, @CurrentUser() user: AuthUser) {
    await this.access.own(user, await this.service.get(id), '配送单', ['orderer', 'buyer_admin']);
    return this.service.amend(id, body.lines, user, this.clock.now());
  }

  @Post(':id/lines/:lineId/substitute')
  @HttpCode(200)
  @Roles('operator', 'buyer')
  async substitute(@Param('id') id: string, @Param('lineId') lineId: string, @Body(new ZodPipe(SubstituteDecisionBody)) body: z.infer<typeof SubstituteDecisionBody>, @CurrentUser() user: AuthUser) {
    await this.access.own(user, await this.service.get(id), '配送单', ['buyer_admin']);
    return this.service.decideSubstitute(id, lineId, body.decision === 'approve', user, this.clock.now());
  }

  @Post(':id/approve-budget')
  @HttpCode(200)
  @Roles('operator', 'buyer')
  async approveBudget(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    await this.access.own(user, await this.service.get(id), '配送单', ['buyer_admin']);
    return this.service.approveBudget(id, user, this.clock.now());
  }

  /** Operator: queue generation for one date now (the schedulers also do it on their own). */
  @Post('generate')
  @HttpCode(202)
  @Roles('operator')
  async generate(@Body(new ZodPipe(GenerateBody)) body: z.infer<typeof GenerateBody>) {
    return { jobId: await this.jobs.enqueueGeneration(body.deliveryDate) };
  }

  /** Operator: run the cut-off sweep now. */
  @Post('close-due')
  @HttpCode(200)
  @Roles('operator')
  async closeDue() {
    return { closed: await this.service.closeDue(this.clock.now()) };
  }
}
