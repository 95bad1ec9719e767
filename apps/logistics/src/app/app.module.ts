import { Module } from '@nestjs/common';
import { CoreModule } from '@techan/common';
import { LOGISTICS_SERVICE } from '../service';

/** The logistics service: so far the shared plumbing (config, database, bus, auth, health); its domain comes with its issue. */
@Module({ imports: [CoreModule.forRoot(LOGISTICS_SERVICE)] })
export class AppModule {}
