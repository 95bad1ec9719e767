import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { OrdersPersistenceModule } from '../persistence/persistence.module';
import { AfterSalesController } from './after-sales.controller';
import { AfterSalesService } from './after-sales.service';

@Module({
  imports: [OrdersPersistenceModule, OrdersModule],
  controllers: [AfterSalesController],
  providers: [AfterSalesService],
})
export class AfterSalesModule {}
