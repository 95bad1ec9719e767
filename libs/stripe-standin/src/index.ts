export { startStripeStandin } from './lib/server';
export type { RunningStripeStandin, StripeStandinOptions } from './lib/server';
export { signPayload } from './lib/webhooks';
export type { DeliveryAttempt, WebhookEndpoint } from './lib/webhooks';
export { TEST_CARDS } from './lib/engine';
export type { CheckoutSession, PaymentIntent, PayInput, PayOutcome, Refund, StripeEvent } from './lib/engine';
