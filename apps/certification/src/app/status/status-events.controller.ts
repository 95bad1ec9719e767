import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, Inbox } from '@techan/common';
import type { EventEnvelope, ProductStatusChangedV1, ProductUpsertedV1 } from '@techan/common';
import { ProductsService } from '../products/products.service';
import { VerifyCacheService } from '../verify/verify-cache.service';

/**
 * Events this service consumes: its own status events (to drop the verify cache on every replica's
 * shared Redis, whoever made the change — a timer, another instance, a replay) and catalog's
 * product registrations.
 */
@Controller()
export class StatusEventsController {
  private readonly logger = new Logger(StatusEventsController.name);

  constructor(
    private readonly verifyCache: VerifyCacheService,
    private readonly products: ProductsService,
    private readonly inbox: Inbox,
  ) {}

  @EventPattern(EVENT_TYPES.ProductStatusChanged)
  async onStatusChanged(@Payload() event: EventEnvelope<ProductStatusChangedV1>): Promise<void> {
    // Deleting a cache key is idempotent: no inbox needed, and a redelivery costs one DEL.
    await this.verifyCache.invalidate(event.data.productId);
  }

  @EventPattern(EVENT_TYPES.ProductUpserted)
  async onProductUpserted(@Payload() event: EventEnvelope<ProductUpsertedV1>): Promise<void> {
    await this.inbox.once(event, async () => {
      await this.products.onProductUpserted(event.data);
    });
    this.logger.debug?.(`product ${event.data.productId} registered from catalog`);
  }
}
