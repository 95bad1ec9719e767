import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import IORedis from 'ioredis';
import type { Clock } from '../../domain';
import { CertificatesService } from '../certificates/certificates.service';
import { CERT_CONFIG, CLOCK } from '../tokens';
import type { CertificationSettings } from '../tokens';
import { REDIS_URL, TIMER_QUEUE, TimerScheduler } from './timer-scheduler';
import type { DueJobData } from './timer-scheduler';

export interface SweepReport {
  examined: number;
  changed: number;
}

/**
 * Runs the delayed jobs and a periodic sweeper. The sweeper is the safety net: after a restart, a
 * lost job or a lost race it finds every certificate whose `nextDueAt` has passed and applies it.
 * Both paths go through the same idempotent `applyDue`, so running twice changes nothing.
 */
@Injectable()
export class TimerWorker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TimerWorker.name);
  private worker?: Worker;
  private connection?: IORedis;

  constructor(
    private readonly certificates: CertificatesService,
    private readonly scheduler: TimerScheduler,
    @Inject(REDIS_URL) private readonly redisUrl: string,
    @Inject(CERT_CONFIG) private readonly settings: CertificationSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.connection = new IORedis(this.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker(TIMER_QUEUE, (job) => this.process(job), { connection: this.connection, concurrency: 4, prefix: this.scheduler.prefix });
    this.worker.on('failed', (job, error) => this.logger.warn(`timer job ${job?.id} failed: ${error.message}`));
    if (this.settings.sweepIntervalMs > 0) {
      await this.scheduler.queue.upsertJobScheduler('sweeper', { every: this.settings.sweepIntervalMs }, { name: 'sweep' });
    }
  }

  private async process(job: Job): Promise<unknown> {
    if (job.name === 'sweep') return this.sweepOnce();
    const { certificateId } = job.data as DueJobData;
    return this.certificates.applyDue(certificateId, this.clock.now());
  }

  /** One pass over every due certificate; returns how many changed. */
  async sweepOnce(now: Date = this.clock.now()): Promise<SweepReport> {
    let examined = 0;
    let changed = 0;
    // Pages until nothing is due: each applied certificate moves its nextDueAt past `now`.
    for (let page = await this.certificates.dueCertificateIds(now); page.length > 0; ) {
      let progressed = 0;
      for (const id of page) {
        examined++;
        if ((await this.certificates.applyDue(id, now)).length > 0) {
          changed++;
          progressed++;
        }
      }
      if (progressed === 0) break; // all remaining lost races; the next sweep retries them
      page = await this.certificates.dueCertificateIds(now);
    }
    if (changed) this.logger.log(`sweeper applied due transitions to ${changed} certificate(s)`);
    return { examined, changed };
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.connection?.quit().catch(() => undefined);
  }
}
