import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@techan/common';
import { StockService } from './stock.service';

/**
 * The saga's timeout: every RESERVATION_SWEEP_MS, releases reservations past their end and holds left
 * by a crash. Safe with several instances (each release is a conditional status change).
 */
@Injectable()
export class ReservationSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReservationSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(StockService) private readonly stock: StockService,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = Number(this.config['RESERVATION_SWEEP_MS'] ?? 0);
    if (!every) return;
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<void> {
    try {
      const expired = await this.stock.releaseExpired();
      const orphans = await this.stock.releaseOrphanHolds();
      if (expired || orphans) this.logger.log(`released ${expired} expired reservations and ${orphans} orphaned holds`);
    } catch (e) {
      this.logger.error(`reservation sweep failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
