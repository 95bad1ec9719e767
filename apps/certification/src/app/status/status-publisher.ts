import { Injectable, NotFoundException } from '@nestjs/common';
import { EVENT_TYPES, Outbox } from '@techan/common';
import type { EventEnvelope, ProductStatusChangedV1 } from '@techan/common';
import type { ClientSession } from 'mongoose';
import { buildProductStatusChanged } from '../../domain';
import { Stores } from '../persistence/stores';

/**
 * Publishes a product's status inside the transaction that changed it: takes the next per-product
 * version, reads the product's certificates as the transaction sees them, and puts the event in
 * the outbox. Versions therefore follow commit order, and the event always matches the data.
 */
@Injectable()
export class StatusPublisher {
  constructor(
    private readonly stores: Stores,
    private readonly outbox: Outbox,
  ) {}

  async publish(productId: string, reason: string, at: Date, session: ClientSession): Promise<EventEnvelope<ProductStatusChangedV1>> {
    const product = await this.stores.nextStatusVersion(productId, session);
    if (!product) throw new NotFoundException(`产品 ${productId} 未登记`);
    const certificates = await this.stores.certificates.find({ productId }, { session });
    const data = buildProductStatusChanged(
      { productId, merchantId: product.merchantId, productName: product.name },
      certificates.map((c) => c.value),
      product.statusVersion,
      at,
      reason,
    );
    return this.outbox.record(session, EVENT_TYPES.ProductStatusChanged, productId, data);
  }
}
