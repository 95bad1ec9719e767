import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { addDays, isLocalDate, shanghaiDate } from '../../../domain/institutional/time';
import { INSTITUTIONAL_CLOCK, INSTITUTIONAL_SETTINGS, type Clock, type InstitutionalSettings } from '../institutional.tokens';
import { CallOffsService } from './call-offs.service';

export const CALL_OFF_QUEUE = 'orders-institutional';

/**
 * BullMQ side of call-offs. Two repeatable job schedulers: `generate` (every 15 min: the call-offs of
 * the next days, so each exists well before its cut-off) and `close-due` (every minute: cut-offs that
 * passed). Jobs carry only a date; MongoDB is the truth, and generation is idempotent (unique key per
 * contract, site and date), so a repeated, retried or concurrent job creates nothing twice.
 */
@Injectable()
export class CallOffJobs implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CallOffJobs.name);
  readonly queue: Queue;
  private readonly connection: IORedis;
  private workerConnection?: IORedis;
  private worker?: Worker;
  private events?: QueueEvents;
  private eventsConnection?: IORedis;

  constructor(
    @Inject(CallOffsService) private readonly callOffs: CallOffsService,
    @Inject(INSTITUTIONAL_SETTINGS) private readonly settings: InstitutionalSettings,
    @Inject(INSTITUTIONAL_CLOCK) private readonly clock: Clock,
  ) {
    this.connection = new IORedis(settings.redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue(CALL_OFF_QUEUE, { connection: this.connection, prefix: settings.bullPrefix });
  }

  async onModuleInit(): Promise<void> {
    this.workerConnection = new IORedis(this.settings.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker(CALL_OFF_QUEUE, (job) => this.process(job), { connection: this.workerConnection, prefix: this.settings.bullPrefix, concurrency: 2 });
    this.worker.on('failed', (job, error) => this.logger.warn(`job ${job?.name} ${job?.id} failed: ${error.message}`));
    if (this.settings.jobs) {
      const opts = { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 100, removeOnFail: 500 };
      await this.queue.upsertJobScheduler('generate-horizon', { every: this.settings.generateEveryMs }, { name: 'generate', opts });
      await this.queue.upsertJobScheduler('close-due', { every: this.settings.cutoffSweepEveryMs }, { name: 'close-due', opts });
    }
  }

  async process(job: Job): Promise<unknown> {
    const now = this.clock.now();
    if (job.name === 'close-due') return { closed: await this.callOffs.closeDue(now) };
    if (job.name === 'generate') {
      const date = (job.data as { date?: string })?.date;
      if (date && isLocalDate(date)) return this.callOffs.generateForDate(date, now);
      const reports = [];
      const today = shanghaiDate(now);
      for (let i = 0; i <= this.settings.horizonDays; i++) reports.push(await this.callOffs.generateForDate(addDays(today, i), now));
      return reports;
    }
    throw new Error(`unknown job ${job.name}`);
  }

  /** Queues the generation of one date; the job id is per date, so repeated clicks queue it once while pending. */
  async enqueueGeneration(date: string): Promise<string> {
    const job = await this.queue.add('generate', { date }, { jobId: `generate-${date}-${Math.floor(this.clock.now().getTime() / 60_000)}`, attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 100, removeOnFail: 500 });
    return job.id as string;
  }

  /** Waits for a queued job (tests, the seed). */
  async waitFor(jobId: string, timeoutMs = 60_000): Promise<unknown> {
    if (!this.events) {
      this.eventsConnection = new IORedis(this.settings.redisUrl, { maxRetriesPerRequest: null });
      this.events = new QueueEvents(CALL_OFF_QUEUE, { connection: this.eventsConnection, prefix: this.settings.bullPrefix });
    }
    await this.events.waitUntilReady();
    const job = await this.queue.getJob(jobId);
    if (!job) throw new Error(`job ${jobId} not found`);
    return job.waitUntilFinished(this.events, timeoutMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.events?.close();
    await this.eventsConnection?.quit().catch(() => undefined);
    await this.queue.close();
    await this.workerConnection?.quit().catch(() => undefined);
    await this.connection.quit().catch(() => undefined);
  }
}
