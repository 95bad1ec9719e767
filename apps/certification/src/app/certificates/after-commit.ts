import { Injectable, Logger } from '@nestjs/common';
import type { Certificate } from '../../domain';
import { TimerScheduler } from '../timers/timer-scheduler';
import { VerifyCacheService } from '../verify/verify-cache.service';

/** How long a write waits for its Redis follow-up work before replying anyway. */
export const AFTER_COMMIT_WAIT_MS = 300;

/**
 * Work that follows a committed certificate change: schedule its next timer and drop the cached
 * verify view. The change is already committed, so a slow or unreachable Redis must not hold the
 * reply: we wait at most AFTER_COMMIT_WAIT_MS, and the work carries on (or fails) in the background.
 * Nothing is lost either way: the next transition is stored with the certificate (`nextDueAt`) and the
 * sweeper applies it; the status event (outbox → bus, retried until delivered) drops the cache entry
 * on every replica once Redis answers again.
 */
@Injectable()
export class AfterCommit {
  private readonly logger = new Logger(AfterCommit.name);

  constructor(
    private readonly timers: TimerScheduler,
    private readonly verifyCache: VerifyCacheService,
  ) {}

  async certificateChanged(certificate: Certificate): Promise<void> {
    const work = Promise.all([
      this.timers.schedule(certificate).catch((e) => this.logger.warn(`scheduling timer for ${certificate.id} failed (the sweeper will apply it): ${String(e)}`)),
      this.verifyCache.invalidate(certificate.productId).catch((e) => this.logger.warn(`verify cache invalidation failed (the status event will retry it): ${String(e)}`)),
    ]);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), AFTER_COMMIT_WAIT_MS)));
    const outcome = await Promise.race([work.then(() => 'done' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') this.logger.warn(`Redis slow or unreachable: replying before the timer and cache of ${certificate.id} are updated`);
  }
}
