import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask, SERVICE_CONFIG, type ServiceConfig } from '@techan/common';
import { CheckoutSaga } from './checkout.saga';

/**
 * The saga's clock: every CHECKOUT_SWEEP_MS it stops orders past their deadline (releasing stock,
 * expiring the payment page, cancelling an authorisation), creates payment pages that could not be
 * created when the stock was reserved, and captures (or cancels) authorisations left uncaptured. Safe with several instances: every step is a compare-and-set or an idempotent Stripe call.
 */
@Injectable()
export class CheckoutSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task = new PeriodicTask(
    'checkout sweep',
    async () => {
      const timedOut = await this.saga.sweepTimeouts();
      const pages = await this.saga.createMissingSessions();
      const stalled = await this.saga.captureStalled();
      const done = [
        timedOut ? `stopped ${timedOut} timed-out orders` : '',
        pages ? `created ${pages} payment pages not created earlier (Stripe or certification out)` : '',
        stalled ? `looked again at ${stalled} authorised payments not captured yet` : '',
      ].filter(Boolean);
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
