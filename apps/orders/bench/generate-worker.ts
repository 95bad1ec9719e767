/**
 * One call-off generation run in its own process (what the BullMQ `generate` job does:
 * CallOffsService.generateForDate), for the benchmark's concurrency and kill -9 phases.
 *   MONGO_URL=… MONGO_DB=… DATE=YYYY-MM-DD NOW=ISO npx tsx --tsconfig apps/orders/tsconfig.tsx.json apps/orders/bench/generate-worker.ts
 */
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Outbox } from '@techan/common';
import { CatalogueStore } from '../src/app/catalogue/catalogue.store';
import { CallOffsService } from '../src/app/institutional/call-offs/call-offs.service';
import { CATALOGUE_ITEM, CatalogueItemSchema } from '../src/app/persistence/catalogue.schema';
import { INSTITUTIONAL_MODELS } from '../src/app/persistence/institutional.schemas';

async function main() {
  const env = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} is missing`);
    return v;
  };
  @Module({
    imports: [MongooseModule.forRoot(env('MONGO_URL'), { dbName: env('MONGO_DB') }), MongooseModule.forFeature([...INSTITUTIONAL_MODELS, { name: CATALOGUE_ITEM, schema: CatalogueItemSchema }])],
    providers: [
      CatalogueStore,
      CallOffsService,
      { provide: Outbox, inject: [getConnectionToken()], useFactory: (c: Connection) => new Outbox(c, 'orders', { emit: () => { throw new Error('no relay in the bench'); } } as never, new Logger('Outbox')) },
    ],
  })
  class WorkerModule {}
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  const t0 = performance.now();
  const report = await app.get(CallOffsService).generateForDate(env('DATE'), new Date(env('NOW')), Number(process.env['BATCH'] ?? 500));
  process.stdout.write(JSON.stringify({ ...report, ms: Math.round(performance.now() - t0) }) + '\n');
  await app.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
