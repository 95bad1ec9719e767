import { DynamicModule, Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { ThrottlerModule } from '@nestjs/throttler';
import IORedis from 'ioredis';
import type { Clock } from '../domain';
import { systemClock } from '../domain';
import { ApplicationsController } from './applications/applications.controller';
import { ApplicationsService } from './applications/applications.service';
import { AfterCommit } from './certificates/after-commit';
import { CertificatesController } from './certificates/certificates.controller';
import { CertificatesService } from './certificates/certificates.service';
import { DomainExceptionFilter, UnexpectedErrorFilter } from './http/domain-exception.filter';
import { JWT_SECRET, JwtPrincipalGuard } from './http/jwt-principal.guard';
import { ApplicationSchema, CertificateSchema, CounterSchema, MODEL_NAMES, MerchantRecordsSchema, ProductSchema, TraceCodeSchema } from './persistence/schemas';
import { Stores } from './persistence/stores';
import { MerchantRecordsController, ProductsController } from './products/products.controller';
import { ProductsService } from './products/products.service';
import { MongoStatusOutbox } from './status/mongo-status-outbox';
import { StatusPublisher } from './status/status-publisher';
import { REDIS_URL, TimerScheduler } from './timers/timer-scheduler';
import { TimerWorker } from './timers/timer-worker';
import { CERT_CONFIG, CLOCK, STATUS_OUTBOX, VERIFY_CACHE } from './tokens';
import type { CertificationSettings, VerifyCache } from './tokens';
import { PingController, VerifyController } from './verify/verify.controller';
import { VerifyCacheService } from './verify/verify-cache.service';
import { VerifyService } from './verify/verify.service';

export interface CertificationModuleOptions {
  mongoUrl: string;
  redisUrl: string;
  jwtSecret: string;
  settings: CertificationSettings;
  clock?: Clock;
}

export const DEFAULT_SETTINGS: CertificationSettings = {
  verifyBaseUrl: 'http://127.0.0.1:3000',
  verifyCacheTtlSeconds: 300,
  sweepIntervalMs: 60_000,
  verifyRateLimitPerMinute: 120,
};

/** Redis-backed verify cache shared by every replica (so one event invalidates it for all). */
@Injectable()
class RedisVerifyCache implements VerifyCache, OnModuleDestroy {
  private readonly redis: IORedis;
  constructor(@Inject(REDIS_URL) redisUrl: string) {
    this.redis = new IORedis(redisUrl, { maxRetriesPerRequest: 3 });
  }
  get(key: string) {
    return this.redis.get(key);
  }
  async set(key: string, value: string, ttlSeconds: number) {
    await this.redis.set(key, value, 'EX', ttlSeconds);
  }
  async del(key: string) {
    await this.redis.del(key);
  }
  async onModuleDestroy() {
    await this.redis.quit().catch(() => undefined);
  }
}

@Module({})
export class CertificationModule {
  static forRoot(options: CertificationModuleOptions): DynamicModule {
    return {
      module: CertificationModule,
      imports: [
        MongooseModule.forRoot(options.mongoUrl),
        MongooseModule.forFeature([
          { name: MODEL_NAMES.product, schema: ProductSchema },
          { name: MODEL_NAMES.application, schema: ApplicationSchema },
          { name: MODEL_NAMES.certificate, schema: CertificateSchema },
          { name: MODEL_NAMES.records, schema: MerchantRecordsSchema },
          { name: MODEL_NAMES.traceCode, schema: TraceCodeSchema },
          { name: MODEL_NAMES.counter, schema: CounterSchema },
        ]),
        ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: options.settings.verifyRateLimitPerMinute }]),
      ],
      controllers: [ApplicationsController, CertificatesController, ProductsController, MerchantRecordsController, VerifyController, PingController],
      providers: [
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: CERT_CONFIG, useValue: options.settings },
        { provide: REDIS_URL, useValue: options.redisUrl },
        { provide: JWT_SECRET, useValue: options.jwtSecret },
        { provide: VERIFY_CACHE, useClass: RedisVerifyCache },
        { provide: STATUS_OUTBOX, useClass: MongoStatusOutbox },
        { provide: APP_FILTER, useClass: UnexpectedErrorFilter },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
        JwtPrincipalGuard,
        Stores,
        StatusPublisher,
        AfterCommit,
        TimerScheduler,
        TimerWorker,
        VerifyCacheService,
        VerifyService,
        CertificatesService,
        ApplicationsService,
        ProductsService,
      ],
      exports: [CertificatesService, ApplicationsService, ProductsService, TimerWorker, TimerScheduler, Stores, VerifyCacheService],
    };
  }
}
