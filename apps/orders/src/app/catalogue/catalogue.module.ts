import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CATALOGUE_ITEM, CatalogueItemSchema } from '../persistence/catalogue.schema';
import { CatalogueConsumer } from './catalogue.consumer';
import { CatalogueStore } from './catalogue.store';
import { CertificationAuthority } from './certification-authority';

/** Orders' projection of catalog listings and certification status, and certification itself for the moments money moves. */
@Module({
  imports: [MongooseModule.forFeature([{ name: CATALOGUE_ITEM, schema: CatalogueItemSchema }])],
  controllers: [CatalogueConsumer],
  providers: [CatalogueStore, CertificationAuthority],
  exports: [CatalogueStore, CertificationAuthority],
})
export class CatalogueModule {}
