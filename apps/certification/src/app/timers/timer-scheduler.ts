import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import type { Certificate, Clock } from '../../domain';
import { nextTimedTransition } from '../../domain';
import { CLOCK } from '../tokens';

export const TIMER_QUEUE = 'certification-timers';
export const REDIS_URL = Symbol('REDIS_URL');
/** Key prefix of the BullMQ queue: services (and test runs) sharing a Redis keep their timers apart. */
export const BULL_PREFIX = Symbol('BULL_PREFIX');

export interface DueJobData {
  certificateId: string;
}

/** The BullMQ job id of a certificate's next transition: the same transition is never queued twice. */
export function dueJobId(certificateId: string, type: string, dueAt: Date): string {
  return `due-${certificateId}-${type}-${dueAt.getTime()}`;
}

/** Puts each certificate's next time-driven transition on a BullMQ delayed job. */
@Injectable()
export class TimerScheduler implements OnModuleDestroy {
  readonly queue: Queue;
  private readonly connection: IORedis;

  constructor(
    @Inject(REDIS_URL) redisUrl: string,
    @Inject(BULL_PREFIX) readonly prefix: string,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue(TIMER_QUEUE, { connection: this.connection, prefix });
  }

  /** Schedule the next transition, if any. Returns the job id, for tests and logs. */
  async schedule(certificate: Certificate): Promise<string | null> {
    const next = nextTimedTransition(certificate);
    if (!next) return null;
    const jobId = dueJobId(certificate.id, next.type, next.dueAt);
    const delay = Math.max(0, next.dueAt.getTime() - this.clock.now().getTime());
    await this.queue.add('due', { certificateId: certificate.id } satisfies DueJobData, {
      jobId,
      delay,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    });
    return jobId;
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    await this.connection.quit().catch(() => undefined);
  }
}
