import { Module } from '@nestjs/common';
import { CheckoutModule } from '../checkout/checkout.module';
import { OrdersPersistenceModule } from '../persistence/persistence.module';
import { PaymentEvents } from './payment-events.service';
import { StripeWebhookController } from './webhook.controller';

/** Stripe webhooks in: verified, stored once, applied through the checkout saga. */
@Module({
  imports: [OrdersPersistenceModule, CheckoutModule],
  controllers: [StripeWebhookController],
  providers: [PaymentEvents],
  exports: [PaymentEvents],
})
export class PaymentsWebhooksModule {}
