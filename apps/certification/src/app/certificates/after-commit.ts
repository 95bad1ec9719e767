import { Injectable, Logger } from '@nestjs/common';
import type { Certificate } from '../../domain';
import { TimerScheduler } from '../timers/timer-scheduler';
import { VerifyCacheService } from '../verify/verify-cache.service';

/**
 * Work that follows a committed certificate change: schedule its next timer and drop the cached
 * verify view. Both are best effort — the sweeper and the status event cover a failure here.
 */
@Injectable()
export class AfterCommit {
  private readonly logger = new Logger(AfterCommit.name);

  constructor(
    private readonly timers: TimerScheduler,
    private readonly verifyCache: VerifyCacheService,
  ) {}

  async certificateChanged(certificate: Certificate): Promise<void> {
    await Promise.all([
      this.timers.schedule(certificate).catch((e) => this.logger.warn(`scheduling timer for ${certificate.id} failed: ${String(e)}`)),
      this.verifyCache.invalidate(certificate.productId).catch((e) => this.logger.warn(`verify cache invalidation failed: ${String(e)}`)),
    ]);
  }
}
