import { EVENT_TYPES, type CertificateSnapshot, type ProductStatusChangedV1 } from '@techan/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { CertificationProjection } from '../catalog/certification-projection.service';
import { call, startHarness, type Harness } from './harness';
import { validOpenApiOperations } from '@techan/common/testing';

const DAY = 86_400_000;
let merchantToken: string;
let strangerToken: string;
let operatorToken: string;
let shopperToken: string;

const registration = {
  name: '开平市马冈优品鹅业有限公司',
  creditCode: '91440783MA4UK7R28A',
  licenceDocument: 'doc:licences/2026/magang-goose.pdf',
  town: 'magang',
  contact: { name: '关伟强', phone: '13702201188' },
};
const gooseBody = {
  nameZh: '马冈鹅（整只，冰鲜）',
  descriptionZh: '黑鬃乌喙乌脚，放养一百天以上。',
  categoryId: 'agri.goose',
  town: 'magang',
  tier: 'premium',
  originDegree: 'fully_local',
  temperatureClass: 'chilled',
  shelfLifeDays: 4,
  images: [],
  skus: [{ code: 'W30', specZh: '整只约3千克', unit: '只', netContent: { value: 3000, unit: 'g' }, priceFen: 26800, stock: 10 }],
};

describe('catalog over HTTP (MongoDB stand-in)', () => {
  let h: Harness;
  let merchantId: string;
  let productId: string;
  let skuId: string;

  const cert = (over: Partial<CertificateSnapshot> = {}): CertificateSnapshot => ({
    certificateId: 'cert-1',
    mark: 'magang',
    status: 'active',
    colour: 'green',
    validFrom: new Date(h.clock.now().getTime() - 30 * DAY).toISOString(),
    validUntil: new Date(h.clock.now().getTime() + 10 * DAY).toISOString(),
    ...over,
  });
  const statusEvent = (version: number, certificates: CertificateSnapshot[]): ProductStatusChangedV1 => ({
    productId,
    merchantId,
    version,
    certificates,
    purchasable: true,
    changedAt: h.clock.now().toISOString(),
  });
  const applyStatus = (e: ProductStatusChangedV1) => h.app.get(CertificationProjection).apply(e);

  beforeAll(async () => {
    h = await startHarness();
    merchantToken = h.token('acct-guan', ['merchant']);
    strangerToken = h.token('acct-stranger', ['merchant']);
    operatorToken = h.token('op-1', ['operator']);
    shopperToken = h.token('shopper-1', ['shopper']);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('publishes a valid OpenAPI 3 document of its routes, also under /catalog for the edge', async () => {
    const { document, operations } = await validOpenApiOperations(h.svc.url);
    expect(operations).toEqual(
      expect.arrayContaining(['GET /catalog/halls', 'GET /catalog/search', 'POST /catalog/merchants', 'POST /catalog/merchants/{id}/products', 'PATCH /catalog/products/{id}/skus/{skuId}', 'POST /catalog/review/merchants/{id}']),
    );
    const paths = document['paths'] as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> }; parameters?: { name: string; in: string }[] }>>;
    expect(paths['/catalog/merchants']['post'].requestBody?.content['application/json'].schema.required).toEqual(expect.arrayContaining(['name', 'creditCode']));
    expect(paths['/catalog/search']['get'].parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['q', 'hall', 'sort']));
    expect(document['servers']).toContainEqual({ url: '/api', description: '经统一入口（网关）' });
    const viaPrefix = await fetch(`${h.svc.url}/catalog/openapi.json`);
    expect(viaPrefix.status).toBe(200);
    expect(((await viaPrefix.json()) as { paths: object }).paths).toEqual(document['paths']);
  });

  describe('merchants', () => {
    it('rejects an invalid credit code naming the field', async () => {
      const r = await call(h, 'POST', '/catalog/merchants', { token: merchantToken, body: { ...registration, creditCode: '91440783MA4UK7R28B' } });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ field: 'creditCode', message: 'creditCode: 统一社会信用代码校验位错误' });
    });

    it('needs a login and the merchant role', async () => {
      expect((await call(h, 'POST', '/catalog/merchants', { body: registration })).status).toBe(401);
      expect((await call(h, 'POST', '/catalog/merchants', { token: shopperToken, body: registration })).status).toBe(403);
      expect((await call(h, 'POST', '/catalog/merchants', { token: 'not.a.jwt', body: registration })).status).toBe(401);
    });

    it('registers an enterprise as pending with its submission time, once per credit code', async () => {
      const r = await call(h, 'POST', '/catalog/merchants', { token: merchantToken, body: registration });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ status: 'pending', statusZh: '待审核', submittedAt: h.clock.now().toISOString(), creditCode: '91440783MA4UK7R28A' });
      merchantId = r.body.id;
      const again = await call(h, 'POST', '/catalog/merchants', { token: strangerToken, body: registration });
      expect(again.status).toBe(409);
    });

    it('does not let a pending merchant list products', async () => {
      const r = await call(h, 'POST', `/catalog/merchants/${merchantId}/products`, { token: merchantToken, body: gooseBody });
      expect(r.status).toBe(403);
      expect(r.body.message).toContain('审核通过后才能上架产品');
    });

    it('shows the operator the pending queue; only operators review', async () => {
      const queue = await call(h, 'GET', '/catalog/review/merchants', { token: operatorToken });
      expect(queue.status).toBe(200);
      expect(queue.body).toEqual([expect.objectContaining({ id: merchantId, status: 'pending', submittedAt: expect.any(String), reviewDueBy: expect.any(String) })]);
      expect((await call(h, 'GET', '/catalog/review/merchants', { token: merchantToken })).status).toBe(403);
      const noReason = await call(h, 'POST', `/catalog/review/merchants/${merchantId}`, { token: operatorToken, body: { decision: 'reject' } });
      expect(noReason).toMatchObject({ status: 400, body: { field: 'reason' } });
      const ok = await call(h, 'POST', `/catalog/review/merchants/${merchantId}`, { token: operatorToken, body: { decision: 'approve' } });
      expect(ok).toMatchObject({ status: 200, body: { status: 'approved' } });
      const twice = await call(h, 'POST', `/catalog/review/merchants/${merchantId}`, { token: operatorToken, body: { decision: 'approve' } });
      expect(twice.status).toBe(409);
    });

    it('announces each registration and review with its members (server-side membership for the other services)', async () => {
      const rows = await h.app.get<Connection>(getConnectionToken()).collection('outbox').find({ type: EVENT_TYPES.MerchantUpserted, subject: merchantId }).sort({ seq: 1 }).toArray();
      expect(rows.map((r) => r['envelope'].data)).toEqual([
        expect.objectContaining({ merchantId, name: registration.name, status: 'pending', memberUserIds: ['acct-guan'] }),
        expect.objectContaining({ merchantId, status: 'approved', memberUserIds: ['acct-guan'] }),
      ]);
    });
  });

  describe('products', () => {
    it.each([
      [{ skus: [{ ...gooseBody.skus[0], priceFen: -1 }] }, 'skus.0.priceFen'],
      [{ skus: [{ ...gooseBody.skus[0], stock: -5 }] }, 'skus.0.stock'],
      [{ categoryId: 'agri.caviar' }, 'categoryId'],
      [{ temperatureClass: { $ne: 'x' } }, 'temperatureClass'],
    ])('rejects bad input %p naming %s', async (patch, field) => {
      const r = await call(h, 'POST', `/catalog/merchants/${merchantId}/products`, { token: merchantToken, body: { ...gooseBody, ...patch } });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe(field);
    });

    it('lets only the owner list and manage products', async () => {
      expect((await call(h, 'POST', `/catalog/merchants/${merchantId}/products`, { token: strangerToken, body: gooseBody })).status).toBe(403);
      const r = await call(h, 'POST', `/catalog/merchants/${merchantId}/products`, { token: merchantToken, body: gooseBody });
      expect(r.status).toBe(201);
      productId = r.body.id;
      skuId = r.body.skus[0].skuId;
      expect(h.events.ofType(EVENT_TYPES.ProductUpserted)).toEqual([
        expect.objectContaining({ subject: productId, data: expect.objectContaining({ productId, merchantId, merchantName: registration.name, name: gooseBody.nameZh, town: 'magang' }) }),
      ]);
      const stranger = await call(h, 'PATCH', `/catalog/products/${productId}/skus/${skuId}`, { token: strangerToken, body: { priceFen: 1 } });
      expect(stranger.status).toBe(403);
      const own = await call(h, 'PATCH', `/catalog/products/${productId}/skus/${skuId}`, { token: merchantToken, body: { priceFen: 25800 } });
      expect(own).toMatchObject({ status: 200, body: { priceFen: 25800, available: 10 } });
    });
  });

  describe('certified-only listing and search', () => {
    it('hides an uncertified product from search but explains it on its page', async () => {
      const s = await call(h, 'GET', '/catalog/search?q=' + encodeURIComponent('鹅'));
      expect(s.status).toBe(200);
      expect(s.body.items).toEqual([]);
      const page = await call(h, 'GET', `/catalog/products/${productId}`);
      expect(page.body).toMatchObject({ canBuy: false, availability: { reason: 'not_certified_yet', messageZh: '该产品尚未取得认证，暂不可购买。' } });
    });

    it('lists it once certified, found by "鹅" and "马冈", in the hall its mark opens', async () => {
      expect(await applyStatus(statusEvent(2, [cert()]))).toBe(true);
      for (const q of ['鹅', '马冈', '马冈鹅']) {
        const s = await call(h, 'GET', '/catalog/search?q=' + encodeURIComponent(q));
        expect(s.body.items.map((i: { id: string }) => i.id)).toEqual([productId]);
      }
      const magang = await call(h, 'GET', '/catalog/halls/magang/products');
      expect(magang.body.items.map((i: { id: string }) => i.id)).toEqual([productId]);
      const dasha = await call(h, 'GET', '/catalog/halls/dasha/products');
      expect(dasha.body.items).toEqual([]);
      expect((await call(h, 'GET', `/catalog/products/${productId}`)).body).toMatchObject({ canBuy: true, halls: [{ id: 'magang', name: '马冈优品馆' }] });
    });

    it('applies only newer versions: suspension hides it, a stale event does not bring it back', async () => {
      expect(await applyStatus(statusEvent(4, [cert({ status: 'suspended', colour: 'grey' })]))).toBe(true);
      expect(await applyStatus(statusEvent(3, [cert()]))).toBe(false);
      expect(await applyStatus(statusEvent(4, [cert()]))).toBe(false);
      expect((await call(h, 'GET', '/catalog/search?q=' + encodeURIComponent('鹅'))).body.items).toEqual([]);
      const page = await call(h, 'GET', `/catalog/products/${productId}`);
      expect(page.body).toMatchObject({ canBuy: false, availability: { reason: 'suspended', messageZh: '该产品“马冈优品”认证已被暂停，暂停销售。' } });
    });

    it('drops the product when validUntil passes, with no event', async () => {
      await applyStatus(statusEvent(5, [cert()]));
      expect((await call(h, 'GET', '/catalog/search?q=' + encodeURIComponent('鹅'))).body.items).toHaveLength(1);
      expect((await call(h, 'GET', `/catalog/products/${productId}`)).body.availability).toMatchObject({ buyable: true });
      h.clock.advance(11 * DAY);
      expect((await call(h, 'GET', '/catalog/search?q=' + encodeURIComponent('鹅'))).body.items).toEqual([]);
      const page = await call(h, 'GET', `/catalog/products/${productId}`);
      expect(page.body.availability).toMatchObject({ reason: 'expired' });
      h.clock.advance(-11 * DAY);
    });

    it('rejects operator-laden and oversize queries with a 400 naming the field', async () => {
      const cases: [string, string][] = [
        ['town[$ne]=magang', 'town[$ne]'],
        ['limit=500', 'limit'],
        ['priceMin=-5', 'priceMin'],
        ['category=agri.caviar', 'category'],
        ['$where=1', '$where'],
        ['q=a&q=b', 'q'],
      ];
      for (const [qs, field] of cases) {
        const r = await call(h, 'GET', `/catalog/search?${qs}`);
        expect({ qs, status: r.status, field: r.body.field }).toEqual({ qs, status: 400, field });
      }
    });
  });

  describe('price index', () => {
    it('serves a drawable daily series', async () => {
      const r = await call(h, 'GET', '/catalog/price-index?group=magang_goose&from=2026-11-20&to=2026-11-23');
      expect(r.status).toBe(200);
      expect(r.body.chart.labels).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']);
      expect(r.body.chart.index[0]).toBe(100);
      expect(r.body.points.at(-1)).toMatchObject({ skuCount: 1, medianUnitPriceFen: 8600 });
      expect((await call(h, 'GET', '/catalog/price-index?group=caviar')).body.field).toBe('group');
    });
  });
});
