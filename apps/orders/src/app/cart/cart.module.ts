import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { OrdersPersistenceModule } from '../persistence/persistence.module';
import { CartController, GuestCartController } from './cart.controller';
import { CartService } from './cart.service';

@Module({
  imports: [OrdersPersistenceModule, CatalogueModule],
  controllers: [CartController, GuestCartController],
  providers: [CartService],
  exports: [CartService],
})
export class CartModule {}
