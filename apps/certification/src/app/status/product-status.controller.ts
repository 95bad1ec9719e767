import { Controller, Get, Header, Inject, NotFoundException, Param } from '@nestjs/common';
import { Public, type ProductStatusChangedV1 } from '@techan/common';
import { buildProductStatusChanged, type Clock } from '../../domain';
import { Stores } from '../persistence/stores';
import { CLOCK } from '../tokens';

/**
 * A product's certification status as of now, read from this service's own records: the authority
 * other services ask at the moment money moves (orders before capturing a card), because their
 * projections of the status events lag the certifier's decision. Public like the verify pages — the
 * same facts a shopper sees on a label — and never cached.
 */
@Public()
@Controller('products')
export class ProductStatusController {
  constructor(
    private readonly stores: Stores,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':productId/status')
  @Header('cache-control', 'no-store')
  async status(@Param('productId') productId: string): Promise<ProductStatusChangedV1> {
    const product = await this.stores.product(productId);
    if (!product) throw new NotFoundException(`产品 ${productId} 未登记`);
    // Version 0: registered, but no certificate was ever recorded (every change publishes a version).
    if (product.statusVersion === 0) throw new NotFoundException(`产品 ${productId} 尚无认证记录`);
    const certificates = await this.stores.certificates.find({ productId });
    return buildProductStatusChanged(
      { productId, merchantId: product.merchantId, productName: product.name },
      certificates.map((c) => c.value),
      product.statusVersion,
      this.clock.now(),
    );
  }
}
