import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, ProductStatusChangedV1, type EventEnvelope } from '@techan/common';
import { CheckoutSaga } from './checkout.saga';

/**
 * The saga's event inputs. Catalog's replies are idempotent through the order's compare-and-set and
 * Stripe idempotency keys (a redelivery finds the order already moved). Certification status changes
 * are also consumed by the catalogue projection; this second handler stops or recalls the orders of a
 * product that became blocked. It needs no inbox: it calls Stripe (so cannot sit in a transaction),
 * and each stop is a compare-and-set with idempotent Stripe calls, so a redelivery changes nothing.
 */
@Controller()
export class CheckoutConsumer {
  constructor(@Inject(CheckoutSaga) private readonly saga: CheckoutSaga) {}

  @EventPattern(EVENT_TYPES.StockReserved)
  async onStockReserved(@Payload() event: EventEnvelope) {
    await this.saga.onStockReserved(event.data);
  }

  @EventPattern(EVENT_TYPES.StockRejected)
  async onStockRejected(@Payload() event: EventEnvelope) {
    await this.saga.onStockRejected(event.data);
  }

  @EventPattern(EVENT_TYPES.ProductStatusChanged)
  async onProductStatusChanged(@Payload() event: EventEnvelope) {
    const data = ProductStatusChangedV1.parse(event.data);
    // Judged on the certificates carried (the projection is updated by its own handler, concurrently).
    await this.saga.onProductStatus(data.productId, data.certificates);
  }
}
