import { Module } from '@nestjs/common';
import { CartModule } from '../cart/cart.module';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { OrdersPersistenceModule } from '../persistence/persistence.module';
import { CheckoutController } from './checkout.controller';
import { CheckoutConsumer } from './checkout.consumer';
import { CheckoutSaga } from './checkout.saga';
import { CheckoutService } from './checkout.service';
import { CheckoutSweeper } from './checkout.sweeper';

/** The checkout saga: placing orders (any channel), catalog's replies, payment steps, timeouts, blocks. */
@Module({
  imports: [OrdersPersistenceModule, CatalogueModule, CartModule],
  controllers: [CheckoutController, CheckoutConsumer],
  providers: [CheckoutService, CheckoutSaga, CheckoutSweeper],
  exports: [CheckoutService, CheckoutSaga],
})
export class CheckoutModule {}
