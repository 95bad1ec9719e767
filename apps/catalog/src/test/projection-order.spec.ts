import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { ProductStatusChangedV1 } from '@techan/common';
import { CertificationProjection } from '../catalog/certification-projection.service';
import { SeedService, demoMerchantId, demoProductId } from '../catalog/seed.service';
import { DEMO_PRODUCTS } from '../domain';
import { startHarness, type Harness } from './harness';

/**
 * The listing row's copy of a product's certification status never goes back in version, even when
 * the first two status events of a product are applied at the same time and the older one is a step
 * ahead (as two consumers after a rebalance, or an operator's replay beside a running consumer).
 */
describe('catalog: certification projection under concurrent first events', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.app.get(SeedService).seed();
  }, 60_000);
  afterAll(() => h?.close());

  const statusOf = (key: string, merchant: string, version: number): ProductStatusChangedV1 => ({
    productId: demoProductId(key),
    merchantId: demoMerchantId(merchant),
    version,
    certificates: [
      {
        certificateId: `cert-${key}`,
        mark: 'magang',
        status: version === 2 ? 'red_warning' : 'active',
        colour: version === 2 ? 'red' : 'green',
        validFrom: new Date(Date.now() - 86_400_000).toISOString(),
        validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
      },
    ],
    purchasable: version !== 2,
    changedAt: new Date().toISOString(),
  });

  /** Applies like the bus: an event whose transaction lost a conflict is delivered again. */
  async function deliver(projection: CertificationProjection, event: ProductStatusChangedV1, headStart: number): Promise<void> {
    for (let i = 0; i < headStart; i++) await new Promise((r) => setImmediate(r));
    for (let attempt = 0; ; attempt++) {
      try {
        await projection.apply(event);
        return;
      } catch (error) {
        if (attempt === 20) throw error;
      }
    }
  }

  it('leaves every row at the newest status, whatever the interleaving', async () => {
    const projection = h.app.get(CertificationProjection);
    await Promise.all(
      DEMO_PRODUCTS.map((p, i) => Promise.all([deliver(projection, statusOf(p.key, p.merchant, 1), 0), deliver(projection, statusOf(p.key, p.merchant, 2), i % 8)])),
    );
    const db = h.app.get<Connection>(getConnectionToken()).db!;
    const ids = DEMO_PRODUCTS.map((p) => demoProductId(p.key));
    const statuses = await db.collection('certification_status').find({ _id: { $in: ids } } as never).toArray();
    const rows = await db.collection('products').find({ _id: { $in: ids } } as never).toArray();
    expect(statuses.map((s) => s['version'])).toEqual(ids.map(() => 2));
    const behind = rows.filter((r) => r['certVersion'] !== 2).map((r) => `${r['_id']}@v${r['certVersion']}`);
    expect(behind).toEqual([]);
  });
});
