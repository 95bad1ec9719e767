import { EVENT_TYPES, type ServiceDefinition } from '@techan/common';
import { z } from 'zod';

export const LOGISTICS_SERVICE: ServiceDefinition = {
  name: 'logistics',
  defaultPort: 3003,
  publishes: [EVENT_TYPES.ShipmentPlanned, EVENT_TYPES.ShipmentDispatched, EVENT_TYPES.ShipmentDelivered, EVENT_TYPES.ShipmentHeld, EVENT_TYPES.ItemsRejected],
  extraConfig: {
    /** How long a compartment may be out of its range before it is an excursion (minutes). */
    EXCURSION_FROZEN_MINUTES: z.coerce.number().positive().default(10),
    EXCURSION_CHILLED_MINUTES: z.coerce.number().positive().default(10),
    EXCURSION_HOT_MINUTES: z.coerce.number().positive().default(5),
  },
};
