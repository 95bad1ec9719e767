import { Module } from '@nestjs/common';
import { CheckoutModule } from '../checkout/checkout.module';
import { OrdersPersistenceModule } from '../persistence/persistence.module';
import { LogisticsConsumer } from './logistics.consumer';
import { OrdersController } from './orders.controller';
import { RefundService } from './refund.service';

/** Orders for the shopper: list, detail, cancel; delivery status from logistics; refunds. */
@Module({
  imports: [OrdersPersistenceModule, CheckoutModule],
  controllers: [OrdersController, LogisticsConsumer],
  providers: [RefundService],
  exports: [RefundService],
})
export class OrdersModule {}
