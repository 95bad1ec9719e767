import { Inject, Injectable, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerModule } from '@nestjs/throttler';
import { CoreModule, MembershipModule, REDIS, SERVICE_CONFIG } from '@techan/common';
import type { ServiceConfig } from '@techan/common';
import type Redis from 'ioredis';
import { systemClock } from '../domain';
import { CERTIFICATION_SERVICE } from '../service';
import { ApplicationsController } from './applications/applications.controller';
import { ApplicationsService } from './applications/applications.service';
import { AfterCommit } from './certificates/after-commit';
import { CertificatesController } from './certificates/certificates.controller';
import { CertificatesService } from './certificates/certificates.service';
import { ComplaintsConsumer } from './complaints/complaints.consumer';
import { DeliveryTraceModule } from './delivery-trace/delivery-trace';
import { ApplicationSchema, CertificateSchema, CounterSchema, GiRegistrationSchema, MODEL_NAMES, MerchantRecordsSchema, ProductSchema, TraceCodeSchema } from './persistence/schemas';
import { Stores } from './persistence/stores';
import { GiRegistrationsController, MerchantRecordsController, ProductsController } from './products/products.controller';
import { ProductsService } from './products/products.service';
import { ProductStatusController } from './status/product-status.controller';
import { StatusEventsController } from './status/status-events.controller';
import { StatusPublisher } from './status/status-publisher';
import { BULL_PREFIX, REDIS_URL, TimerScheduler } from './timers/timer-scheduler';
import { TimerWorker } from './timers/timer-worker';
import { CACHE_PREFIX, CERT_CONFIG, CLOCK, VERIFY_CACHE } from './tokens';
import type { CertificationSettings, VerifyCache } from './tokens';
import { PingController, VerifyController } from './verify/verify.controller';
import { VerifyCacheService } from './verify/verify-cache.service';
import { VerifyService } from './verify/verify.service';

export function settingsFrom(config: ServiceConfig): CertificationSettings {
  return {
    verifyBaseUrl: String(config['VERIFY_BASE_URL']),
    verifyCacheTtlSeconds: Number(config['VERIFY_CACHE_TTL_SECONDS']),
    sweepIntervalMs: Number(config['SWEEP_INTERVAL_MS']),
    verifyRateLimitPerMinute: Number(config['VERIFY_RATE_LIMIT_PER_MINUTE']),
  };
}

/** The verify cache on the shared Redis, so one status event invalidates it for every replica. */
@Injectable()
export class RedisVerifyCache implements VerifyCache {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  get(key: string) {
    return this.redis.get(key);
  }
  async set(key: string, value: string, ttlSeconds: number) {
    await this.redis.set(key, value, 'EX', ttlSeconds);
  }
  async del(key: string) {
    await this.redis.del(key);
  }
}

export const CERTIFICATION_MODELS = MongooseModule.forFeature([
  { name: MODEL_NAMES.product, schema: ProductSchema },
  { name: MODEL_NAMES.application, schema: ApplicationSchema },
  { name: MODEL_NAMES.certificate, schema: CertificateSchema },
  { name: MODEL_NAMES.records, schema: MerchantRecordsSchema },
  { name: MODEL_NAMES.traceCode, schema: TraceCodeSchema },
  { name: MODEL_NAMES.counter, schema: CounterSchema },
  { name: MODEL_NAMES.giRegistration, schema: GiRegistrationSchema },
]);

@Module({
  imports: [
    CoreModule.forRoot(CERTIFICATION_SERVICE),
    CERTIFICATION_MODELS,
    MembershipModule.forRoot(),
    DeliveryTraceModule,
    // One budget per client across every public verify route (/verify, /v, /t, /01), counted in the
    // shared Redis so replicas add up; the client is req.ip, which honours TRUST_PROXY behind the ingress.
    ThrottlerModule.forRootAsync({
      inject: [SERVICE_CONFIG, REDIS],
      useFactory: (config: ServiceConfig, redis: Redis) => ({
        throttlers: [{ name: 'verify', ttl: 60_000, limit: settingsFrom(config).verifyRateLimitPerMinute }],
        storage: new ThrottlerStorageRedisService(redis),
        generateKey: (_context: unknown, tracker: string, name: string) => `${config.EVENT_PREFIX}:certification:throttle:${name}:${tracker}`,
      }),
    }),
  ],
  controllers: [
    ApplicationsController,
    CertificatesController,
    ProductsController,
    MerchantRecordsController,
    GiRegistrationsController,
    VerifyController,
    PingController,
    StatusEventsController,
    ProductStatusController,
    ComplaintsConsumer,
  ],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    { provide: CERT_CONFIG, inject: [SERVICE_CONFIG], useFactory: settingsFrom },
    { provide: REDIS_URL, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig) => config.REDIS_URL },
    { provide: VERIFY_CACHE, useClass: RedisVerifyCache },
    { provide: BULL_PREFIX, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig) => `${config.EVENT_PREFIX}-bull` },
    { provide: CACHE_PREFIX, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig) => config.EVENT_PREFIX },
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
})
export class AppModule {}
