import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask, SERVICE_CONFIG, type ServiceConfig } from '@techan/common';
import { CheckoutSaga } from './checkout.saga';

/**
 * The saga's clock: every CHECKOUT_SWEEP_MS it stops orders past their deadline (releasing stock,
 * expiring the payment page, cancelling an authorisation) and creates payment pages that Stripe could
 * not create when the stock was reserved. Safe with several instances: every step is a compare-and-set or an idempotent Stripe call.
 */
@Injectable()
export class CheckoutSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task = new PeriodicTask(
    'checkout sweep',
    async () => {
      const timedOut = await this.saga.sweepTimeouts();
      const pages = await this.saga.createMissingSessions();
      const done = [timedOut ? `stopped ${timedOut} timed-out orders` : '', pages ? `created ${pages} payment pages Stripe could not create earlier` : ''].filter(Boolean);
      return done.length ? done.join('; ') : undefined;
    },
    new Logger(CheckoutSweeper.name),
  );

  constructor(
    @Inject(CheckoutSaga) private readonly saga: CheckoutSaga,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(Number(this.config['CHECKOUT_SWEEP_MS'] ?? 0));
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  sweep(): Promise<void> {
    return this.task.runOnce();
  }
}
