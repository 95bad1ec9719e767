import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
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
import { CatalogAuthGuard, TOKEN_VERIFIER, type TokenVerifier } from './auth';
import { MerchantController, OperatorController, PublicCatalogController } from './catalog.controller';
import { CertificationProjection } from './certification-projection.service';
import { CLOCK, systemClock, type Clock } from './clock';
import { CatalogErrorFilter } from './errors';
import { CATALOG_EVENTS, type CatalogEventPublisher } from './events';
import { HallPageController } from './hall-page.controller';
import { MerchantsService } from './merchants.service';
import { PriceIndexService } from './price-index.service';
import { ProductsService } from './products.service';
import { SearchService } from './search.service';
import { SeedService } from './seed.service';
import { StockService } from './stock.service';

export const CATALOG_MODELS = MongooseModule.forFeature([
  { name: MERCHANT, schema: MerchantSchema },
  { name: PRODUCT, schema: ProductSchema },
  { name: STOCK, schema: StockSchema },
  { name: CERT_STATUS, schema: CertStatusSchema },
  { name: RESERVATION, schema: ReservationSchema },
  { name: PRICE_CHANGE, schema: PriceChangeSchema },
]);

export interface CatalogModuleOptions {
  /** Where outgoing events go (the outbox in production). */
  events: Provider<CatalogEventPublisher> & { provide: typeof CATALOG_EVENTS };
  verifyToken: TokenVerifier;
  clock?: Clock;
}

/** Merchants, halls, products/SKUs, certified-only listing, search, stock reservation and price index. */
@Module({})
export class CatalogModule {
  static register(options: CatalogModuleOptions): DynamicModule {
    return {
      module: CatalogModule,
      imports: [CATALOG_MODELS],
      controllers: [PublicCatalogController, MerchantController, OperatorController, HallPageController],
      providers: [
        options.events,
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: TOKEN_VERIFIER, useValue: options.verifyToken },
        { provide: APP_GUARD, useClass: CatalogAuthGuard },
        { provide: APP_FILTER, useClass: CatalogErrorFilter },
        MerchantsService,
        ProductsService,
        SearchService,
        CertificationProjection,
        StockService,
        PriceIndexService,
        SeedService,
      ],
      exports: [MerchantsService, ProductsService, SearchService, CertificationProjection, StockService, PriceIndexService, SeedService, CLOCK],
    };
  }
}
