import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, Inbox, Outbox, type DeliveryRequestedV1, type EventEnvelope, type OrderCancelledV1 } from '@techan/common';
import { ShipmentsService } from './shipments.service';

/** Orders' delivery requests and cancellations, each applied once (inbox) in one transaction with its effects. */
@Controller()
export class DeliveryEventsConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly shipments: ShipmentsService,
  ) {}

  @EventPattern(EVENT_TYPES.DeliveryRequested)
  async onDeliveryRequested(@Payload() event: EventEnvelope<DeliveryRequestedV1>) {
    if (await this.inbox.once(event, (session) => this.shipments.onDeliveryRequested(session, event.data))) this.outbox.kick();
  }

  @EventPattern(EVENT_TYPES.OrderCancelled)
  async onOrderCancelled(@Payload() event: EventEnvelope<OrderCancelledV1>) {
    await this.inbox.once(event, (session) => this.shipments.onOrderCancelled(session, event.data));
  }
}
