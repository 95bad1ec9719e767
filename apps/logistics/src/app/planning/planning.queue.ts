import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@techan/common';
import { Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { PlanRunner } from './plan-runner';

export const PLANNING_QUEUE = 'logistics-planning';

export type PlanningJob = { kind: 'solve'; planId: string } | { kind: 'cutoff'; depotId: string };

/**
 * Planning jobs on BullMQ: a job per plan (job id = plan id, so a plan is never solved twice at once)
 * and a cut-off scheduler per depot. One job at a time per process: the solver takes a whole core in
 * its worker thread; more replicas plan more depots in parallel.
 */
@Injectable()
export class PlanningQueue implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PlanningQueue.name);
  private readonly connection: IORedis;
  private readonly workerConnection: IORedis;
  readonly queue: Queue;
  private worker?: Worker;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    private readonly runner: PlanRunner,
  ) {
    this.prefix = `${config.EVENT_PREFIX}-bull`;
    this.connection = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.workerConnection = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(PLANNING_QUEUE, { connection: this.connection, prefix: this.prefix });
  }
  readonly prefix: string;

  onModuleInit(): void {
    this.worker = new Worker(PLANNING_QUEUE, (job: Job<PlanningJob>) => this.process(job), {
      connection: this.workerConnection,
      prefix: this.prefix,
      concurrency: 1,
      // A solve holds the job for up to its time limit; the lock is renewed meanwhile.
      lockDuration: 60_000,
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`planning job ${job?.id} failed: ${error.message}`));
  }

  async enqueue(planId: string): Promise<void> {
    await this.queue.add('solve', { kind: 'solve', planId } satisfies PlanningJob, { jobId: planId, attempts: 2, backoff: { type: 'fixed', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 1000 });
  }

  /** Plans the depot's day automatically every day at its cut-off (China time). */
  async scheduleCutoff(depotId: string, cutoff: string): Promise<void> {
    const [h, m] = cutoff.split(':').map(Number);
    await this.queue.upsertJobScheduler(`cutoff-${depotId}`, { pattern: `${m} ${h} * * *`, tz: 'Asia/Shanghai' }, { name: 'cutoff', data: { kind: 'cutoff', depotId } satisfies PlanningJob });
  }

  private async process(job: Job<PlanningJob>): Promise<unknown> {
    const data = job.data;
    if (data.kind === 'cutoff') return this.runner.planAtCutoff(data.depotId);
    return this.runner.run(data.planId, (p) => void job.updateProgress(p).catch(() => undefined));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    await Promise.all([this.connection.quit(), this.workerConnection.quit()].map((p) => p.catch(() => undefined)));
  }
}
