import { Controller, HttpCode, Inject, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, Public } from '@techan/common';
import { PaymentEvents } from './payment-events.service';
import { StripeGateway } from './stripe.gateway';

/**
 * Stripe's webhook endpoint. The signature is checked over the raw body (bad, missing or too old →
 * 400 and nothing changes); the event is stored once per id and the reply goes out at once, the
 * work after it (Stripe gives up on slow endpoints and retries).
 */
@Controller('payments/webhooks')
export class StripeWebhookController {
  constructor(
    @Inject(StripeGateway) private readonly gateway: StripeGateway,
    @Inject(PaymentEvents) private readonly events: PaymentEvents,
  ) {}

  @Post('stripe')
  @Public()
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>) {
    if (!req.rawBody) throw new DomainError('NO_BODY', 'empty webhook body', 400);
    const signature = req.headers['stripe-signature'];
    const event = this.gateway.verify(req.rawBody, typeof signature === 'string' ? signature : undefined);
    const fresh = await this.events.receive(event);
    return { received: true, duplicate: !fresh };
  }
}
