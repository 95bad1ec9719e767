import type { ClientSession } from 'mongoose';
import type { EventType } from '@techan/common';

/**
 * Where the catalogue's outgoing events go. The production binding writes them to the transactional
 * outbox (same MongoDB transaction as the state change when a session is given) and the relay puts
 * them on the bus.
 */
export const CATALOG_EVENTS = Symbol('CATALOG_EVENTS');
export interface CatalogEventPublisher {
  publish(type: EventType, subject: string, data: unknown, session?: ClientSession): Promise<void>;
}
