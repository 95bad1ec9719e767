import { Controller, Get, HttpCode, Inject, Param, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentUser, DomainError, Public, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { z } from 'zod';
import { StripeGateway } from '../../payments/stripe.gateway';
import { OrgMember } from '../access';
import { INSTITUTIONAL_CLOCK, type Clock } from '../institutional.tokens';
import { InvoicesService } from './invoices.service';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

/** Monthly invoices (Stripe Invoice, send_invoice, due in 30 days) and Stripe's `invoice.paid` webhook. */
@Controller('institutional')
export class InvoicesController {
  constructor(
    @Inject(InvoicesService) private readonly invoices: InvoicesService,
    @Inject(StripeGateway) private readonly gateway: StripeGateway,
    @Inject(INSTITUTIONAL_CLOCK) private readonly clock: Clock,
  ) {}

  @Post('organisations/:orgId/statements/:month/invoice')
  @Roles('operator')
  issue(@Param('orgId') orgId: string, @Param('month', new ZodPipe(Month)) month: string, @CurrentUser() user: AuthUser) {
    return this.invoices.issue(orgId, month, user, this.clock.now());
  }

  @Get('organisations/:orgId/invoices')
  @Roles('operator', 'buyer')
  @OrgMember('finance', 'buyer_admin')
  async list(@Param('orgId') orgId: string) {
    return { items: await this.invoices.list(orgId) };
  }

  /** Signed Stripe webhook (register it for `invoice.paid`); other event types are acknowledged. */
  @Post('invoices/webhooks/stripe')
  @Public()
  @HttpCode(200)
  async webhook(@Req() req: RawBodyRequest<Request>) {
    if (!req.rawBody) throw new DomainError('NO_BODY', 'empty webhook body', 400);
    const signature = req.headers['stripe-signature'];
    const event = this.gateway.verify(req.rawBody, typeof signature === 'string' ? signature : undefined);
    return { received: true, applied: await this.invoices.onStripeEvent(event) };
  }
}
