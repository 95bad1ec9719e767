import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ComplaintConfirmedV1, EVENT_TYPES, type EventEnvelope } from '@techan/common';
import type { Actor, Clock } from '../../domain';
import { CLOCK } from '../tokens';
import { ProductsService } from '../products/products.service';

/**
 * Consumer complaints (消费维权) and 假一赔廿 claims confirmed by the brand's operator in orders become
 * incidents on the enterprise's records: a major one breaks the complaint-free period eligibility
 * looks at, and (as for any confirmed major complaint) puts the product under a red warning for review.
 * Idempotent: the incident id is derived from the complaint, and recording it again replaces it.
 */
@Controller()
export class ComplaintsConsumer {
  /** Orders' confirmations are recorded on the certifiers' behalf (the operator investigated them). */
  private static readonly ACTOR: Actor = { role: 'certifier', userId: 'system:orders-complaints' };

  constructor(
    @Inject(ProductsService) private readonly products: ProductsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @EventPattern(EVENT_TYPES.ComplaintConfirmed)
  async onComplaintConfirmed(@Payload() event: EventEnvelope) {
    const e = ComplaintConfirmedV1.parse(event.data);
    await this.products.addIncident(ComplaintsConsumer.ACTOR, e.merchantId, {
      id: `orders-complaint-${e.complaintId}`,
      productId: e.productId,
      kind: e.kind === 'safety' ? 'safety_incident' : 'complaint',
      severity: e.severity,
      // Never in the future by our clock (the service refuses that for incidents).
      occurredAt: new Date(Math.min(Date.parse(e.confirmedAt), this.clock.now().getTime())),
      outcome: 'confirmed',
    });
  }
}
