import { EVENT_TYPES, type ServiceDefinition } from '@techan/common';

export const ORDERS_SERVICE: ServiceDefinition = {
  name: 'orders',
  defaultPort: 3002,
  publishes: [EVENT_TYPES.OrderPlaced, EVENT_TYPES.OrderCancelled],
};
