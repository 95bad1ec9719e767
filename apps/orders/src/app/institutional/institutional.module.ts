import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SERVICE_CONFIG, type ServiceConfig } from '@techan/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { INSTITUTIONAL_MODELS } from '../persistence/institutional.schemas';
import { InstitutionalAccess } from './access';
import { CallOffJobs } from './call-offs/call-off.jobs';
import { CallOffSaga } from './call-offs/call-off-saga.service';
import { CallOffsConsumer } from './call-offs/call-offs.consumer';
import { CallOffsController } from './call-offs/call-offs.controller';
import { CallOffsService } from './call-offs/call-offs.service';
import { ContractsController } from './contracts/contracts.controller';
import { ContractsService } from './contracts/contracts.service';
import { HotMealsController } from './hot-meals/hot-meals.controller';
import { HotMealsService } from './hot-meals/hot-meals.service';
import { INSTITUTIONAL_CLOCK, INSTITUTIONAL_SETTINGS, systemClock, type InstitutionalSettings } from './institutional.tokens';
import { OrganisationsController } from './organisations/organisations.controller';
import { OrganisationsService } from './organisations/organisations.service';
import { SamplesController } from './samples/samples.controller';
import { StatementsController } from './statements/statements.controller';
import { StatementsService } from './statements/statements.service';
import { InvoicesController } from './statements/invoices.controller';
import { InvoicesService } from './statements/invoices.service';

/** Institutional buyers (机团客户): organisations, contracts, call-offs, hot meals, 留样, statements. */
@Module({
  imports: [MongooseModule.forFeature(INSTITUTIONAL_MODELS), CatalogueModule],
  controllers: [OrganisationsController, ContractsController, CallOffsController, HotMealsController, SamplesController, StatementsController, InvoicesController, CallOffsConsumer],
  providers: [
    { provide: INSTITUTIONAL_CLOCK, useValue: systemClock },
    {
      provide: INSTITUTIONAL_SETTINGS,
      inject: [SERVICE_CONFIG],
      useFactory: (config: ServiceConfig): InstitutionalSettings => ({
        jobs: config['INSTITUTIONAL_JOBS'] !== 'off',
        horizonDays: Number(config['INSTITUTIONAL_HORIZON_DAYS'] ?? 3),
        generateEveryMs: 15 * 60_000,
        cutoffSweepEveryMs: 60_000,
        bullPrefix: `${config.EVENT_PREFIX}-bull`,
        redisUrl: config.REDIS_URL,
      }),
    },
    InstitutionalAccess,
    OrganisationsService,
    ContractsService,
    CallOffsService,
    CallOffSaga,
    CallOffJobs,
    HotMealsService,
    StatementsService,
    InvoicesService,
  ],
  exports: [OrganisationsService, ContractsService, CallOffsService, CallOffJobs, HotMealsService, CallOffSaga],
})
export class InstitutionalModule {}
