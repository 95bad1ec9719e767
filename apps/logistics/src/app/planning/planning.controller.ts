import { Body, Controller, Get, Param, Post, Query, Sse } from '@nestjs/common';
import { CurrentUser, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { z } from 'zod';
import { CreatePlanBody, FixedPrefixBody, LockBody, ReplanBody } from '../dto';
import { PlanningService } from './planning.service';

const DateQuery = z.strictObject({ date: z.iso.date() });

@Controller()
@Roles('dispatcher', 'operator')
export class PlanningController {
  constructor(private readonly planning: PlanningService) {}

  /** Starts a planning job for the depot's day (202-style: the plan comes back queued; poll or follow /progress). */
  @Post('depots/:depotId/plans')
  create(@CurrentUser() user: AuthUser, @Param('depotId') depotId: string, @Body(new ZodPipe(CreatePlanBody)) body: CreatePlanBody) {
    return this.planning.plan(user, depotId, body.date, body.timeLimitSeconds);
  }

  @Get('depots/:depotId/plans')
  list(@CurrentUser() user: AuthUser, @Param('depotId') depotId: string, @Query(new ZodPipe(DateQuery)) q: { date: string }) {
    return this.planning.list(user, depotId, q.date);
  }

  @Get('plans/:planId')
  get(@CurrentUser() user: AuthUser, @Param('planId') planId: string) {
    return this.planning.get(user, planId);
  }

  @Sse('plans/:planId/progress')
  progress(@CurrentUser() user: AuthUser, @Param('planId') planId: string) {
    return this.planning.progress(user, planId);
  }

  @Post('plans/:planId/cancel')
  cancel(@CurrentUser() user: AuthUser, @Param('planId') planId: string) {
    return this.planning.cancel(user, planId);
  }

  @Post('plans/:planId/locks')
  lock(@CurrentUser() user: AuthUser, @Param('planId') planId: string, @Body(new ZodPipe(LockBody)) body: z.infer<typeof LockBody>) {
    return this.planning.lock(user, planId, body.shipmentId, body.vehicleId);
  }

  @Post('plans/:planId/fixed-prefixes')
  fixPrefix(@CurrentUser() user: AuthUser, @Param('planId') planId: string, @Body(new ZodPipe(FixedPrefixBody)) body: z.infer<typeof FixedPrefixBody>) {
    return this.planning.fixPrefix(user, planId, body.vehicleId, body.shipmentIds);
  }

  @Post('plans/:planId/replan')
  replan(@CurrentUser() user: AuthUser, @Param('planId') planId: string, @Body(new ZodPipe(ReplanBody)) body: z.infer<typeof ReplanBody>) {
    return this.planning.replan(user, planId, body.timeLimitSeconds);
  }

  @Post('plans/:planId/publish')
  publish(@CurrentUser() user: AuthUser, @Param('planId') planId: string) {
    return this.planning.publish(user, planId);
  }

  @Get('plans/:planId/manifests')
  manifests(@CurrentUser() user: AuthUser, @Param('planId') planId: string) {
    return this.planning.manifests(user, planId);
  }

  @Post('plans/:planId/routes/:vehicleId/dispatch')
  dispatch(@CurrentUser() user: AuthUser, @Param('planId') planId: string, @Param('vehicleId') vehicleId: string) {
    return this.planning.dispatchRoute(user, planId, vehicleId);
  }
}
