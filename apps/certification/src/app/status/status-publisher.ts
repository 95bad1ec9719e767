import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ClientSession } from 'mongoose';
import { buildProductStatusChanged } from '../../domain';
import { Stores } from '../persistence/stores';
import { STATUS_OUTBOX } from '../tokens';
import { productStatusEvent } from './envelope';
import type { StatusEventEnvelope } from './envelope';
import type { StatusOutbox } from '../tokens';

export const EVENT_SOURCE = 'techan.certification';

/**
 * Publishes a product's status inside the transaction that changed it: takes the next per-product
 * version, reads the product's certificates as the transaction sees them, and puts the event in
 * the outbox. Versions therefore follow commit order, and the event always matches the data.
 */
@Injectable()
export class StatusPublisher {
  constructor(
    private readonly stores: Stores,
    @Inject(STATUS_OUTBOX) private readonly outbox: StatusOutbox,
  ) {}

  async publish(productId: string, reason: string, at: Date, session: ClientSession): Promise<StatusEventEnvelope> {
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
    const event = productStatusEvent(data, EVENT_SOURCE, at);
    await this.outbox.enqueue(event, session);
    return event;
  }
}
