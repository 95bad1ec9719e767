import { EVENT_TYPES, type ServiceDefinition } from '@techan/common';

export const LOGISTICS_SERVICE: ServiceDefinition = {
  name: 'logistics',
  defaultPort: 3003,
  publishes: [],
};
