import { Schema } from 'mongoose';

export const STRIPE_EVENT = 'StripeEvent';

/** A received Stripe webhook event: stored once per event id, applied after the reply (see PaymentsWebhookController). */
export interface StripeEventDoc {
  _id: string; // evt_…
  type: string;
  orderId?: string;
  receivedAt: Date;
  appliedAt?: Date | null;
  attempts: number;
  lastError?: string;
}

export const StripeEventSchema = new Schema<StripeEventDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    orderId: String,
    receivedAt: { type: Date, required: true },
    appliedAt: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    lastError: String,
  },
  { collection: 'stripe_events', versionKey: false },
);
// The retry sweep looks for received events not yet applied.
StripeEventSchema.index({ appliedAt: 1, receivedAt: 1 });
