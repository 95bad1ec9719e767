import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, Inbox, Outbox, type EventEnvelope } from '@techan/common';
import { CertificationProjection } from './certification-projection.service';
import { StockService } from './stock.service';

/**
 * The catalogue's event consumers. Envelopes arrive validated; a thrown error means retry, then the
 * dead-letter stream.
 */
@Controller()
export class CatalogEventsController {
  private readonly logger = new Logger(CatalogEventsController.name);

  constructor(
    @Inject(CertificationProjection) private readonly projection: CertificationProjection,
    @Inject(StockService) private readonly stock: StockService,
    @Inject(Inbox) private readonly inbox: Inbox,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  /** Inbox + version guard, in one transaction. */
  @EventPattern(EVENT_TYPES.ProductStatusChanged)
  async onProductStatusChanged(@Payload() event: EventEnvelope) {
    let applied = false;
    await this.inbox.once(event, async (session) => {
      applied = await this.projection.apply(event.data, session);
    });
    if (!applied) this.logger.debug(`status event ${event.id} was a duplicate or stale`);
  }

  /**
   * No inbox transaction here on purpose: the per-line stock updates must commit one by one (a
   * transaction holding 100 competing orders' writes would conflict and retry). Idempotency comes
   * from the reservation keyed by order id and the per-order holds; the events go through the outbox.
   */
  @EventPattern(EVENT_TYPES.OrderPlaced)
  async onOrderPlaced(@Payload() event: EventEnvelope) {
    await this.stock.onOrderPlaced(event.data);
    this.outbox.kick();
  }

  /** Paid: held units become sold (idempotent; refused for a product blocked meanwhile). */
  @EventPattern(EVENT_TYPES.OrderPaid)
  async onOrderPaid(@Payload() event: EventEnvelope) {
    await this.stock.onOrderPaid(event.data);
  }

  @EventPattern(EVENT_TYPES.OrderCancelled)
  async onOrderCancelled(@Payload() event: EventEnvelope) {
    await this.stock.onOrderCancelled(event.data);
  }
}
