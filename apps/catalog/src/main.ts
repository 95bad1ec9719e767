import { bootstrapService } from '@techan/common';
import { AppModule } from './app/app.module';
import { CATALOG_SERVICE } from './service';

bootstrapService(CATALOG_SERVICE, AppModule);
