/**
 * Loads the demo data (merchants, the seven halls' products with stock, a 30-day price history and their
 * certification status) into the catalogue's database. Idempotent: running it again changes nothing.
 *
 *   MONGO_URL=mongodb://127.0.0.1:27017/?replicaSet=rs0 [MONGO_DB=catalog] \
 *     npx tsx --tsconfig apps/catalog/tsconfig.tsx.json apps/catalog/src/seed.ts
 */
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogModule } from './catalog/catalog.module';
import { CATALOG_EVENTS, type CatalogEventPublisher } from './catalog/events';
import { SeedService } from './catalog/seed.service';

export async function runSeed(mongoUrl: string, dbName: string, events: CatalogEventPublisher): Promise<{ merchants: number; products: number }> {
  @Module({
    imports: [
      MongooseModule.forRoot(mongoUrl, { dbName }),
      CatalogModule.register({ events: { provide: CATALOG_EVENTS, useValue: events }, verifyToken: () => null }),
    ],
  })
  class SeedModule {}
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn', 'log'] });
  try {
    return await app.get(SeedService).seed();
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  const mongoUrl = process.env['MONGO_URL'];
  if (!mongoUrl) {
    console.error('MONGO_URL is missing (e.g. mongodb://127.0.0.1:27017/?replicaSet=rs0)');
    process.exit(2);
  }
  const logger = new Logger('seed');
  // Product-upserted events from seeding are only counted here; the running service's outbox
  // announces products it creates. Certification seeds its own demo certificates by product id.
  let announced = 0;
  runSeed(mongoUrl, process.env['MONGO_DB'] ?? 'catalog', { publish: async () => void announced++ }).then(
    (r) => {
      logger.log(`demo data: ${r.merchants} merchants and ${r.products} products added (${announced} product events not sent)`);
      process.exit(0);
    },
    (e) => {
      logger.error(e instanceof Error ? e.stack : String(e));
      process.exit(1);
    },
  );
}
