import { Global, Module } from '@nestjs/common';
import { StripeGateway } from './stripe.gateway';

/** The Stripe client, shared by checkout, orders and after-sales (and institutional invoices). */
@Global()
@Module({ providers: [StripeGateway], exports: [StripeGateway] })
export class StripeModule {}
