import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AFTER_SALES_CASE, AfterSalesCaseSchema } from './after-sales.schema';
import { CART, CartSchema } from './cart.schema';
import { ORDER, OrderSchema } from './order.schema';
import { OrderLocks } from './order-locks';
import { OrderStore } from './order.store';
import { STRIPE_EVENT, StripeEventSchema } from './stripe-event.schema';

/** Carts, orders, received Stripe events and after-sales cases (orders' own database). */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ORDER, schema: OrderSchema },
      { name: CART, schema: CartSchema },
      { name: STRIPE_EVENT, schema: StripeEventSchema },
      { name: AFTER_SALES_CASE, schema: AfterSalesCaseSchema },
    ]),
  ],
  providers: [OrderStore, OrderLocks],
  exports: [MongooseModule, OrderStore, OrderLocks],
})
export class OrdersPersistenceModule {}
