import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CoreModule } from '@techan/common';
import { LOGISTICS_SERVICE } from '../service';
import { CertificationEventsConsumer } from './exceptions/certification-events.consumer';
import { HoldsController } from './exceptions/holds.controller';
import { HoldsService } from './exceptions/holds.service';
import { RecallService } from './exceptions/recall.service';
import { FleetController } from './fleet/fleet.controller';
import { FleetService } from './fleet/fleet.service';
import { SCHEMAS } from './persistence/schemas';
import { Stores } from './persistence/stores';
import { PlanRunner } from './planning/plan-runner';
import { PlanningController } from './planning/planning.controller';
import { PlanningQueue } from './planning/planning.queue';
import { PlanningService } from './planning/planning.service';
import { DeliveryEventsConsumer } from './shipments/delivery-events.consumer';
import { ShipmentsController } from './shipments/shipments.controller';
import { ShipmentsService } from './shipments/shipments.service';
import { TelemetryController } from './telemetry/telemetry.controller';
import { TelemetryService } from './telemetry/telemetry.service';

/** The logistics service: fleet, shipments, planning jobs, telemetry and excursions, recalls, proof of delivery. */
@Module({
  imports: [CoreModule.forRoot(LOGISTICS_SERVICE), MongooseModule.forFeature(SCHEMAS)],
  controllers: [FleetController, ShipmentsController, PlanningController, TelemetryController, HoldsController, DeliveryEventsConsumer, CertificationEventsConsumer],
  providers: [Stores, FleetService, HoldsService, RecallService, ShipmentsService, PlanRunner, PlanningQueue, PlanningService, TelemetryService],
})
export class AppModule {}
