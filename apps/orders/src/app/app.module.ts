import { Module } from '@nestjs/common';
import { CoreModule } from '@techan/common';
import { ORDERS_SERVICE } from '../service';
import { CatalogueModule } from './catalogue/catalogue.module';

/** The orders service: one module per feature (STYLE.md §5). */
@Module({ imports: [CoreModule.forRoot(ORDERS_SERVICE), CatalogueModule] })
export class AppModule {}
