import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type Stripe from 'stripe';
import { PeriodicTask, SERVICE_CONFIG, type ServiceConfig } from '@techan/common';
import { CheckoutSaga } from '../checkout/checkout.saga';
import { STRIPE_EVENT, type StripeEventDoc } from '../persistence/stripe-event.schema';

/** The Stripe events the saga listens to; anything else is acknowledged and ignored. */
export const HANDLED_EVENTS = new Set([
  'checkout.session.completed',
  'checkout.session.expired',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'payment_intent.amount_capturable_updated',
  'payment_intent.succeeded',
  'payment_intent.canceled',
  'payment_intent.payment_failed',
]);

function orderIdOf(event: Stripe.Event): string | undefined {
  const object = event.data.object as { client_reference_id?: string | null; metadata?: Record<string, string> | null };
  return object.metadata?.['orderId'] ?? object.client_reference_id ?? undefined;
}

/**
 * Received webhook events: stored once per event id (the unique _id is the dedupe), applied after the
 * HTTP reply so Stripe never waits on our work, and retried by the checkout sweeper if applying
 * failed or the process died in between. Applying means `CheckoutSaga.reconcile(order)`, which reads
 * Stripe's current state: the event only says which order to look at.
 */
@Injectable()
export class PaymentEvents implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PaymentEvents.name);
  private readonly inFlight = new Set<Promise<void>>();
  /** Re-applies events whose work failed or was cut off by a crash. */
  private readonly retrySweep = new PeriodicTask(
    'webhook retry sweep',
    async () => {
      const retried = await this.applyPending();
      return retried ? `retried ${retried} unapplied webhook events` : undefined;
    },
    this.logger,
  );

  constructor(
    @InjectModel(STRIPE_EVENT) private readonly events: Model<StripeEventDoc>,
    @Inject(CheckoutSaga) private readonly saga: CheckoutSaga,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.retrySweep.start(Number(this.config['CHECKOUT_SWEEP_MS'] ?? 0));
  }

  /** Records the event; returns false when this event id was received before. */
  async receive(event: Stripe.Event): Promise<boolean> {
    const orderId = HANDLED_EVENTS.has(event.type) ? orderIdOf(event) : undefined;
    try {
      await this.events.create({ _id: event.id, type: event.type, ...(orderId ? { orderId } : {}), receivedAt: new Date(), appliedAt: orderId ? null : new Date(), attempts: 0 });
    } catch (e) {
      if ((e as { code?: number }).code === 11000) return false;
      throw e;
    }
    if (orderId) this.applySoon(event.id);
    return true;
  }

  private applySoon(eventId: string): void {
    // Nobody awaits this work: a failure that escaped (the store down, even for recording the error)
    // would be an unhandled rejection and end the process. The retry sweep applies the event later.
    const run = this.apply(eventId)
      .catch((e: unknown) => this.logger.warn(`webhook event ${eventId} left for the retry sweep: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  async apply(eventId: string): Promise<void> {
    const doc = await this.events.findById(eventId).lean<StripeEventDoc>().exec();
    if (!doc || doc.appliedAt || !doc.orderId) return;
    try {
      await this.saga.reconcile(doc.orderId);
      await this.events.updateOne({ _id: eventId }, { $set: { appliedAt: new Date() }, $inc: { attempts: 1 } });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.logger.warn(`webhook event ${eventId} (${doc.type}) for ${doc.orderId} not applied yet: ${message}`);
      await this.events.updateOne({ _id: eventId }, { $set: { lastError: message.slice(0, 500) }, $inc: { attempts: 1 } });
    }
  }

  /** Events received but not applied (a failure or a crash after the reply). */
  async applyPending(olderThanMs = 2_000, limit = 100): Promise<number> {
    const due = await this.events
      .find({ appliedAt: null, receivedAt: { $lte: new Date(Date.now() - olderThanMs) }, attempts: { $lt: 20 } }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    for (const e of due) await this.apply(e._id);
    return due.length;
  }

  /** Lets the work of replied webhooks finish before shutdown. */
  async onModuleDestroy(): Promise<void> {
    await this.retrySweep.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
