import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Outbox } from '@techan/common';
import {
  CERT_STATUS,
  CertStatusSchema,
  MERCHANT,
  MerchantSchema,
  PRICE_CHANGE,
  PriceChangeSchema,
  PRODUCT,
  ProductSchema,
  RESERVATION,
  ReservationSchema,
  STOCK,
  StockSchema,
} from '../persistence/schemas';
import { MerchantController, OperatorController, PublicCatalogController } from './catalog.controller';
import { CertificationProjection } from './certification-projection.service';
import { CLOCK, systemClock, type Clock } from './clock';
import { CATALOG_EVENTS, OutboxEventPublisher, type CatalogEventPublisher } from './events';
import { CatalogEventsController } from './events.controller';
import { MerchantsService } from './merchants.service';
import { PriceIndexService } from './price-index.service';
import { ProductsService } from './products.service';
import { ReservationSweeper } from './reservation-sweeper';
import { SearchService } from './search.service';
import { SeedService } from './seed.service';
import { StockService } from './stock.service';
import { VocabularyMigration } from './vocabulary-migration';

export const CATALOG_MODELS = MongooseModule.forFeature([
  { name: MERCHANT, schema: MerchantSchema },
  { name: PRODUCT, schema: ProductSchema },
  { name: STOCK, schema: StockSchema },
  { name: CERT_STATUS, schema: CertStatusSchema },
  { name: RESERVATION, schema: ReservationSchema },
  { name: PRICE_CHANGE, schema: PriceChangeSchema },
]);

export interface CatalogModuleOptions {
  /** Where outgoing events go; default: the shared transactional outbox (needs CoreModule). */
  events?: Provider<CatalogEventPublisher>;
  clock?: Clock;
  /** Event consumers and the reservation sweeper (the service); off for one-shot commands like the seed. */
  consumers?: boolean;
}

/** Merchants, halls, products/SKUs, certified-only listing, search, stock reservation and price index. */
@Module({})
export class CatalogModule {
  static register(options: CatalogModuleOptions = {}): DynamicModule {
    const consumers = options.consumers ?? true;
    return {
      module: CatalogModule,
      imports: [CATALOG_MODELS],
      controllers: [
        PublicCatalogController,
        MerchantController,
        OperatorController,
        ...(consumers ? [CatalogEventsController] : []),
      ],
      providers: [
        options.events ?? { provide: CATALOG_EVENTS, inject: [Outbox], useFactory: (outbox: Outbox) => new OutboxEventPublisher(outbox) },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        MerchantsService,
        ProductsService,
        SearchService,
        CertificationProjection,
        StockService,
        PriceIndexService,
        SeedService,
        VocabularyMigration,
        ...(consumers ? [ReservationSweeper] : []),
      ],
      exports: [MerchantsService, ProductsService, SearchService, CertificationProjection, StockService, PriceIndexService, SeedService, CLOCK],
    };
  }
}
