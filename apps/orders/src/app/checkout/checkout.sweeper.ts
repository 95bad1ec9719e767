import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@techan/common';
import { CheckoutSaga } from './checkout.saga';

/**
 * The saga's clock: every CHECKOUT_SWEEP_MS it stops orders past their deadline (releasing stock,
 * expiring the payment page, cancelling an authorisation). Safe with several instances: every step is a compare-and-set or an idempotent Stripe call.
 */
@Injectable()
export class CheckoutSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CheckoutSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(CheckoutSaga) private readonly saga: CheckoutSaga,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = Number(this.config['CHECKOUT_SWEEP_MS'] ?? 0);
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
      const timedOut = await this.saga.sweepTimeouts();
      if (timedOut) this.logger.log(`stopped ${timedOut} timed-out orders`);
    } catch (e) {
      this.logger.error(`checkout sweep failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
