import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask, SERVICE_CONFIG, type ServiceConfig } from '@techan/common';
import { StockService } from './stock.service';

/**
 * The saga's timeout: every RESERVATION_SWEEP_MS, releases reservations past their end and holds left
 * by a crash. Safe with several instances (each release is a conditional status change).
 */
@Injectable()
export class ReservationSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task = new PeriodicTask(
    'reservation sweep',
    async () => {
      const expired = await this.stock.releaseExpired();
      const orphans = await this.stock.releaseOrphanHolds();
      return expired || orphans ? `released ${expired} expired reservations and ${orphans} orphaned holds` : undefined;
    },
    new Logger(ReservationSweeper.name),
  );

  constructor(
    @Inject(StockService) private readonly stock: StockService,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(Number(this.config['RESERVATION_SWEEP_MS'] ?? 0));
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  sweep(): Promise<void> {
    return this.task.runOnce();
  }
}
