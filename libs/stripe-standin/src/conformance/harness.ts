import Stripe from 'stripe';
import { startStripeStandin, type RunningStripeStandin } from '../lib/server';

/**
 * The same suite runs against the stand-in and, with STRIPE_SECRET_KEY (a test-mode key) set, against
 * Stripe itself, so any divergence in what we rely on shows. Only calls both can serve are used here
 * (paying through the hosted page needs a browser on Stripe; that part is in the stand-in's own specs).
 */
export interface Target {
  stripe: Stripe;
  name: 'stand-in' | 'stripe';
  stop(): Promise<void>;
}

export async function openTarget(): Promise<Target> {
  const key = process.env['STRIPE_SECRET_KEY'];
  if (key) return { stripe: new Stripe(key, { maxNetworkRetries: 1 }), name: 'stripe', stop: async () => undefined };
  const standin: RunningStripeStandin = await startStripeStandin();
  return { stripe: new Stripe('sk_test_conformance', { ...standin.sdkOptions, maxNetworkRetries: 0 }), name: 'stand-in', stop: () => standin.stop() };
}

export const CNY_SESSION = {
  mode: 'payment' as const,
  allowed_payment_method_types: ['card' as const],
  line_items: [{ quantity: 2, price_data: { currency: 'cny', unit_amount: 12800, product_data: { name: '马冈鹅（整只，冰鲜）' } } }],
  payment_intent_data: { capture_method: 'manual' as const, metadata: { orderId: 'o-conformance' } },
  success_url: 'http://127.0.0.1/return?session_id={CHECKOUT_SESSION_ID}',
  cancel_url: 'http://127.0.0.1/cart',
  client_reference_id: 'o-conformance',
};
