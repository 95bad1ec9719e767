/**
 * Issues the demo certificates (see domain/demo-certifications.ts) in the certification database,
 * through the service's own use cases; the status events wait in its outbox, and the service relays them
 * to the bus (the catalogue learns every demo product's status from them) when it starts. Idempotent.
 * Prints `demo trace code: <code>` for the start banner.
 *
 *   npx nx build certification
 *   MONGO_URL=mongodb://127.0.0.1:27017/?replicaSet=rs0 [MONGO_DB=techan-certification] \
 *     node dist/apps/certification/main.js seed-demo
 */
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Outbox } from '@techan/common';
import { CERTIFICATION_MODELS } from './app/app.module';
import { ApplicationsService } from './app/applications/applications.service';
import { AfterCommit } from './app/certificates/after-commit';
import { CertificatesService } from './app/certificates/certificates.service';
import { DemoSeed, type DemoSeedResult } from './app/demo/demo-seed.service';
import { Stores } from './app/persistence/stores';
import { ProductsService } from './app/products/products.service';
import { StatusPublisher } from './app/status/status-publisher';
import { CLOCK } from './app/tokens';
import { ManualClock } from './domain';
import { CERTIFICATION_SERVICE } from './service';

/** The relay runs in the service, not here: the seed only records. */
const NO_RELAY = {
  emit: () => {
    throw new Error('the seed command does not publish; the certification service relays its outbox');
  },
};

export async function runCertificationSeed(mongoUrl: string, dbName: string, now = new Date()): Promise<DemoSeedResult> {
  @Module({
    imports: [MongooseModule.forRoot(mongoUrl, { dbName }), CERTIFICATION_MODELS],
    providers: [
      { provide: Outbox, inject: [getConnectionToken()], useFactory: (c: Connection) => new Outbox(c, CERTIFICATION_SERVICE.name, NO_RELAY as never, new Logger('Outbox')) },
      { provide: CLOCK, useValue: new ManualClock(now) },
      // Timers are found by the service's sweeper (nextDueAt is stored); the verify cache is empty.
      { provide: AfterCommit, useValue: { certificateChanged: async () => undefined } },
      Stores,
      StatusPublisher,
      CertificatesService,
      ApplicationsService,
      ProductsService,
      DemoSeed,
    ],
  })
  class CertificationSeedModule {}
  const app = await NestFactory.createApplicationContext(CertificationSeedModule, { logger: ['error', 'warn', 'log'] });
  try {
    return await app.get(DemoSeed).seed(now);
  } finally {
    await app.close();
  }
}

export function runSeedCommand(): void {
  const mongoUrl = process.env['MONGO_URL'];
  if (!mongoUrl) {
    console.error('MONGO_URL is missing (e.g. mongodb://127.0.0.1:27017/?replicaSet=rs0)');
    process.exit(2);
  }
  runCertificationSeed(mongoUrl, process.env['MONGO_DB'] ?? `techan-${CERTIFICATION_SERVICE.name}`).then(
    (r) => {
      process.stdout.write(`demo certification: ${r.products} products and ${r.certificates} certificates issued\n`);
      if (r.sampleTraceCode) process.stdout.write(`demo trace code: ${r.sampleTraceCode}\n`);
      process.exit(0);
    },
    (e) => {
      new Logger('seed').error(e instanceof Error ? e.stack : String(e));
      process.exit(1);
    },
  );
}
