import { createEvent, EVENT_TYPES, ownerOf, type EventType } from '@techan/common';
import { publishTestEvent, startTestService, type TestService } from '@techan/common/testing';
import { testBusEnv, testServiceEnv } from '@techan/local-stack';
import { CatalogueStore } from '../app/catalogue/catalogue.store';
import { AppModule } from '../app/app.module';
import { ORDERS_SERVICE } from '../service';

async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cert = (status: 'active' | 'red_warning', colour: 'green' | 'red') => ({
  certificateId: 'c-goose',
  mark: 'magang' as const,
  status,
  colour,
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2099-01-01T00:00:00.000Z',
});

describe('orders: catalogue projection fed by catalog and certification events', () => {
  let svc: TestService;
  let store: CatalogueStore;
  const emit = async (type: EventType, subject: string, data: unknown) => {
    const event = createEvent(type, subject, data, { source: ownerOf(type) ?? 'test' });
    await publishTestEvent(testBusEnv(ownerOf(type) ?? 'test'), svc.config.EVENT_PREFIX, event);
  };
  const listing = (productId: string, priceFen: number, updatedAt: string) => ({
    productId,
    merchantId: 'm-goose',
    merchantName: '开平市马冈鹅养殖专业合作社',
    name: '马冈鹅（冰鲜整鹅）',
    categoryId: 'agri.goose',
    tier: 'premium',
    temperatureClass: 'chilled',
    listed: true,
    skus: [{ skuId: `${productId}-s1`, specZh: '约3.0斤/只', unit: '只', priceFen }],
    updatedAt,
  });
  const status = (productId: string, version: number, c: ReturnType<typeof cert>) => ({
    productId,
    merchantId: 'm-goose',
    version,
    certificates: [c],
    purchasable: c.status === 'active',
    changedAt: new Date().toISOString(),
  });

  beforeAll(async () => {
    svc = await startTestService(ORDERS_SERVICE, AppModule, testServiceEnv('orders'));
    store = svc.app.get(CatalogueStore);
  });
  afterAll(() => svc?.stop());

  it('learns prices from product-upserted and certification from status events; a late older event changes nothing', async () => {
    const p = `p-goose-${Date.now()}`;
    await emit(EVENT_TYPES.ProductUpserted, p, listing(p, 26800, '2026-11-29T01:00:00.000Z'));
    await emit(EVENT_TYPES.ProductStatusChanged, p, status(p, 2, cert('active', 'green')));
    const ok = await until(async () => {
      const v = await store.verdict(p, `${p}-s1`, new Date());
      return v.orderable ? v : null;
    });
    expect(ok.sku?.priceFen).toBe(26800);

    // A red warning (v3) blocks; then a stale v1 "active" and an older price arrive late and must not win.
    await emit(EVENT_TYPES.ProductStatusChanged, p, status(p, 3, cert('red_warning', 'red')));
    await until(async () => (await store.verdict(p, `${p}-s1`, new Date())).reason === 'red_warning');
    await emit(EVENT_TYPES.ProductStatusChanged, p, status(p, 1, cert('active', 'green')));
    await emit(EVENT_TYPES.ProductUpserted, p, listing(p, 100, '2026-11-29T00:00:00.000Z'));
    // A newer price after them proves the stale events were processed (per-key order) before we look.
    await emit(EVENT_TYPES.ProductUpserted, p, listing(p, 25800, '2026-11-29T02:00:00.000Z'));
    const after = await until(async () => {
      const v = await store.verdict(p, `${p}-s1`, new Date());
      return v.sku?.priceFen === 25800 ? v : null;
    });
    expect(after).toMatchObject({ orderable: false, reason: 'red_warning', reasonZh: '该产品因质量风险处于红色警示，暂停销售' });
  });
});
