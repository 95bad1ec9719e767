import { Module } from '@nestjs/common';
import { CoreModule } from '@techan/common';
import { ORDERS_SERVICE } from '../service';
import { AfterSalesModule } from './after-sales/after-sales.module';
import { CartModule } from './cart/cart.module';
import { CatalogueModule } from './catalogue/catalogue.module';
import { CheckoutModule } from './checkout/checkout.module';
import { InstitutionalModule } from './institutional/institutional.module';
import { OrdersModule } from './orders/orders.module';
import { PaymentsWebhooksModule } from './payments/payments-webhooks.module';
import { StripeModule } from './payments/payments.module';

/** The orders service: one module per feature (STYLE.md §5). */
@Module({
  imports: [
    CoreModule.forRoot(ORDERS_SERVICE),
    CatalogueModule,
    StripeModule,
    CartModule,
    CheckoutModule,
    PaymentsWebhooksModule,
    OrdersModule,
    AfterSalesModule,
    InstitutionalModule,
  ],
})
export class AppModule {}
