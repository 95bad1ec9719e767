import { bootstrapService } from '@techan/common';
import { AppModule } from './app/app.module';
import { CERTIFICATION_SERVICE } from './service';

void bootstrapService(CERTIFICATION_SERVICE, AppModule);
