import { Controller, Inject } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Connection } from 'mongoose';
import { EVENT_TYPES, Inbox, Outbox, type EventEnvelope } from '@techan/common';
import { INSTITUTIONAL_CLOCK, type Clock } from '../institutional.tokens';
import { CallOffSaga } from './call-off-saga.service';

/**
 * Call-offs' event handlers. Their own inbox consumer name, so that retail checkout's handlers of the
 * same events (same service, same event ids) do not see these as already processed.
 */
@Controller()
export class CallOffsConsumer {
  private readonly inbox: Inbox;

  constructor(
    @InjectConnection() connection: Connection,
    @Inject(CallOffSaga) private readonly saga: CallOffSaga,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(INSTITUTIONAL_CLOCK) private readonly clock: Clock,
  ) {
    this.inbox = new Inbox(connection, 'orders.institutional');
  }

  private async once(event: EventEnvelope, work: Parameters<Inbox['once']>[1]): Promise<void> {
    if (await this.inbox.once(event, work)) this.outbox.kick();
  }

  @EventPattern(EVENT_TYPES.StockReserved)
  onStockReserved(@Payload() event: EventEnvelope) {
    return this.once(event, (s) => this.saga.onStockReserved(event.data, s, this.clock.now()));
  }

  @EventPattern(EVENT_TYPES.StockRejected)
  onStockRejected(@Payload() event: EventEnvelope) {
    return this.once(event, (s) => this.saga.onStockRejected(event.data, s, this.clock.now()));
  }

  @EventPattern(EVENT_TYPES.ShipmentDelivered)
  onShipmentDelivered(@Payload() event: EventEnvelope) {
    return this.once(event, (s) => this.saga.onShipmentDelivered(event.data, s, this.clock.now()));
  }

  @EventPattern(EVENT_TYPES.ItemsRejected)
  onItemsRejected(@Payload() event: EventEnvelope) {
    return this.once(event, (s) => this.saga.onItemsRejected(event.data, s, this.clock.now()));
  }

  /** Re-reviews are idempotent by nature (they converge on the current state): no inbox needed. */
  @EventPattern(EVENT_TYPES.ProductStatusChanged)
  async onProductStatus(@Payload() event: EventEnvelope) {
    await this.saga.onProductStatus(event.data, this.clock.now());
  }
}
