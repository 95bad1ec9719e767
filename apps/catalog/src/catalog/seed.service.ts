import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { CertificateSnapshot, ProductStatusChangedV1 } from '@techan/common';
import { DEMO_MERCHANTS, DEMO_PRODUCTS, demoPriceHistory, demoProductBody, parseInput, ProductInput, type DemoCertificate, type DemoProduct } from '../domain';
import { MERCHANT, PRICE_CHANGE, PRODUCT, type MerchantDoc, type PriceChangeDoc, type ProductDoc } from '../persistence/schemas';
import { CertificationProjection } from './certification-projection.service';
import { CLOCK, type Clock } from './clock';
import { ProductsService } from './products.service';

const MONTH_MS = 30 * 86_400_000;

/** Stable ids for demo rows, so seeding twice changes nothing and other services can refer to them. */
export const demoProductId = (key: string) => `p_demo${key.replace(/[^a-z0-9]/g, '')}`;
export const demoSkuId = (key: string, code: string) => `s_demo${key.replace(/[^a-z0-9]/g, '')}${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
export const demoMerchantId = (key: string) => `m_demo${key.replace(/[^a-z0-9]/g, '')}`;
/** Demo accounts (JWT subjects) owning the demo enterprises. */
export const demoOwnerId = (key: string) => `demo-merchant-${key}`;

export function demoCertificates(p: DemoProduct, now: Date): CertificateSnapshot[] {
  return p.certificates.map((c: DemoCertificate, i) => {
    const status = c.status ?? 'active';
    return {
      certificateId: `cert-demo-${p.key}-${i + 1}`,
      mark: c.mark,
      ...(c.level ? { level: c.level } : {}),
      ...(c.mark === 'otop' && (c.level ?? 0) >= 3 ? { number: `OTOP-440783-${String(i + 1).padStart(2, '0')}-${p.key.length}${i}` } : {}),
      status,
      colour: status === 'red_warning' ? 'red' : status === 'yellow_warning' ? 'yellow' : ['active', 'inspection_due'].includes(status) ? 'green' : 'grey',
      validFrom: new Date(now.getTime() + (c.fromMonths ?? -6) * MONTH_MS).toISOString(),
      validUntil: new Date(now.getTime() + (c.untilMonths ?? 18) * MONTH_MS).toISOString(),
    };
  });
}

@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    @InjectModel(MERCHANT) private readonly merchants: Model<MerchantDoc>,
    @InjectModel(PRODUCT) private readonly products: Model<ProductDoc>,
    @InjectModel(PRICE_CHANGE) private readonly priceChanges: Model<PriceChangeDoc>,
    @Inject(ProductsService) private readonly productService: ProductsService,
    @Inject(CertificationProjection) private readonly projection: CertificationProjection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Loads demo merchants, products (with stock and a 30-day price history) and their certification status. Idempotent. */
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
      merchants += res.upsertedCount;
    }
    const history = demoPriceHistory(now, 30);
    let products = 0;
    for (const p of DEMO_PRODUCTS) {
      const productId = demoProductId(p.key);
      // Certification status first, as the certification service would have published it.
      const event: ProductStatusChangedV1 = {
        productId,
        merchantId: demoMerchantId(p.merchant),
        productName: p.nameZh,
        version: 1,
        certificates: demoCertificates(p, now),
        purchasable: true,
        changedAt: now.toISOString(),
      };
      await this.projection.apply(event);
      if (await this.products.exists({ _id: productId })) continue;
      const { key, merchant } = p;
      // The certificates are the certification service's business (applied above), not product input.
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
