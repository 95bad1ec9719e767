import { z } from 'zod';
import { EVENT_TYPES, type ServiceDefinition } from '@techan/common';

export const ORDERS_SERVICE: ServiceDefinition = {
  name: 'orders',
  defaultPort: 3002,
  publishes: [EVENT_TYPES.OrderPlaced, EVENT_TYPES.OrderCancelled, EVENT_TYPES.OrderPaid, EVENT_TYPES.DeliveryRequested],
  extraConfig: {
    // Institutional call-offs: run the BullMQ schedulers (generation, cut-off sweep) in this process.
    INSTITUTIONAL_JOBS: z.enum(['on', 'off']).default('on'),
    // Generate call-offs for delivery dates up to this many days ahead (each exists well before its cut-off).
    INSTITUTIONAL_HORIZON_DAYS: z.coerce.number().int().min(0).max(31).default(3),
  },
};
