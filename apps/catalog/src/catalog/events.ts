import type { ClientSession } from 'mongoose';
import type { EventType, Outbox } from '@techan/common';

/**
 * Where the catalogue's outgoing events go. In the service it is the transactional outbox: `transaction`
 * runs the state change and `publish(…, session)` in one MongoDB transaction, so an event exists iff
 * its change committed; the relay then puts it on the bus.
 */
export const CATALOG_EVENTS = Symbol('CATALOG_EVENTS');
export interface CatalogEventPublisher {
  publish(type: EventType, subject: string, data: unknown, session?: ClientSession): Promise<void>;
  transaction<R>(work: (session?: ClientSession) => Promise<R>): Promise<R>;
}

export class OutboxEventPublisher implements CatalogEventPublisher {
  constructor(private readonly outbox: Outbox) {}

  async publish(type: EventType, subject: string, data: unknown, session?: ClientSession): Promise<void> {
    if (session) await this.outbox.record(session, type, subject, data);
    else await this.outbox.transaction((s) => this.outbox.record(s, type, subject, data));
  }

  transaction<R>(work: (session?: ClientSession) => Promise<R>): Promise<R> {
    return this.outbox.transaction((s) => work(s));
  }
}
