import { bootstrapService } from '@techan/common';
import { AppModule } from './app/app.module';
import { LOGISTICS_SERVICE } from './service';

void bootstrapService(LOGISTICS_SERVICE, AppModule);
