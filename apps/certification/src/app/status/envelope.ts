import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, ProductStatusChangedV1 } from '@techan/common';

/**
 * The CloudEvents-style envelope of DESIGN.md §3 for our one published event type.
 * (Switch to libs/common's createEvent once it is exported from @techan/common.)
 */
export interface StatusEventEnvelope {
  specversion: '1.0';
  id: string;
  type: typeof EVENT_TYPES.ProductStatusChanged;
  source: string;
  subject: string;
  time: string;
  data: ProductStatusChangedV1;
}

export function productStatusEvent(data: ProductStatusChangedV1, source: string, time: Date): StatusEventEnvelope {
  return {
    specversion: '1.0',
    id: randomUUID(),
    type: EVENT_TYPES.ProductStatusChanged,
    source,
    subject: data.productId,
    time: time.toISOString(),
    data: ProductStatusChangedV1.parse(data),
  };
}
