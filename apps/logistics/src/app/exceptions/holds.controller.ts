import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles, ZodPipe, type AuthUser } from '@techan/common';
import type { z } from 'zod';
import { DecisionBody, HoldsQuery } from '../dto';
import { HoldsService } from './holds.service';

/** The excursion and recall queues (holds) and QA decisions on them. */
@Controller('holds')
@Roles('dispatcher', 'operator')
export class HoldsController {
  constructor(private readonly holds: HoldsService) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(HoldsQuery)) q: z.infer<typeof HoldsQuery>) {
    return this.holds.list(user, q);
  }

  @Post(':holdId/decision')
  decide(@CurrentUser() user: AuthUser, @Param('holdId') holdId: string, @Body(new ZodPipe(DecisionBody)) body: z.infer<typeof DecisionBody>) {
    return this.holds.decide(user, holdId, body.decision, body.reason, body.remedy);
  }
}
