/**
 * Loads the demo data (merchants, the seven halls' products with stock, a 30-day price history and their
 * certification status) into the catalogue's database. Idempotent: running it again changes nothing.
 * Product-upserted events are written to the catalogue's outbox, so the service relays them to the
 * bus (and certification learns of the demo products) when it starts.
 *
 *   MONGO_URL=mongodb://127.0.0.1:27017/?replicaSet=rs0 [MONGO_DB=techan-catalog] \
 *     npx tsx --tsconfig apps/catalog/tsconfig.tsx.json apps/catalog/src/seed.ts
 */
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Outbox } from '@techan/common';
import { CatalogModule } from './catalog/catalog.module';
import { CATALOG_EVENTS, OutboxEventPublisher } from './catalog/events';
import { SeedService } from './catalog/seed.service';
import { CATALOG_SERVICE } from './service';

/** The relay runs in the service, not here: the seed only records. */
const NO_RELAY = {
  emit: () => {
    throw new Error('the seed command does not publish; the catalogue service relays its outbox');
  },
};

export async function runSeed(mongoUrl: string, dbName: string): Promise<{ merchants: number; products: number }> {
  @Module({
    imports: [
      MongooseModule.forRoot(mongoUrl, { dbName }),
      CatalogModule.register({
        consumers: false,
        events: {
          provide: CATALOG_EVENTS,
          inject: [getConnectionToken()],
          useFactory: (connection: Connection) =>
            new OutboxEventPublisher(new Outbox(connection, CATALOG_SERVICE.name, NO_RELAY as never, new Logger('Outbox'))),
        },
      }),
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
  runSeed(mongoUrl, process.env['MONGO_DB'] ?? `techan-${CATALOG_SERVICE.name}`).then(
    (r) => {
      logger.log(`demo data: ${r.merchants} merchants and ${r.products} products added`);
      process.exit(0);
    },
    (e) => {
      logger.error(e instanceof Error ? e.stack : String(e));
      process.exit(1);
    },
  );
}
