import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RequestMethod } from '@nestjs/common';
import type { CertificationModuleOptions } from './certification.module';
import { CertificationModule } from './certification.module';

/** Paths a scanned QR code opens: outside the /api prefix, exactly as printed on labels. */
export const PUBLIC_PAGE_ROUTES = [
  { path: 't/:code', method: RequestMethod.GET },
  { path: 'v/:code', method: RequestMethod.GET },
  { path: '01/:gtin', method: RequestMethod.GET },
  { path: '01/:gtin/10/:lot', method: RequestMethod.GET },
];

/** Build the HTTP app (used by main.ts, the tests and the benchmark). */
export async function createCertificationApp(options: CertificationModuleOptions, logger: boolean | undefined = undefined): Promise<INestApplication> {
  const app = await NestFactory.create(CertificationModule.forRoot(options), { logger: logger === false ? false : undefined });
  app.setGlobalPrefix('api', { exclude: PUBLIC_PAGE_ROUTES });
  app.enableShutdownHooks();
  return app;
}
