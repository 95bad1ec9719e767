import { startStripeStandin, type RunningStripeStandin } from '@techan/stripe-standin';

export type { RunningStripeStandin };

/** The webhook secret orders and the stand-in share in tests and the local start (not a real Stripe secret). */
export const STANDIN_WEBHOOK_SECRET = 'whsec_techan_local_standin';

/**
 * Payments for a test: Stripe itself when STRIPE_SECRET_KEY is set (then STRIPE_WEBHOOK_SECRET must be
 * set too, and webhooks must reach the service some other way), else a fresh stand-in. `env` goes to
 * the orders service; call `hook(url)` once the service listens so the stand-in delivers webhooks to it.
 */
export async function startTestPayments(): Promise<{
  env: Record<string, string>;
  standin?: RunningStripeStandin;
  hook(webhookUrl: string): void;
  stop(): Promise<void>;
}> {
  const key = process.env['STRIPE_SECRET_KEY'];
  if (key) {
    return { env: { STRIPE_SECRET_KEY: key, STRIPE_WEBHOOK_SECRET: process.env['STRIPE_WEBHOOK_SECRET'] ?? '' }, hook: () => undefined, stop: async () => undefined };
  }
  const standin = await startStripeStandin({ retryBaseMs: 50 });
  return {
    env: { STRIPE_API_URL: standin.url, STRIPE_WEBHOOK_SECRET: STANDIN_WEBHOOK_SECRET },
    standin,
    hook: (url) => void standin.addWebhook(url, STANDIN_WEBHOOK_SECRET),
    stop: () => standin.stop(),
  };
}
