import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { z } from 'zod';
import { Page, ReadingsBody, ReadingsQuery } from '../dto';
import { TelemetryService } from './telemetry.service';

const ExcursionsQuery = z.strictObject({ depotId: z.string().max(100).optional(), status: z.enum(['ongoing', 'ended']).optional(), ...Page });

/**
 * Telemetry gateways post with a token of the `dispatcher` role whose user is staff of the vehicles'
 * depot (a device of another depot is refused like an unknown one).
 */
@Controller()
@Roles('dispatcher', 'operator')
export class TelemetryController {
  constructor(private readonly telemetry: TelemetryService) {}

  /** 200 with a per-reading report; 400 (same report) when not a single reading could be accepted. */
  @Post('telemetry/readings')
  @HttpCode(200)
  async ingest(@CurrentUser() user: AuthUser, @Body(new ZodPipe(ReadingsBody)) body: z.infer<typeof ReadingsBody>) {
    const report = await this.telemetry.ingest(user, body.readings);
    if (report.accepted + report.duplicates === 0) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `全部 ${report.refused.length} 条读数被拒绝`, ...report });
    }
    return report;
  }

  @Get('excursions')
  excursions(@CurrentUser() user: AuthUser, @Query(new ZodPipe(ExcursionsQuery)) q: z.infer<typeof ExcursionsQuery>) {
    return this.telemetry.excursions(user, q);
  }

  @Get('depots/:depotId/temperatures')
  depotTemperatures(@CurrentUser() user: AuthUser, @Param('depotId') depotId: string) {
    return this.telemetry.depotTemperatures(user, depotId);
  }

  @Get('vehicles/:vehicleId/temperatures')
  series(@CurrentUser() user: AuthUser, @Param('vehicleId') vehicleId: string, @Query(new ZodPipe(ReadingsQuery)) q: z.infer<typeof ReadingsQuery>) {
    return this.telemetry.series(user, vehicleId, q);
  }
}
