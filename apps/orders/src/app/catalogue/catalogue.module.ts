import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CATALOGUE_ITEM, CatalogueItemSchema } from '../persistence/catalogue.schema';
import { CatalogueConsumer } from './catalogue.consumer';
import { CatalogueStore } from './catalogue.store';

/** Orders' projection of catalog listings and certification status; export CatalogueStore to use it. */
@Module({
  imports: [MongooseModule.forFeature([{ name: CATALOGUE_ITEM, schema: CatalogueItemSchema }])],
  controllers: [CatalogueConsumer],
  providers: [CatalogueStore],
  exports: [CatalogueStore],
})
export class CatalogueModule {}
