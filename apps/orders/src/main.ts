import { bootstrapService } from '@techan/common';
import { AppModule } from './app/app.module';
import { ORDERS_SERVICE } from './service';

void bootstrapService(ORDERS_SERVICE, AppModule);
