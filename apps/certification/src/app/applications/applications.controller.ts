import { ApiZodBody, ApiZodQuery } from '@techan/common';
import { Body, Controller, UseFilters, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { Actor } from '../../domain';
import { parseTarget, reviewChecklist, unwrap } from '../../domain';
import { CurrentActor } from '../http/current-actor';
import { DomainExceptionFilter } from '../http/domain-exception.filter';
import {
  ListQuery,
  RejectBody,
  RescheduleBody,
  ReviewResultBody,
  SampleMailedBody,
  SampleReceivedBody,
  SampleRequestBody,
  ScheduleReviewBody,
  SubmitApplicationBody,
  SupplementBody,
  WithdrawBody,
} from '../http/dto';
import { ApplicationsService } from './applications.service';

/** The application workflow: submission, evidence, samples, reviews and inspections, decision. */
@UseFilters(DomainExceptionFilter)
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @ApiZodBody(SubmitApplicationBody)
  submit(@CurrentActor() actor: Actor, @Body() body: unknown) {
    const { productId, target } = SubmitApplicationBody.parse(body);
    return this.applications.submit(actor, productId, unwrap(parseTarget(target)));
  }

  @Get()
  @ApiZodQuery(ListQuery)
  list(@CurrentActor() actor: Actor, @Query() query: unknown) {
    return this.applications.list(actor, ListQuery.parse(query));
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.applications.get(actor, id);
  }

  /** The review checklist derived from the application's star criteria (or regional standard). */
  @Get(':id/checklist')
  async checklist(@CurrentActor() actor: Actor, @Param('id') id: string) {
    const application = await this.applications.get(actor, id);
    return reviewChecklist(application.target);
  }

  @Post(':id/evidence-check')
  @HttpCode(200)
  checkEvidence(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.applications.act(actor, id, { type: 'check_evidence' });
  }

  @Post(':id/supplement')
  @HttpCode(200)
  @ApiZodBody(SupplementBody)
  supplement(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.applications.act(actor, id, { type: 'supplement_evidence', ...SupplementBody.parse(body ?? {}) });
  }

  @Post(':id/sample/request')
  @HttpCode(200)
  @ApiZodBody(SampleRequestBody)
  requestSample(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.applications.act(actor, id, { type: 'request_sample', ...SampleRequestBody.parse(body) });
  }

  @Post(':id/sample/mailed')
  @HttpCode(200)
  @ApiZodBody(SampleMailedBody)
  sampleMailed(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.applications.act(actor, id, { type: 'mark_sample_mailed', ...SampleMailedBody.parse(body) });
  }

  @Post(':id/sample/received')
  @HttpCode(200)
  @ApiZodBody(SampleReceivedBody)
  sampleReceived(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.applications.act(actor, id, { type: 'receive_sample', ...SampleReceivedBody.parse(body) });
  }

  @Post(':id/review')
  @HttpCode(200)
  @ApiZodBody(ScheduleReviewBody)
  scheduleReview(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.applications.act(actor, id, { type: 'schedule_review', plan: ScheduleReviewBody.parse(body) });
  }

  @Post(':id/inspection/reschedule')
  @HttpCode(200)
  @ApiZodBody(RescheduleBody)
  reschedule(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.applications.act(actor, id, { type: 'reschedule_inspection', ...RescheduleBody.parse(body) });
  }

  @Post(':id/review/result')
  @HttpCode(200)
  @ApiZodBody(ReviewResultBody)
  reviewResult(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.applications.act(actor, id, { type: 'record_review', ...ReviewResultBody.parse(body) });
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiZodBody(RejectBody)
  reject(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.applications.act(actor, id, { type: 'reject', ...RejectBody.parse(body) });
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiZodBody(WithdrawBody)
  withdraw(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.applications.act(actor, id, { type: 'withdraw', ...WithdrawBody.parse(body ?? {}) });
  }
}
