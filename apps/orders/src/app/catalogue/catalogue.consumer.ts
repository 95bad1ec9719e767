import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, Inbox, type EventEnvelope } from '@techan/common';
import { CatalogueStore } from './catalogue.store';

/** Keeps orders' catalogue projection current: once per event id (inbox), forward-only per product. */
@Controller()
export class CatalogueConsumer {
  constructor(
    @Inject(CatalogueStore) private readonly store: CatalogueStore,
    @Inject(Inbox) private readonly inbox: Inbox,
  ) {}

  @EventPattern(EVENT_TYPES.ProductUpserted)
  async onProductUpserted(@Payload() event: EventEnvelope) {
    await this.inbox.once(event, async (session) => {
      await this.store.applyListing(event.data, session);
    });
  }

  @EventPattern(EVENT_TYPES.ProductStatusChanged)
  async onProductStatusChanged(@Payload() event: EventEnvelope) {
    await this.inbox.once(event, async (session) => {
      await this.store.applyStatus(event.data, session);
    });
  }
}
