import { z } from 'zod';
import { EVENT_TYPES, type ServiceDefinition } from '@techan/common';

export const ORDERS_SERVICE: ServiceDefinition = {
  name: 'orders',
  defaultPort: 3002,
  publishes: [
    EVENT_TYPES.OrderPlaced,
    EVENT_TYPES.OrderCancelled,
    EVENT_TYPES.OrderPaid,
    EVENT_TYPES.OrderRefunded,
    EVENT_TYPES.DeliveryRequested,
    EVENT_TYPES.ComplaintConfirmed,
  ],
  extraConfig: {
    /** Stripe's API (test or live key). Unset: STRIPE_API_URL must name the local stand-in. */
    STRIPE_SECRET_KEY: z.string().startsWith('sk_').optional(),
    /** The Stripe stand-in's base URL (local stack and tests), used only without STRIPE_SECRET_KEY. */
    STRIPE_API_URL: z.url().optional(),
    /** The webhook endpoint's signing secret (whsec_…); webhooks are refused while it is empty. */
    STRIPE_WEBHOOK_SECRET: z.string().default(''),
    /**
     * Certification's base URL (its public `GET /products/:id/status`): asked before money moves, because
     * the status events reach this service later than the certifier's decision. Unreachable → no capture.
     */
    CERTIFICATION_URL: z.url(),
    CERTIFICATION_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
    /** Where the shopper's browser comes back after paying (the web front end's origin). */
    PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:3002'),
    /** Checkout saga timeout: unpaid orders are cancelled and their stock released after it. */
    CHECKOUT_TIMEOUT_MS: z.coerce.number().int().positive().default(30 * 60_000),
    /** How often the saga's sweeper looks for timed-out orders and unapplied webhook events (0 = off). */
    CHECKOUT_SWEEP_MS: z.coerce.number().int().nonnegative().default(5_000),
    // Institutional call-offs: run the BullMQ schedulers (generation, cut-off sweep) in this process.
    INSTITUTIONAL_JOBS: z.enum(['on', 'off']).default('on'),
    // Generate call-offs for delivery dates up to this many days ahead (each exists well before its cut-off).
    INSTITUTIONAL_HORIZON_DAYS: z.coerce.number().int().min(0).max(31).default(3),
  },
};
