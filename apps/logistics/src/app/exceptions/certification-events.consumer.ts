import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, Inbox, Outbox, type EventEnvelope, type ProductStatusChangedV1 } from '@techan/common';
import { RecallService } from './recall.service';

@Controller()
export class CertificationEventsConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly recalls: RecallService,
  ) {}

  @EventPattern(EVENT_TYPES.ProductStatusChanged)
  async onStatus(@Payload() event: EventEnvelope<ProductStatusChangedV1>) {
    if (await this.inbox.once(event, async (session) => void (await this.recalls.onStatusChanged(session, event.data)))) this.outbox.kick();
  }
}
