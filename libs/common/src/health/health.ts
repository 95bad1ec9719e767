import { Controller, Get, HttpStatus, Inject, Injectable, Res } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Response } from 'express';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { Public } from '../auth/auth.guard';
import type { EventServer } from '../bus/event-transport';
import { REDIS, SERVICE_DEFINITION } from '../service/tokens';
import type { ServiceDefinition } from '../service/service-definition';

/** Holds the event consumer once bootstrap attached it, for the health check. */
@Injectable()
export class EventBusStatus {
  server?: EventServer;
  transport?: string;
}

type Check = { status: 'up' | 'down'; detail?: string };

async function check(probe: () => Promise<unknown>, timeoutMs = 1_000): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

@Controller()
export class HealthController {
  constructor(
    @InjectConnection() private readonly mongo: Connection,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(SERVICE_DEFINITION) private readonly definition: ServiceDefinition,
    @Inject(EventBusStatus) private readonly bus: EventBusStatus,
  ) {}

  /** 200 when MongoDB, Redis and the event bus are all up, else 503 with what is down. */
  @Public()
  @Get('health')
  async health(@Res() res: Response) {
    const [mongodb, redis] = await Promise.all([
      check(async () => {
        if (!this.mongo.db) throw new Error('not connected');
        await this.mongo.db.command({ ping: 1 });
      }),
      check(() => this.redis.ping()),
    ]);
    const eventBus: Check = this.bus.server?.isHealthy()
      ? { status: 'up', detail: this.bus.transport }
      : { status: 'down', detail: this.bus.server ? `${this.bus.transport} not consuming` : 'consumer not started' };
    const ok = [mongodb, redis, eventBus].every((c) => c.status === 'up');
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({
      status: ok ? 'ok' : 'unavailable',
      service: this.definition.name,
      checks: { mongodb, redis, eventBus },
    });
  }
}
