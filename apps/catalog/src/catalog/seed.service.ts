import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DEMO_MERCHANTS, DEMO_PRODUCTS, demoPriceHistory, demoProductBody, parseInput, ProductInput } from '../domain';
import { MERCHANT, PRICE_CHANGE, PRODUCT, type MerchantDoc, type PriceChangeDoc, type ProductDoc } from '../persistence/schemas';
import { CLOCK, type Clock } from './clock';
import { MerchantsService } from './merchants.service';
import { ProductsService } from './products.service';

/** Stable ids for demo rows, so seeding twice changes nothing and other services can refer to them. */
export const demoProductId = (key: string) => `p_demo${key.replace(/[^a-z0-9]/g, '')}`;
export const demoSkuId = (key: string, code: string) => `s_demo${key.replace(/[^a-z0-9]/g, '')}${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
export const demoMerchantId = (key: string) => `m_demo${key.replace(/[^a-z0-9]/g, '')}`;
/** Demo accounts (JWT subjects) owning the demo enterprises. */
export const demoOwnerId = (key: string) => `demo-merchant-${key}`;

@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    @InjectModel(MERCHANT) private readonly merchants: Model<MerchantDoc>,
    @InjectModel(PRODUCT) private readonly products: Model<ProductDoc>,
    @InjectModel(PRICE_CHANGE) private readonly priceChanges: Model<PriceChangeDoc>,
    @Inject(ProductsService) private readonly productService: ProductsService,
    @Inject(MerchantsService) private readonly merchantService: MerchantsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Loads demo merchants (announced with merchant-upserted events, so other services know their
   * members) and products with stock and a 30-day price history. Idempotent. Certification status is
   * not loaded here: certification issues the demo certificates (its own seed) and the catalogue learns
   * them from its status events, like any other.
   */
  async seed(): Promise<{ merchants: number; products: number }> {
    const now = this.clock.now();
    let merchants = 0;
    for (const m of DEMO_MERCHANTS) {
      const res = await this.merchants.updateOne(
        { _id: demoMerchantId(m.key) },
        {
          $setOnInsert: {
            ownerId: demoOwnerId(m.key),
            name: m.name,
            creditCode: m.creditCode,
            licenceDocument: `doc:licences/demo/${m.key}.pdf`,
            town: m.town,
            contact: m.contact,
            status: m.status,
            submittedAt: new Date(now.getTime() - 10 * 86_400_000),
            ...(m.status === 'approved' ? { reviewedAt: new Date(now.getTime() - 8 * 86_400_000), reviewedBy: 'demo-operator' } : {}),
          },
        },
        { upsert: true },
      );
      if (res.upsertedCount) {
        const doc = await this.merchants.findById(demoMerchantId(m.key)).lean<MerchantDoc>().exec();
        if (doc) await this.merchantService.publishUpserted(doc, now);
      }
      merchants += res.upsertedCount;
    }
    const history = demoPriceHistory(now, 30);
    let products = 0;
    for (const p of DEMO_PRODUCTS) {
      const productId = demoProductId(p.key);
      if (await this.products.exists({ _id: productId })) continue;
      const { key, merchant } = p;
      const input = parseInput(ProductInput, demoProductBody(p));
      const skuIds = p.skus.map((s) => demoSkuId(key, s.code));
      const merchantName = DEMO_MERCHANTS.find((m) => m.key === merchant)?.name;
      await this.productService.insert(demoMerchantId(merchant), input, now, { productId, skuIds, merchantName });
      const past = history.filter((h) => h.productKey === key && h.at.getTime() < now.getTime());
      if (past.length) {
        await this.priceChanges.insertMany(
          past.map((h) => {
            const sku = p.skus.find((s) => s.code === h.skuCode);
            return { skuId: demoSkuId(key, h.skuCode), productId, categoryId: p.categoryId, priceFen: h.priceFen, netContent: sku?.netContent, at: h.at };
          }),
        );
      }
      products++;
    }
    this.logger.log(`seeded ${merchants} merchants and ${products} products`);
    return { merchants, products };
  }
}
