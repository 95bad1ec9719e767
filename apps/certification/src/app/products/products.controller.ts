import { ApiZodBody, ApiZodQuery } from '@techan/common';
import { Body, Controller, ForbiddenException, UseFilters, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, Put, Query, Res, UnprocessableEntityException } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../../domain';
import { digitalLink, qrPng, qrSvg, unwrap } from '../../domain';
import { CertificatesService } from '../certificates/certificates.service';
import { CurrentActor } from '../http/current-actor';
import { DomainExceptionFilter } from '../http/domain-exception.filter';
import {
  EvidenceBody,
  ExternalCertificateBody,
  GiAuthorisationBody,
  GiRegistrationBody,
  IncidentBody,
  IncidentOutcomeBody,
  InsuranceBody,
  ProductBody,
  QrQuery,
  RedWarningBody,
  TraceCodeBody,
  TraceabilityBody,
} from '../http/dto';
import { Stores } from '../persistence/stores';
import { CERT_CONFIG } from '../tokens';
import type { CertificationSettings } from '../tokens';
import { ProductsService } from './products.service';

const QR_CACHE_LIMIT = 2_000;

/** Products, their recorded certificates, red warnings, trace codes and QR downloads. */
@UseFilters(DomainExceptionFilter)
@Controller('products')
export class ProductsController {
  /** PNG encoding costs ~0.2 s of CPU; a label's QR never changes, so keep the last ones. */
  private readonly qrCache = new Map<string, Buffer | string>();

  constructor(
    private readonly products: ProductsService,
    private readonly certificates: CertificatesService,
    private readonly stores: Stores,
    @Inject(CERT_CONFIG) private readonly settings: CertificationSettings,
  ) {}

  @Put(':productId')
  @ApiZodBody(ProductBody)
  register(@CurrentActor() actor: Actor, @Param('productId') productId: string, @Body() body: unknown) {
    return this.products.register(actor, productId, ProductBody.parse(body));
  }

  @Get(':productId')
  get(@CurrentActor() actor: Actor, @Param('productId') productId: string) {
    return this.products.get(actor, productId);
  }

  @Post(':productId/external-certificates')
  @ApiZodBody(ExternalCertificateBody)
  recordExternal(@CurrentActor() actor: Actor, @Param('productId') productId: string, @Body() body: unknown) {
    return this.products.recordExternal(actor, productId, ExternalCertificateBody.parse(body));
  }

  @Post(':productId/gi-authorisations')
  @ApiZodBody(GiAuthorisationBody)
  recordGi(@CurrentActor() actor: Actor, @Param('productId') productId: string, @Body() body: unknown) {
    return this.products.recordGiAuthorisation(actor, productId, GiAuthorisationBody.parse(body));
  }

  /** Red warning on the product: every live certificate, one status event. */
  @Post(':productId/warnings/red')
  @HttpCode(200)
  @ApiZodBody(RedWarningBody)
  redWarning(@CurrentActor() actor: Actor, @Param('productId') productId: string, @Body() body: unknown) {
    const warning = RedWarningBody.parse(body);
    if (actor.role !== 'certifier') throw new ForbiddenException('红色警示由评定中心发出');
    return this.certificates.raiseRedWarningForProduct(actor, productId, warning);
  }

  /** A trace code for a lot of a certified product (the product-level code is issued at approval). */
  @Post(':productId/trace-codes')
  @ApiZodBody(TraceCodeBody)
  async traceCode(@CurrentActor() actor: Actor, @Param('productId') productId: string, @Body() body: unknown) {
    const { lot } = TraceCodeBody.parse(body ?? {});
    const product = await this.products.get(actor, productId);
    const issued = await this.stores.certificates.find({ productId, origin: 'application', status: { $nin: ['revoked', 'expired'] } }, { limit: 1 });
    if (issued.length === 0) throw new UnprocessableEntityException('产品通过评定后才能生成追溯码');
    const trace = await this.certificates.ensureTraceCode(productId, product.merchantId, product.gtin, lot);
    return { ...trace, link: unwrap(digitalLink(this.settings.verifyBaseUrl, { traceCode: trace.code, gtin: product.gtin, lot: trace.lot })) };
  }

  @Get(':productId/qr.png')
  @ApiZodQuery(QrQuery)
  qrPngDownload(@CurrentActor() actor: Actor, @Param('productId') productId: string, @Query() query: unknown, @Res() response: Response) {
    return this.sendQr(actor, productId, query, 'png', response);
  }

  @Get(':productId/qr.svg')
  @ApiZodQuery(QrQuery)
  qrSvgDownload(@CurrentActor() actor: Actor, @Param('productId') productId: string, @Query() query: unknown, @Res() response: Response) {
    return this.sendQr(actor, productId, query, 'svg', response);
  }

  private async sendQr(actor: Actor, productId: string, query: unknown, format: 'png' | 'svg', response: Response) {
    const { lot, width } = QrQuery.parse(query);
    const product = await this.products.get(actor, productId);
    const trace = await this.stores.traceCodeFor(productId, lot);
    if (!trace) throw new NotFoundException(lot ? `批次 ${lot} 尚未生成追溯码` : '产品尚未通过评定，没有追溯码');
    const link = unwrap(digitalLink(this.settings.verifyBaseUrl, { traceCode: trace.code, gtin: product.gtin, lot: trace.lot }));
    const key = `${format}:${width ?? 512}:${link}`;
    let image = this.qrCache.get(key);
    if (!image) {
      image = format === 'png' ? await qrPng(link, width) : await qrSvg(link, width);
      if (this.qrCache.size >= QR_CACHE_LIMIT) this.qrCache.clear();
      this.qrCache.set(key, image);
    }
    response
      .setHeader('Content-Type', format === 'png' ? 'image/png' : 'image/svg+xml; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="qr-${productId}${lot ? `-${lot}` : ''}.${format}"`)
      .setHeader('X-Trace-Link', encodeURI(link))
      .send(image);
  }
}

/** Verified GI registrations: certifiers record them; everyone signed in may read them. */
@UseFilters(DomainExceptionFilter)
@Controller('gi-registrations')
export class GiRegistrationsController {
  constructor(private readonly products: ProductsService) {}

  /** Any signed-in user (the global guard has authenticated the request). */
  @Get()
  list() {
    return this.products.listGi();
  }

  @Post()
  @ApiZodBody(GiRegistrationBody)
  register(@CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.products.registerGi(actor, GiRegistrationBody.parse(body));
  }
}

/** The enterprise's eligibility records. */
@UseFilters(DomainExceptionFilter)
@Controller('merchants/:merchantId/records')
export class MerchantRecordsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  get(@CurrentActor() actor: Actor, @Param('merchantId') merchantId: string) {
    return this.products.records(actor, merchantId);
  }

  @Post('evidence')
  @ApiZodBody(EvidenceBody)
  evidence(@CurrentActor() actor: Actor, @Param('merchantId') merchantId: string, @Body() body: unknown) {
    return this.products.addEvidence(actor, merchantId, EvidenceBody.parse(body));
  }

  @Post('insurance')
  @ApiZodBody(InsuranceBody)
  insurance(@CurrentActor() actor: Actor, @Param('merchantId') merchantId: string, @Body() body: unknown) {
    return this.products.addInsurance(actor, merchantId, InsuranceBody.parse(body));
  }

  @Put('traceability')
  @ApiZodBody(TraceabilityBody)
  traceability(@CurrentActor() actor: Actor, @Param('merchantId') merchantId: string, @Body() body: unknown) {
    return this.products.setTraceability(actor, merchantId, TraceabilityBody.parse(body).traceability);
  }

  @Post('incidents')
  @ApiZodBody(IncidentBody)
  incident(@CurrentActor() actor: Actor, @Param('merchantId') merchantId: string, @Body() body: unknown) {
    return this.products.addIncident(actor, merchantId, IncidentBody.parse(body));
  }

  @Patch('incidents/:incidentId')
  @ApiZodBody(IncidentOutcomeBody)
  incidentOutcome(@CurrentActor() actor: Actor, @Param('merchantId') merchantId: string, @Param('incidentId') incidentId: string, @Body() body: unknown) {
    return this.products.setIncidentOutcome(actor, merchantId, incidentId, IncidentOutcomeBody.parse(body).outcome);
  }
}

