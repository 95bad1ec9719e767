import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles, ZodPipe, type AuthUser } from '@techan/common';
import type { z } from 'zod';
import { DeliverBody, ShipmentsQuery } from '../dto';
import { ShipmentsService } from './shipments.service';

@Controller()
@Roles('dispatcher', 'operator')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  /** The day's shipments of a depot (the console's first table). */
  @Get('depots/:depotId/shipments')
  listDay(@CurrentUser() user: AuthUser, @Param('depotId') depotId: string, @Query(new ZodPipe(ShipmentsQuery)) q: z.infer<typeof ShipmentsQuery>) {
    return this.shipments.listDay(user, depotId, q);
  }

  @Get('shipments/:shipmentId')
  get(@CurrentUser() user: AuthUser, @Param('shipmentId') id: string) {
    return this.shipments.get(user, id);
  }

  @Post('shipments/:shipmentId/arrive')
  arrive(@CurrentUser() user: AuthUser, @Param('shipmentId') id: string) {
    return this.shipments.arrive(user, id);
  }

  /** Proof of delivery, by the driver (dispatcher role, staff of the depot) or a dispatcher. */
  @Post('shipments/:shipmentId/deliver')
  deliver(@CurrentUser() user: AuthUser, @Param('shipmentId') id: string, @Body(new ZodPipe(DeliverBody)) body: DeliverBody) {
    return this.shipments.deliver(user, id, body);
  }
}
