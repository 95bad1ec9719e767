import type { INestApplicationContext } from '@nestjs/common';
import type { CertificateSnapshot, ProductStatusChangedV1 } from '@techan/common';
import { CertificationProjection } from '../catalog/certification-projection.service';
import { demoMerchantId, demoProductId, SeedService } from '../catalog/seed.service';
import { DEMO_PRODUCTS, type DemoCertificate, type DemoProduct } from '../domain';

const MONTH_MS = 30 * 86_400_000;

/**
 * Test fixture: the status events certification's demo seed publishes for the demo products, played
 * straight into the projection (the catalogue's own seed loads no status; in the running system these
 * events come over the bus from certification). `DemoProduct.certificates` mirrors what certification
 * issues; the e2e demo test checks the two agree.
 */
export function demoCertificates(p: DemoProduct, now: Date): CertificateSnapshot[] {
  return p.certificates.map((c: DemoCertificate, i) => {
    const status = c.status ?? 'active';
    return {
      certificateId: `cert-demo-${p.key}-${i + 1}`,
      mark: c.mark,
      ...(c.level ? { level: c.level } : {}),
      status,
      colour: status === 'red_warning' ? 'red' : status === 'yellow_warning' ? 'yellow' : ['active', 'inspection_due'].includes(status) ? 'green' : 'grey',
      validFrom: new Date(now.getTime() + (c.fromMonths ?? -6) * MONTH_MS).toISOString(),
      validUntil: new Date(now.getTime() + (c.untilMonths ?? 18) * MONTH_MS).toISOString(),
    };
  });
}

export async function playDemoStatus(app: INestApplicationContext, now: Date): Promise<void> {
  const projection = app.get(CertificationProjection);
  for (const p of DEMO_PRODUCTS) {
    const event: ProductStatusChangedV1 = {
      productId: demoProductId(p.key),
      merchantId: demoMerchantId(p.merchant),
      productName: p.nameZh,
      version: 1,
      certificates: demoCertificates(p, now),
      purchasable: true,
      changedAt: now.toISOString(),
    };
    await projection.apply(event);
  }
}

/** The demo data as a running system has it once certification's status events arrived. */
export async function seedWithStatus(app: INestApplicationContext, now: Date): Promise<void> {
  await app.get(SeedService).seed();
  await playDemoStatus(app, now);
}
