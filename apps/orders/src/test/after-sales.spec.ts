import { DEMO_USERS, EVENT_TYPES, type AuthUser } from '@techan/common';
import { payOnPage, startOrders, until, type OrdersHarness } from './harness';

jest.setTimeout(180_000);

const shopper: AuthUser = { ...DEMO_USERS['shopper'], userId: 'u-after-sales-1' };
// The merchant of the harness's products (m-magang-goose), signed in as a merchant user.
const merchant: AuthUser = { ...DEMO_USERS['merchant'], merchantIds: ['m-magang-goose'] };
const operator = DEMO_USERS['operator'];
const PHOTO = { name: 'goose.jpg', contentType: 'image/jpeg', sizeBytes: 120_000 };

describe('after-sales: returns, partial refunds, complaints and 假一赔廿', () => {
  let h: OrdersHarness;
  let orderId: string;
  const GOOSE = { productId: 'p-as-goose', skuId: 'sku-as-goose' };

  beforeAll(async () => {
    h = await startOrders();
    await h.product(GOOSE.productId, GOOSE.skuId, 16800);
    // A delivered order of 3 geese (¥504.00).
    await h.svc.request('/cart/lines', { user: shopper, body: { ...GOOSE, quantity: 3 } });
    const { orderId: id } = (await (await h.checkout(shopper)).json()) as { orderId: string };
    orderId = id;
    await h.reserve(orderId);
    const o = await until(async () => {
      const x = await h.order(shopper, orderId);
      return x['payment']?.url ? x : null;
    });
    await payOnPage(o['payment'].url, { method: 'card', card: '4242424242424242' });
    await h.waitStatus(shopper, orderId, 'paid');
    await h.emit(EVENT_TYPES.ShipmentDelivered, `dr-${orderId}`, {
      shipmentId: 'sh-as',
      requestId: `dr-${orderId}`,
      orderId,
      receiverName: '张先生',
      deliveredAt: new Date().toISOString(),
      lines: [{ lineId: `${orderId}:${GOOSE.skuId}`, productId: GOOSE.productId, skuId: GOOSE.skuId, accepted: 3, rejected: 0, short: 0 }],
      temperatures: [],
    });
    await h.waitStatus(shopper, orderId, 'delivered');
  }, 240_000);
  afterAll(() => h?.stop());

  const open = (body: Record<string, unknown>, user = shopper) => h.svc.request('/after-sales', { user, body: { orderId, reason: 'quality', descriptionZh: '鹅肉有异味', lines: [{ skuId: GOOSE.skuId, quantity: 1 }], photos: [PHOTO], ...body } });

  it('validates the request: lines of the order only, someone else cannot open a case, fake claims need photos', async () => {
    expect((await open({ kind: 'return', lines: [{ skuId: 'other', quantity: 1 }] })).status).toBe(400);
    expect((await open({ kind: 'return', lines: [{ skuId: GOOSE.skuId, quantity: 4 }] })).status).toBe(400);
    expect((await open({ kind: 'return' }, { ...shopper, userId: 'u-someone-else' })).status).toBe(404);
    expect((await open({ kind: 'fake_claim', photos: [] })).status).toBe(400);
    expect((await open({ kind: 'return', requestedFen: 16801 })).status).toBe(400);
  });

  it('a partial return refund decided by the merchant goes through Stripe once', async () => {
    const res = await open({ kind: 'return', requestedFen: 8000 });
    expect(res.status).toBe(201);
    const c = (await res.json()) as { caseId: string; status: string; kindZh: string };
    expect(c).toMatchObject({ status: 'submitted', kindZh: '退货退款' });
    expect((await h.svc.request(`/after-sales/${c.caseId}/decision`, { user: { ...merchant, merchantIds: ['m-other'] }, body: { approve: true, noteZh: '同意退款' } })).status).toBe(404);
    const decided = await h.svc.request(`/after-sales/${c.caseId}/decision`, { user: merchant, body: { approve: true, noteZh: '同意部分退款' } });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toMatchObject({ status: 'resolved', decision: { refundFen: 8000, role: 'merchant' } });
    expect((await h.svc.request(`/after-sales/${c.caseId}/decision`, { user: operator, body: { approve: true, noteZh: '再次同意' } })).status).toBe(409);
    const order = await h.order(shopper, orderId);
    expect(order['payment']).toMatchObject({ capturedFen: 50400, refundedFen: 8000 });
    expect(order['status']).toBe('delivered');
    const refunds = [...h.standin.engine.refunds.values()].filter((r) => r.metadata['orderId'] === orderId);
    expect(refunds.map((r) => r.amount)).toEqual([8000]);
  });

  it('only the operator confirms a 假一赔廿 claim: the price back, twenty times as credit, complaint-confirmed published', async () => {
    const res = await open({ kind: 'fake_claim', descriptionZh: '包装上的地理标志是假的' });
    const c = (await res.json()) as { caseId: string };
    expect((await h.svc.request(`/after-sales/${c.caseId}/decision`, { user: merchant, body: { approve: true, noteZh: '同意' } })).status).toBe(403);
    const decided = await h.svc.request(`/after-sales/${c.caseId}/decision`, { user: operator, body: { approve: true, noteZh: '经核实为假冒产品' } });
    expect(await decided.json()).toMatchObject({ status: 'resolved', decision: { refundFen: 16800, compensationFen: 336000 } });
    const order = await h.order(shopper, orderId);
    expect(order).toMatchObject({ compensationFen: 336000, payment: { refundedFen: 24800 } });
    const [confirmed] = await h.published(EVENT_TYPES.ComplaintConfirmed, GOOSE.productId);
    expect(confirmed.data).toMatchObject({ complaintId: c.caseId, productId: GOOSE.productId, merchantId: 'm-magang-goose', kind: 'fake', severity: 'major' });
    const refunded = await h.published(EVENT_TYPES.OrderRefunded, orderId);
    expect(refunded.map((r) => r.data['reason'])).toEqual(['return', 'fake_compensation']);
  });

  it('a rejected complaint publishes nothing; lists are per role', async () => {
    const res = await open({ kind: 'complaint', complaintKind: 'quality', reason: 'quality' });
    const c = (await res.json()) as { caseId: string };
    await h.svc.request(`/after-sales/${c.caseId}/decision`, { user: operator, body: { approve: false, noteZh: '证据不足' } });
    expect(await h.published(EVENT_TYPES.ComplaintConfirmed, GOOSE.productId)).toHaveLength(1);
    const mine = (await (await h.svc.request('/after-sales', { user: shopper })).json()) as { total: number };
    expect(mine.total).toBe(3);
    const others = (await (await h.svc.request('/after-sales', { user: { ...shopper, userId: 'u-nobody' } })).json()) as { total: number };
    expect(others.total).toBe(0);
    expect((await h.svc.request(`/after-sales/${c.caseId}`, { user: { ...shopper, userId: 'u-nobody' } })).status).toBe(404);
  });
});
