import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CurrentUser, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { OrgMember } from '../access';
import { INSTITUTIONAL_CLOCK, type Clock } from '../institutional.tokens';
import { CookedBody, HotMealOrderBody } from './hot-meals.dto';
import { HotMealsService } from './hot-meals.service';

/** 优餐: lunch orders (listed with the call-offs, channel hot_meal) and the kitchen's cooking record. */
@Controller('institutional')
export class HotMealsController {
  constructor(
    @Inject(HotMealsService) private readonly service: HotMealsService,
    @Inject(INSTITUTIONAL_CLOCK) private readonly clock: Clock,
  ) {}

  @Post('organisations/:orgId/hot-meals')
  @Roles('operator', 'buyer')
  @OrgMember('orderer', 'buyer_admin')
  order(@Param('orgId') orgId: string, @Body(new ZodPipe(HotMealOrderBody)) body: HotMealOrderBody, @CurrentUser() user: AuthUser) {
    return this.service.order(orgId, body, user, this.clock.now());
  }

  @Post('hot-meals/:id/cooked')
  @HttpCode(200)
  @Roles('operator', 'merchant')
  cooked(@Param('id') id: string, @Body(new ZodPipe(CookedBody)) body: CookedBody, @CurrentUser() user: AuthUser) {
    return this.service.cooked(id, body, user, this.clock.now());
  }
}
