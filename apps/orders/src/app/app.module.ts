import { Module } from '@nestjs/common';
import { CoreModule } from '@techan/common';
import { ORDERS_SERVICE } from '../service';

/** The orders service: so far the shared plumbing (config, database, bus, auth, health); its domain comes with its issue. */
@Module({ imports: [CoreModule.forRoot(ORDERS_SERVICE)] })
export class AppModule {}
