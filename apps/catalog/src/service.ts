import { z } from 'zod';
import { EVENT_TYPES, type ServiceDefinition } from '@techan/common';

export const CATALOG_SERVICE: ServiceDefinition = {
  name: 'catalog',
  defaultPort: 3001,
  apiPrefix: '/catalog',
  publishes: [EVENT_TYPES.StockReserved, EVENT_TYPES.StockRejected, EVENT_TYPES.StockReleased, EVENT_TYPES.ProductUpserted, EVENT_TYPES.MerchantUpserted],
  extraConfig: {
    /** How often expired reservations and orphaned holds are released (saga timeout); 0 turns it off. */
    RESERVATION_SWEEP_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  },
};
