import { EVENT_TYPES } from '@techan/common';
import type { ServiceDefinition } from '@techan/common';
import { z } from 'zod';

/** The certification service as the shared plumbing sees it; its own settings come from these variables. */
export const CERTIFICATION_SERVICE: ServiceDefinition = {
  name: 'certification',
  defaultPort: 3004,
  publishes: [EVENT_TYPES.ProductStatusChanged],
  extraConfig: {
    /** Public base URL printed in QR codes (GS1 Digital Link style). */
    VERIFY_BASE_URL: z.url().default('http://127.0.0.1:3004'),
    VERIFY_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /** Sweeper period for time-driven transitions; 0 disables it (tests drive it by hand). */
    SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
    /** Public verify requests per minute per client. */
    VERIFY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(120),
  },
};
