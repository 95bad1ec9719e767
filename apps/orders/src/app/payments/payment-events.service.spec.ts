import type { Model } from 'mongoose';
import type Stripe from 'stripe';
import type { ServiceConfig } from '@techan/common';
import type { CheckoutSaga } from '../checkout/checkout.saga';
import type { StripeEventDoc } from '../persistence/stripe-event.schema';
import { PaymentEvents } from './payment-events.service';

/**
 * Applying a webhook after the reply must never reject unhandled: with MongoDB unreachable the
 * failure (even recording it) used to escape as an unhandled rejection and end the process (found by
 * `npm run chaos`, seed 2: orders died when the MongoDB stand-in was killed).
 */
describe('PaymentEvents with the store down after the reply', () => {
  it('keeps the failure inside (the retry sweep applies the event later)', async () => {
    const down = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:27017'));
    const events = {
      create: async () => ({}),
      findById: () => ({ lean: () => ({ exec: down }) }),
      updateOne: down,
    } as unknown as Model<StripeEventDoc>;
    const saga = { reconcile: down } as unknown as CheckoutSaga;
    const service = new PaymentEvents(events, saga, {} as ServiceConfig);
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const event = { id: 'evt_1', type: 'checkout.session.completed', data: { object: { metadata: { orderId: 'o-1' } } } } as unknown as Stripe.Event;
      await expect(service.receive(event)).resolves.toBe(true);
      await service.idle();
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
