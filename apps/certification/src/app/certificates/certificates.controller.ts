import { ApiZodBody, ApiZodQuery } from '@techan/common';
import { Body, Controller, UseFilters, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../../domain';
import { badgeSvg } from '../../domain';
import { CurrentActor } from '../http/current-actor';
import { DomainExceptionFilter } from '../http/domain-exception.filter';
import { AnnualInspectionBody, ListQuery, RedWarningBody, RetestBody, RevokeBody, SuspendBody, YellowWarningBody } from '../http/dto';
import { CertificatesService } from './certificates.service';

/** Certificates: reading, annual inspections, warnings, re-tests, revocation, badge download. */
@UseFilters(DomainExceptionFilter)
@Controller('certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get()
  @ApiZodQuery(ListQuery)
  list(@CurrentActor() actor: Actor, @Query() query: unknown) {
    return this.certificates.list(actor, ListQuery.parse(query));
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.certificates.get(actor, id);
  }

  @Post(':id/annual-inspections')
  @HttpCode(200)
  @ApiZodBody(AnnualInspectionBody)
  annualInspection(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.certificates.command(actor, id, { type: 'record_annual_inspection', ...AnnualInspectionBody.parse(body) });
  }

  @Post(':id/warnings/red')
  @HttpCode(200)
  @ApiZodBody(RedWarningBody)
  redWarning(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.certificates.command(actor, id, { type: 'raise_quality_risk', ...RedWarningBody.parse(body) });
  }

  /** A yellow warning with a rectification deadline: still sellable; suspended if not rectified by then. */
  @Post(':id/warnings/yellow')
  @HttpCode(200)
  @ApiZodBody(YellowWarningBody)
  yellowWarning(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.certificates.command(actor, id, { type: 'raise_yellow_warning', ...YellowWarningBody.parse(body) });
  }

  @Post(':id/suspension')
  @HttpCode(200)
  @ApiZodBody(SuspendBody)
  suspend(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.certificates.command(actor, id, { type: 'suspend', ...SuspendBody.parse(body) });
  }

  @Post(':id/retests')
  @HttpCode(200)
  @ApiZodBody(RetestBody)
  retest(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.certificates.command(actor, id, { type: 'record_retest', ...RetestBody.parse(body) });
  }

  @Post(':id/revocation')
  @HttpCode(200)
  @ApiZodBody(RevokeBody)
  revoke(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.certificates.command(actor, id, { type: 'revoke', ...RevokeBody.parse(body) });
  }

  @Get(':id/badge.svg')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  async badge(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() response: Response) {
    const certificate = await this.certificates.get(actor, id);
    response
      .setHeader('Content-Disposition', `attachment; filename="badge-${certificate.number ?? certificate.id}.svg"`)
      .send(badgeSvg({ mark: certificate.mark, level: certificate.level, number: certificate.number, validUntil: certificate.validUntil }));
  }
}
