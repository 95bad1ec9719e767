import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { DomainError, SERVICE_CONFIG, type ServiceConfig } from '@techan/common';

/**
 * The Stripe client: the real SDK against Stripe (STRIPE_SECRET_KEY) or, on the local stack, against
 * the stand-in named by STRIPE_API_URL (its host/port/protocol options; DESIGN §6). Nothing else in
 * orders knows which one it is.
 */
@Injectable()
export class StripeGateway {
  private readonly logger = new Logger(StripeGateway.name);
  private readonly sdk: Stripe | null;
  private readonly webhookSecret: string;

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    const key = config['STRIPE_SECRET_KEY'] as string | undefined;
    const api = config['STRIPE_API_URL'] as string | undefined;
    this.webhookSecret = (config['STRIPE_WEBHOOK_SECRET'] as string | undefined) ?? '';
    if (key) {
      this.sdk = new Stripe(key, { maxNetworkRetries: 2, timeout: 15_000 });
    } else if (api) {
      const url = new URL(api);
      const protocol = url.protocol === 'https:' ? 'https' : 'http';
      this.sdk = new Stripe('sk_test_local_standin', { host: url.hostname, port: Number(url.port || (protocol === 'https' ? 443 : 80)), protocol, maxNetworkRetries: 2, timeout: 15_000 });
    } else {
      this.sdk = null;
      this.logger.warn('payments are not configured: set STRIPE_SECRET_KEY (Stripe) or STRIPE_API_URL (the local stand-in)');
    }
  }

  get stripe(): Stripe {
    if (!this.sdk) throw new DomainError('PAYMENTS_NOT_CONFIGURED', '支付服务暂不可用', 503);
    return this.sdk;
  }

  /** Verifies a webhook's Stripe-Signature over the raw body (Stripe's 300 s tolerance); throws when it does not match. */
  verify(rawBody: Buffer, signature: string | undefined): Stripe.Event {
    if (!this.webhookSecret) throw new DomainError('WEBHOOKS_NOT_CONFIGURED', 'STRIPE_WEBHOOK_SECRET is not set', 503);
    if (!signature) throw new DomainError('BAD_SIGNATURE', 'missing Stripe-Signature header', 400);
    try {
      return Stripe.webhooks.constructEvent(rawBody, signature, this.webhookSecret);
    } catch (e) {
      throw new DomainError('BAD_SIGNATURE', e instanceof Error ? e.message : 'bad signature', 400);
    }
  }
}
