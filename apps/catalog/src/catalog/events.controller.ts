import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, type EventEnvelope } from '@techan/common';
import { CertificationProjection } from './certification-projection.service';
import { StockService } from './stock.service';

/**
 * The catalogue's event consumers (transport-agnostic @EventPattern handlers). Each handler is
 * idempotent on its own (version-ordered projection; reservations keyed by order id with per-order
 * holds), so at-least-once delivery and replays are harmless even before the inbox dedupes.
 * A thrown error leaves the message unacknowledged for retry, then the dead-letter stream.
 */
@Controller()
export class CatalogEventsController {
  private readonly logger = new Logger(CatalogEventsController.name);

  constructor(
    @Inject(CertificationProjection) private readonly projection: CertificationProjection,
    @Inject(StockService) private readonly stock: StockService,
  ) {}

  @EventPattern(EVENT_TYPES.ProductStatusChanged)
  async onProductStatusChanged(@Payload() event: EventEnvelope) {
    const applied = await this.projection.apply(event.data);
    if (!applied) this.logger.debug(`ignored stale ${event.type} ${event.id}`);
  }

  @EventPattern(EVENT_TYPES.OrderPlaced)
  async onOrderPlaced(@Payload() event: EventEnvelope) {
    await this.stock.onOrderPlaced(event.data);
  }

  @EventPattern(EVENT_TYPES.OrderCancelled)
  async onOrderCancelled(@Payload() event: EventEnvelope) {
    await this.stock.onOrderCancelled(event.data);
  }
}
