import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { CurrentUser, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { AssignDriverBody, CreateDepotBody, CreateDriverBody, CreateVehicleBody } from '../dto';
import { FleetService } from './fleet.service';

@Controller()
export class FleetController {
  constructor(private readonly fleet: FleetService) {}

  @Post('depots')
  @Roles('operator')
  createDepot(@Body(new ZodPipe(CreateDepotBody)) body: CreateDepotBody) {
    return this.fleet.createDepot(body);
  }

  @Get('depots')
  @Roles('dispatcher', 'operator')
  listDepots(@CurrentUser() user: AuthUser) {
    return this.fleet.listDepots(user);
  }

  @Post('depots/:depotId/vehicles')
  @Roles('dispatcher', 'operator')
  createVehicle(@CurrentUser() user: AuthUser, @Param('depotId') depotId: string, @Body(new ZodPipe(CreateVehicleBody)) body: CreateVehicleBody) {
    return this.fleet.createVehicle(user, depotId, body);
  }

  @Get('depots/:depotId/vehicles')
  @Roles('dispatcher', 'operator')
  listVehicles(@CurrentUser() user: AuthUser, @Param('depotId') depotId: string) {
    return this.fleet.listVehicles(user, depotId);
  }

  @Post('depots/:depotId/drivers')
  @Roles('dispatcher', 'operator')
  createDriver(@CurrentUser() user: AuthUser, @Param('depotId') depotId: string, @Body(new ZodPipe(CreateDriverBody)) body: CreateDriverBody) {
    return this.fleet.createDriver(user, depotId, body);
  }

  @Get('depots/:depotId/drivers')
  @Roles('dispatcher', 'operator')
  listDrivers(@CurrentUser() user: AuthUser, @Param('depotId') depotId: string) {
    return this.fleet.listDrivers(user, depotId);
  }

  @Put('vehicles/:vehicleId/driver')
  @Roles('dispatcher', 'operator')
  assignDriver(@CurrentUser() user: AuthUser, @Param('vehicleId') vehicleId: string, @Body(new ZodPipe(AssignDriverBody)) body: { driverId: string | null }) {
    return this.fleet.assignDriver(user, vehicleId, body.driverId);
  }
}
