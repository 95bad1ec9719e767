import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { ClientProxy } from '@nestjs/microservices';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { AuthGuard, JWT_SECRET } from '../auth/auth.guard';
import { createEventClient } from '../bus/event-transport';
import { EventBusStatus, HealthController } from '../health/health';
import { HttpErrorFilter } from '../http/errors';
import { SafeTextPipe } from '../http/safe-text';
import { Inbox, Outbox } from '../outbox/outbox';
import { loadServiceConfig, type ServiceConfig, type ServiceDefinition } from './service-definition';
import { EVENT_CLIENT, REDIS, SERVICE_CONFIG, SERVICE_DEFINITION } from './tokens';

/** Starts the outbox relay with the app and flushes it on shutdown; closes shared connections. */
@Injectable()
class CoreLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(EVENT_CLIENT) private readonly client: ClientProxy,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}
  onApplicationBootstrap() {
    this.outbox.start();
  }
  async beforeApplicationShutdown() {
    await this.outbox.stop();
  }
  async onApplicationShutdown() {
    await this.client.close();
    this.redis.disconnect();
  }
}

/**
 * Everything a Techan service shares: validated configuration, its MongoDB database, Redis, the
 * event bus client with the transactional outbox and inbox, the JWT guard, the error filter and
 * `GET /health`. Import once in the app module: `CoreModule.forRoot(CATALOG_SERVICE)`.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(definition: ServiceDefinition): DynamicModule {
    const configProvider = {
      provide: SERVICE_CONFIG,
      useFactory: (): ServiceConfig => loadServiceConfig(definition, process.env),
    };
    @Global()
    @Module({
      providers: [configProvider, { provide: SERVICE_DEFINITION, useValue: definition }],
      exports: [SERVICE_CONFIG, SERVICE_DEFINITION],
    })
    class ConfigHolderModule {}

    return {
      module: CoreModule,
      imports: [
        ConfigHolderModule,
        MongooseModule.forRootAsync({
          inject: [SERVICE_CONFIG],
          // Fail a request within seconds when MongoDB is unreachable (a 503 with Retry-After), not after 30 s.
          useFactory: (config: ServiceConfig) => ({ uri: config.MONGO_URL, dbName: config.MONGO_DB, serverSelectionTimeoutMS: 5_000 }),
        }),
      ],
      controllers: [HealthController],
      providers: [
        EventBusStatus,
        {
          provide: REDIS,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) => {
            const logger = new Logger('Redis');
            const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
            // Without a listener ioredis prints every reconnect failure as "unhandled"; health reports it too.
            redis.on('error', (error) => logger.warn(`redis: ${error.message}`));
            return redis;
          },
        },
        {
          provide: EVENT_CLIENT,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) => createEventClient(definition, config),
        },
        {
          provide: Outbox,
          inject: [getConnectionToken(), EVENT_CLIENT],
          useFactory: (connection: Connection, client: ClientProxy) =>
            new Outbox(connection, definition.name, client, new Logger('Outbox')),
        },
        {
          provide: Inbox,
          inject: [getConnectionToken()],
          useFactory: (connection: Connection) => new Inbox(connection, definition.name),
        },
        { provide: JWT_SECRET, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig) => config.JWT_SECRET },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useClass: SafeTextPipe },
        CoreLifecycle,
      ],
      exports: [ConfigHolderModule, REDIS, EVENT_CLIENT, Outbox, Inbox, EventBusStatus, JWT_SECRET],
    };
  }
}
