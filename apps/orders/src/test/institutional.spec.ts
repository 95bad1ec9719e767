import { EVENT_TYPES } from '@techan/common';
import { startTestService, type TestService } from '@techan/common/testing';
import Stripe from 'stripe';
import { STANDIN_WEBHOOK_SECRET, startTestPayments, testServiceEnv } from '@techan/local-stack';
import { AppModule } from '../app/app.module';
import { CallOffJobs } from '../app/institutional/call-offs/call-off.jobs';
import { CallOffsService } from '../app/institutional/call-offs/call-offs.service';
import { INSTITUTIONAL_CLOCK } from '../app/institutional/institutional.tokens';
import { withCreditCheckChar } from '../domain/institutional/organisation';
import { ORDERS_SERVICE } from '../service';
import { cert, emit, FakeClock, outboxEvents, publishProduct, until, users } from './institutional.fixtures';

const SCHOOL = 'org-kaiping-no1-middle-school';
const HOSPITAL = 'org-kaiping-central-hospital';
const WEEK = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11'];

describe('institutional buyers through HTTP and events', () => {
  let svc: TestService;
  let payments: Awaited<ReturnType<typeof startTestPayments>>;
  const clock = new FakeClock(new Date('2026-12-03T10:00:00+08:00'));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = async (res: Response): Promise<{ status: number; body: any }> => ({ status: res.status, body: await res.json() });
  const call = (path: string, user = users.operator, body?: unknown, method?: string) =>
    svc.request(`/institutional${path}`, { user, ...(body !== undefined ? { body } : {}), ...(method ? { method } : {}) }).then(json);
  let contractId = '';
  const callOffOf = async (date: string, channel = 'contract') => {
    const r = await call(`/call-offs?orgId=${SCHOOL}&from=${date}&to=${date}&channel=${channel}`, users.schoolAdmin);
    return r.body.items[0];
  };

  beforeAll(async () => {
    payments = await startTestPayments();
    svc = await startTestService(ORDERS_SERVICE, AppModule, { ...testServiceEnv('orders'), ...payments.env, CHECKOUT_SWEEP_MS: '0', INSTITUTIONAL_JOBS: 'off' }, (b) =>
      b.overrideProvider(INSTITUTIONAL_CLOCK).useValue(clock),
    );
    payments.standin?.addWebhook(`${svc.url}/institutional/invoices/webhooks/stripe`, STANDIN_WEBHOOK_SECRET, ['invoice.paid']);
    const rice = { productId: 'p-rice', merchantId: 'm-rice', name: '开平生态丝苗米', categoryId: 'agri.rice', temperatureClass: 'ambient' as const, skus: [{ skuId: 's-rice-10kg', specZh: '10千克/袋', unit: '袋', priceFen: 16800, netContent: { value: 10000, unit: 'g' as const } }], certificates: [cert('kaiping'), cert('gi')] };
    const eggsA = { productId: 'p-eggs-a', merchantId: 'm-eggs', name: '塘口走地鸡蛋', categoryId: 'agri.poultry_eggs', temperatureClass: 'chilled' as const, skus: [{ skuId: 's-eggs-a-30', specZh: '30枚/盒', unit: '盒', priceFen: 4500 }], certificates: [cert('otop', { level: 3 }), cert('tangkou')] };
    const eggsB = { ...eggsA, productId: 'p-eggs-b', name: '赤水山地鸡蛋', skus: [{ skuId: 's-eggs-b-30', specZh: '30枚/盒', unit: '盒', priceFen: 4400 }], certificates: [cert('otop', { level: 4 }), cert('kaiping')] };
    const eggsC = { ...eggsA, productId: 'p-eggs-c', name: '普通鸡蛋', skus: [{ skuId: 's-eggs-c-30', specZh: '30枚/盒', unit: '盒', priceFen: 3000 }], certificates: [cert('otop', { level: 2 }), cert('kaiping')] };
    const lunch = { productId: 'p-lunch', merchantId: 'm-kitchen', name: '开平优餐·学生营养午餐', categoryId: 'service.catering', temperatureClass: 'hot' as const, skus: [{ skuId: 's-lunch-std', specZh: '标准餐 每份', unit: '份', priceFen: 1500 }], certificates: [cert('kaiping'), cert('magang')] };
    for (const p of [rice, eggsA, eggsB, eggsC, lunch]) await publishProduct(svc, p);
    await until(async () => (await svc.app.get(CallOffsService)['catalogue'].findMany(['p-rice', 'p-eggs-a', 'p-eggs-b', 'p-eggs-c', 'p-lunch'])).size === 5 || null);
    await until(async () => [...(await svc.app.get(CallOffsService)['catalogue'].findMany(['p-lunch', 'p-eggs-c'])).values()].every((i) => i.certificates.length > 0) || null);
  });
  afterAll(async () => {
    await svc?.stop();
    await payments?.stop();
  });

  it('organisations: credit code checked; people and sites; another organisation sees nothing (403)', async () => {
    const bad = await call('/organisations', users.operator, { orgId: SCHOOL, name: '开平市第一中学', type: 'school', creditCode: '12440783455987619' + 'Z' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/creditCode/);
    const school = await call('/organisations', users.operator, {
      orgId: SCHOOL,
      name: '开平市第一中学',
      type: 'school',
      creditCode: withCreditCheckChar('12440783455987612'),
      people: [
        { userId: 'u-buyer-1', name: '关老师', roles: ['buyer_admin', 'orderer', 'finance'] },
        { userId: 'u-receiver-1', name: '司徒师傅', roles: ['site_receiver'] },
      ],
    });
    expect(school.status).toBe(201);
    expect((await call('/organisations', users.operator, { orgId: HOSPITAL, name: '开平市中心医院', type: 'hospital', creditCode: withCreditCheckChar('12440783455987620'), people: [{ userId: 'u-hospital-1', name: '梁主任', roles: ['buyer_admin', 'orderer', 'finance'] }] })).status).toBe(201);
    const site = { name: '第一中学饭堂', address: { text: '广东省江门市开平市长沙街道教育路1号', lat: 22.376, lng: 112.698 }, contact: { name: '司徒师傅', phone: '13800000001' }, receivingWindows: [{ weekday: 1, from: '06:30', until: '08:00' }] };
    expect((await call(`/organisations/${SCHOOL}/sites`, users.schoolAdmin, { siteId: 'site-no1-canteen', ...site })).status).toBe(201);
    expect((await call(`/organisations/${HOSPITAL}/sites`, users.hospitalAdmin, { ...site, siteId: 'site-hospital-kitchen', name: '中心医院营养食堂' })).status).toBe(201);
    // Across organisations: 403 on the other's paths, and lists hold only one's own.
    expect((await call(`/organisations/${SCHOOL}`, users.hospitalAdmin)).status).toBe(403);
    expect((await call(`/organisations/${SCHOOL}/sites`, users.hospitalAdmin, { ...site, siteId: 'site-x' })).status).toBe(403);
    expect((await call(`/organisations/${SCHOOL}/sites`, users.hospitalAdmin)).status).toBe(403);
    const listed = await call('/organisations', users.hospitalAdmin);
    expect(listed.body.items.map((o: { _id: string }) => o._id)).toEqual([HOSPITAL]);
    // A receiver is a member but not an admin: may not add sites.
    expect((await call(`/organisations/${SCHOOL}/sites`, users.schoolReceiver, { ...site, siteId: 'site-y' })).status).toBe(403);
    expect((await call('/organisations', users.shopper)).status).toBe(403);
  });

  it('contracts: bad input is refused naming every field and writes nothing; then draft → active', async () => {
    const base = {
      orgId: SCHOOL,
      number: 'KP-2026-001',
      titleZh: '第一中学2026年食材配送框架合同',
      validFrom: '2026-12-01',
      validUntil: '2027-06-30',
      monthlyBudgetFen: 5_000_000,
      substitutionPolicy: 'approve',
      lines: [
        { lineId: 'rice', productId: 'p-rice', skuId: 's-rice-10kg', unitPriceFen: 16000, minQuantity: 2, maxQuantity: 40 },
        { lineId: 'eggs', productId: 'p-eggs-a', skuId: 's-eggs-a-30', unitPriceFen: 4500, minQuantity: 1, maxQuantity: 20 },
        { lineId: 'lunch', productId: 'p-lunch', skuId: 's-lunch-std', unitPriceFen: 1500, minQuantity: 50, maxQuantity: 2000 },
      ],
      schedules: [{ siteId: 'site-no1-canteen', frequency: 'daily', weekdays: [1, 2, 3, 4, 5], window: { from: '06:30', until: '08:00' }, cutoff: { daysBefore: 1, time: '16:00' }, quantities: [{ lineId: 'rice', quantity: 10 }, { lineId: 'eggs', quantity: 4 }] }],
    };
    const bad = await call('/contracts', users.operator, {
      ...base,
      lines: [...base.lines, { lineId: 'tea', productId: 'p-unknown', skuId: 's-unknown', unitPriceFen: 100, minQuantity: 1, maxQuantity: 2 }],
      schedules: [{ ...base.schedules[0], siteId: 'site-hospital-kitchen', quantities: [{ lineId: 'rice', quantity: 41 }] }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { field: string }) => i.field)).toEqual(['lines.3.skuId', 'schedules.0.siteId', 'schedules.0.quantities.0.quantity']);
    const badDates = await call('/contracts', users.operator, { ...base, validUntil: '2026-11-01' });
    expect(badDates.status).toBe(400);
    expect(badDates.body.issues[0].field).toBe('validUntil');
    expect((await call('/contracts', users.operator)).body.total).toBe(0);

    const created = await call('/contracts', users.operator, base);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', orgId: SCHOOL });
    contractId = created.body._id;
    // The same SKU in an overlapping contract of the organisation.
    const overlap = await call('/contracts', users.operator, { ...base, number: 'KP-2026-002', validFrom: '2027-06-01', validUntil: '2027-12-31', lines: [base.lines[0]], schedules: [] });
    expect(overlap.status).toBe(422);
    expect(overlap.body.issues[0].field).toBe('lines.0.skuId');
    expect((await call(`/contracts/${contractId}/activate`, users.schoolAdmin, {})).status).toBe(403);
    const active = await call(`/contracts/${contractId}/activate`, users.operator, { note: '双方盖章' });
    expect(active.body.status).toBe('active');
    expect(active.body.history.map((h: { action: string; by: string }) => `${h.action}:${h.by}`)).toEqual(['created:u-operator-1', 'activate:u-operator-1']);
    expect((await call(`/contracts/${contractId}/activate`, users.operator, {})).status).toBe(409);
    expect((await call(`/contracts/${contractId}`, users.hospitalAdmin)).status).toBe(404);
    expect((await call(`/contracts/${contractId}`, users.schoolAdmin)).status).toBe(200);
  });

  it('call-offs: a BullMQ job generates the week; repeated and concurrent runs create nothing twice', async () => {
    const jobs = svc.app.get(CallOffJobs);
    const queued = await call('/call-offs/generate', users.operator, { deliveryDate: WEEK[0] });
    expect(queued.status).toBe(202);
    await jobs.waitFor(queued.body.jobId);
    const service = svc.app.get(CallOffsService);
    const reports = await Promise.all(WEEK.flatMap((d) => [service.generateForDate(d, clock.now()), service.generateForDate(d, clock.now())]));
    expect(reports.reduce((s, r) => s + r.created, 0)).toBe(4);
    const week = await call(`/call-offs?orgId=${SCHOOL}&from=${WEEK[0]}&to=${WEEK[4]}`, users.schoolAdmin);
    expect(week.body.items.map((c: { deliveryDate: string }) => c.deliveryDate)).toEqual(WEEK);
    const monday = week.body.items[0];
    expect(monday).toMatchObject({ status: 'open', cutoffAt: '2026-12-06T08:00:00.000Z', totalFen: 10 * 16000 + 4 * 4500 });
    expect((await call(`/call-offs/${monday._id}`, users.hospitalAdmin)).status).toBe(404);
    expect((await call(`/call-offs?orgId=${SCHOOL}`, users.hospitalAdmin)).status).toBe(403);
    expect((await call('/call-offs', users.hospitalAdmin)).body.total).toBe(0);
  });

  it('amendments: within min/max before the cut-off; refused after it', async () => {
    const monday = await callOffOf(WEEK[0]);
    const ok = await call(`/call-offs/${monday._id}`, users.schoolAdmin, { lines: [{ lineId: 'rice', quantity: 12 }] }, 'PATCH');
    expect(ok.status).toBe(200);
    expect(ok.body.totalFen).toBe(12 * 16000 + 4 * 4500);
    const tooMany = await call(`/call-offs/${monday._id}`, users.schoolAdmin, { lines: [{ lineId: 'rice', quantity: 41 }] }, 'PATCH');
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.issues[0].field).toBe('lines.0.quantity');
    expect((await call(`/call-offs/${monday._id}`, users.hospitalAdmin, { lines: [{ lineId: 'rice', quantity: 5 }] }, 'PATCH')).status).toBe(404);
    expect((await call(`/call-offs/${monday._id}`, users.schoolReceiver, { lines: [{ lineId: 'rice', quantity: 5 }] }, 'PATCH')).status).toBe(403);
  });

  it('a red warning mid-week: the line is offered an equal-or-better substitute, which the admin approves', async () => {
    await emit(svc, EVENT_TYPES.ProductStatusChanged, 'p-eggs-a', {
      productId: 'p-eggs-a',
      merchantId: 'm-eggs',
      version: 2,
      certificates: [cert('otop', { level: 3, status: 'red_warning', colour: 'red' }), cert('tangkou')],
      purchasable: false,
      changedAt: clock.now().toISOString(),
    });
    const tuesday = await until(async () => {
      const co = await callOffOf(WEEK[1]);
      return co.lines.find((l: { lineId: string }) => l.lineId === 'eggs').state === 'substitute-offered' ? co : null;
    });
    const eggs = tuesday.lines.find((l: { lineId: string }) => l.lineId === 'eggs');
    // 4★ + county mark at 44.00 ≤ 45.00; never the 2★ one although it is cheaper.
    expect(eggs.substitute).toMatchObject({ productId: 'p-eggs-b', unitPriceFen: 4400 });
    expect(eggs.reasonZh).toMatch(/红色警示/);
    expect((await call(`/call-offs/${tuesday._id}/lines/eggs/substitute`, users.schoolReceiver, { decision: 'approve' })).status).toBe(403);
    const approved = await call(`/call-offs/${tuesday._id}/lines/eggs/substitute`, users.schoolAdmin, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body.lines.find((l: { lineId: string }) => l.lineId === 'eggs').state).toBe('substituted');
    expect(approved.body.totalFen).toBe(10 * 16000 + 4 * 4400);
  });

  it('at cut-off a call-off is reserved through the saga, paid on account and sent to logistics', async () => {
    clock.set('2026-12-06T16:00:00+08:00');
    const monday = await callOffOf(WEEK[0]);
    const late = await call(`/call-offs/${monday._id}`, users.schoolAdmin, { lines: [{ lineId: 'rice', quantity: 5 }] }, 'PATCH');
    expect(late.status).toBe(409);
    expect(late.body.issues[0].field).toBe('cutoffAt');
    expect((await call('/call-offs/close-due', users.operator, {})).body.closed).toBe(1);
    const placed = await outboxEvents(svc, EVENT_TYPES.OrderPlaced, monday._id);
    // The red-warned eggs have no approved substitute on Monday: not delivered, the buyer is told why.
    expect(placed[0].data).toMatchObject({ channel: 'contract', buyerId: SCHOOL, lines: [{ productId: 'p-rice', skuId: 's-rice-10kg', quantity: 12, unitPriceFen: 16000 }] });
    const closed = await callOffOf(WEEK[0]);
    expect(closed.status).toBe('reserving');
    expect(closed.lines.find((l: { lineId: string }) => l.lineId === 'eggs')).toMatchObject({ state: 'dropped' });

    await emit(svc, EVENT_TYPES.StockReserved, monday._id, { orderId: monday._id, lines: [{ skuId: 's-rice-10kg', quantity: 12 }], reservedUntil: '2026-12-06T10:00:00.000Z' });
    await until(async () => (await callOffOf(WEEK[0])).status === 'delivery-requested' || null);
    const [paid] = await outboxEvents(svc, EVENT_TYPES.OrderPaid, monday._id);
    expect(paid.data).toMatchObject({ channel: 'contract', totalFen: 12 * 16000 });
    const [request] = await outboxEvents(svc, EVENT_TYPES.DeliveryRequested);
    expect(request.data).toMatchObject({
      orderId: monday._id,
      buyerOrgId: SCHOOL,
      siteId: 'site-no1-canteen',
      address: { lat: 22.376, lng: 112.698 },
      window: { from: '2026-12-06T22:30:00.000Z', until: '2026-12-07T00:00:00.000Z' },
      lines: [{ lineId: `${monday._id}:s-rice-10kg`, quantity: 12, temperatureClass: 'ambient', weightGrams: 120_000 }],
    });

    // Tuesday goes with the approved substitute; a duplicate stock-reserved changes nothing.
    clock.set('2026-12-07T16:00:00+08:00');
    await call('/call-offs/close-due', users.operator, {});
    const tuesday = await callOffOf(WEEK[1]);
    const [tuePlaced] = await outboxEvents(svc, EVENT_TYPES.OrderPlaced, tuesday._id);
    expect(tuePlaced.data['lines']).toEqual([
      { productId: 'p-rice', skuId: 's-rice-10kg', quantity: 10, unitPriceFen: 16000 },
      { productId: 'p-eggs-b', skuId: 's-eggs-b-30', quantity: 4, unitPriceFen: 4400 },
    ]);
    const reserved = { orderId: tuesday._id, lines: [{ skuId: 's-rice-10kg', quantity: 10 }, { skuId: 's-eggs-b-30', quantity: 4 }], reservedUntil: '2026-12-07T10:00:00.000Z' };
    await emit(svc, EVENT_TYPES.StockReserved, tuesday._id, reserved);
    await emit(svc, EVENT_TYPES.StockReserved, tuesday._id, reserved);
    await until(async () => (await outboxEvents(svc, EVENT_TYPES.DeliveryRequested)).length === 2 || null);
    await new Promise((r) => setTimeout(r, 500));
    expect(await outboxEvents(svc, EVENT_TYPES.OrderPaid, tuesday._id)).toHaveLength(1);
  });

  it('receiving and the monthly statement: shortages, rejections and a recall are deducted (CSV, printable)', async () => {
    const monday = await callOffOf(WEEK[0]);
    const tuesday = await callOffOf(WEEK[1]);
    const temperatures = [{ temperatureClass: 'ambient', minC: 18, maxC: 24, readings: 10, excursion: false }];
    await emit(svc, EVENT_TYPES.ShipmentDelivered, `dr-${monday._id}`, {
      shipmentId: 'sh-1', requestId: `dr-${monday._id}`, orderId: monday._id, receiverName: '司徒师傅', deliveredAt: '2026-12-06T23:10:00.000Z',
      lines: [{ lineId: `${monday._id}:s-rice-10kg`, productId: 'p-rice', skuId: 's-rice-10kg', accepted: 10, rejected: 1, short: 1, reason: '一袋破损' }],
      temperatures,
    });
    await emit(svc, EVENT_TYPES.ItemsRejected, `dr-${tuesday._id}`, {
      shipmentId: 'sh-2', requestId: `dr-${tuesday._id}`, orderId: tuesday._id, cause: 'recall', causeRef: 'p-eggs-b',
      lines: [{ lineId: `${tuesday._id}:s-eggs-b-30`, productId: 'p-eggs-b', skuId: 's-eggs-b-30', quantity: 1 }],
      remedy: 'refund', decidedBy: 'u-qa-1', reason: '召回', decidedAt: '2026-12-08T00:00:00.000Z',
    });
    await emit(svc, EVENT_TYPES.ShipmentDelivered, `dr-${tuesday._id}`, {
      shipmentId: 'sh-2', requestId: `dr-${tuesday._id}`, orderId: tuesday._id, receiverName: '司徒师傅', deliveredAt: '2026-12-07T23:10:00.000Z',
      lines: [
        { lineId: `${tuesday._id}:s-rice-10kg`, productId: 'p-rice', skuId: 's-rice-10kg', accepted: 10, rejected: 0, short: 0 },
        { lineId: `${tuesday._id}:s-eggs-b-30`, productId: 'p-eggs-b', skuId: 's-eggs-b-30', accepted: 4, rejected: 0, short: 0 },
      ],
      temperatures,
    });
    await until(async () => (await callOffOf(WEEK[1])).status === 'delivered' && (await callOffOf(WEEK[0])).status === 'delivered' || null);
    await until(async () => (await callOffOf(WEEK[1])).lines.some((l: { recalled?: number }) => l.recalled === 1) || null);
    const st = await call(`/organisations/${SCHOOL}/statements/2026-12`, users.schoolAdmin);
    expect(st.status).toBe(200);
    // Monday 12 × 160.00 − 1 short − 1 rejected; Tuesday 10 × 160.00 + 4 × 44.00 − 1 recalled.
    expect(st.body.totals).toEqual({ orderedFen: 12 * 16000 + 10 * 16000 + 4 * 4400, shortFen: 16000, rejectedFen: 16000, recallFen: 4400, totalFen: 10 * 16000 + 10 * 16000 + 3 * 4400 });
    const csv = await svc.request(`/institutional/organisations/${SCHOOL}/statements/2026-12/csv`, { user: users.schoolAdmin });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text).toContain('合计');
    expect(text.trim().split('\r\n')).toHaveLength(1 + 3 + 1);
    const page = await svc.request(`/institutional/organisations/${SCHOOL}/statements/2026-12/print`, { user: users.schoolAdmin });
    expect(await page.text()).toContain('应付 ¥3332.00');
    expect((await call(`/organisations/${SCHOOL}/statements/2026-12`, users.hospitalAdmin)).status).toBe(403);
    expect((await call(`/organisations/${SCHOOL}/statements/2026-12`, users.schoolReceiver)).status).toBe(403);
    expect((await call(`/organisations/${SCHOOL}/statements/2026-13`, users.schoolAdmin)).status).toBe(400);
  });

  it('the monthly Stripe Invoice: send_invoice, due in 30 days, once per month; invoice.paid settles it', async () => {
    const issued = await call(`/organisations/${SCHOOL}/statements/2026-12/invoice`, users.operator, {});
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ status: 'open', totalFen: 333_200 });
    expect((await call(`/organisations/${SCHOOL}/statements/2026-12/invoice`, users.operator, {})).status).toBe(409);
    expect((await call(`/organisations/${SCHOOL}/statements/2026-12/invoice`, users.schoolAdmin, {})).status).toBe(403);
    const stripe = new Stripe('sk_test_local_standin', payments.standin?.sdkOptions);
    const inv = await stripe.invoices.retrieve(issued.body.stripe.invoiceId);
    expect(inv).toMatchObject({ collection_method: 'send_invoice', status: 'open', currency: 'cny', amount_due: 333_200, metadata: { orgId: SCHOOL, month: '2026-12' } });
    expect((inv.due_date as number) - inv.created).toBe(30 * 86_400);
    expect(inv.lines.data.map((l) => l.amount).sort()).toEqual([13_200, 320_000].sort());
    expect((await call(`/organisations/${SCHOOL}/invoices`, users.hospitalAdmin)).status).toBe(403);

    await stripe.invoices.pay(inv.id, { paid_out_of_band: true });
    const paid = await until(async () => {
      const r = await call(`/organisations/${SCHOOL}/invoices`, users.schoolAdmin);
      return r.body.items[0]?.status === 'paid' ? r.body.items[0] : null;
    });
    expect(paid.paidAt).toBeTruthy();
  });

  it('hot meals: ordered by 09:30, cooked by the kitchen with a ride limit, and a 留样 task confirmed by the receiver', async () => {
    clock.set('2026-12-09T08:00:00+08:00');
    const order = { contractId, siteId: 'site-no1-canteen', serviceDate: '2026-12-09', window: { from: '11:30', until: '12:00' }, lines: [{ lineId: 'lunch', quantity: 600 }] };
    expect((await call(`/organisations/${SCHOOL}/hot-meals`, users.schoolAdmin, { ...order, lines: [{ lineId: 'rice', quantity: 600 }] })).status).toBe(422);
    expect((await call(`/organisations/${SCHOOL}/hot-meals`, users.hospitalAdmin, order)).status).toBe(403);
    const placed = await call(`/organisations/${SCHOOL}/hot-meals`, users.schoolAdmin, order);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ channel: 'hot_meal', cutoffAt: '2026-12-09T01:30:00.000Z', totalFen: 600 * 1500 });
    expect((await call(`/organisations/${SCHOOL}/hot-meals`, users.schoolAdmin, order)).status).toBe(409);
    const id = placed.body._id;

    clock.set('2026-12-09T09:31:00+08:00');
    expect((await call(`/organisations/${SCHOOL}/hot-meals`, users.schoolAdmin, { ...order, serviceDate: '2026-12-09', siteId: 'site-no1-canteen' })).status).toBe(409);
    await call('/call-offs/close-due', users.operator, {});
    await emit(svc, EVENT_TYPES.StockReserved, id, { orderId: id, lines: [{ skuId: 's-lunch-std', quantity: 600 }], reservedUntil: '2026-12-09T05:00:00.000Z' });
    await until(async () => (await call(`/call-offs/${id}`, users.schoolAdmin)).body.status === 'reserved' || null);

    clock.set('2026-12-09T11:00:00+08:00');
    const cooked = { cookedAt: '2026-12-09T02:50:00.000Z', dishes: ['白切马冈鹅', '蒜蓉菜心', '丝苗米饭'] };
    expect((await call(`/hot-meals/${id}/cooked`, users.otherMerchant, cooked)).status).toBe(403);
    const done = await call(`/hot-meals/${id}/cooked`, users.kitchen, cooked);
    expect(done.status).toBe(200);
    const request = (await outboxEvents(svc, EVENT_TYPES.DeliveryRequested)).find((e) => e.data['orderId'] === id);
    // School: portioned within 1 h of cooking; cooked 10:50, dispatched 11:00 → 50 minutes of ride.
    expect(request?.data).toMatchObject({ channel: 'hot_meal', cookedAt: '2026-12-09T02:50:00.000Z', maxRideMinutes: 50, lines: [{ temperatureClass: 'hot', quantity: 600 }] });

    const tasks = await call(`/samples?orgId=${SCHOOL}&status=pending`, users.schoolReceiver);
    expect(tasks.body.items).toHaveLength(1);
    const task = tasks.body.items[0];
    expect(task).toMatchObject({ dishes: cooked.dishes, dueAt: '2026-12-09T05:00:00.000Z', status: 'pending' });
    expect((await call(`/samples?orgId=${SCHOOL}`, users.hospitalAdmin)).status).toBe(403);
    const light = await call(`/samples/${task._id}/confirm`, users.schoolReceiver, { dishes: cooked.dishes.map((dish, i) => ({ dish, grams: i === 0 ? 124 : 150 })) });
    expect(light.status).toBe(422);
    expect(light.body.issues[0].field).toBe('dishes.0.grams');
    const kept = await call(`/samples/${task._id}/confirm`, users.schoolReceiver, { dishes: cooked.dishes.map((dish) => ({ dish, grams: 130 })) });
    expect(kept.body).toMatchObject({ status: 'kept', keepUntil: '2026-12-11T03:00:00.000Z' });
    expect((await call(`/samples/${task._id}/discard`, users.schoolReceiver, {})).status).toBe(409);
  });

  it('budget cap: a call-off over the month’s cap waits for the buyer admin, then is reserved', async () => {
    clock.set('2026-12-03T10:00:00+08:00');
    const created = await call('/contracts', users.operator, {
      orgId: HOSPITAL,
      number: 'KP-2026-H01',
      titleZh: '中心医院食材配送合同',
      validFrom: '2026-12-01',
      validUntil: '2026-12-31',
      monthlyBudgetFen: 100_000,
      substitutionPolicy: 'auto',
      lines: [{ lineId: 'rice', productId: 'p-rice', skuId: 's-rice-10kg', unitPriceFen: 16000, minQuantity: 1, maxQuantity: 20 }],
      schedules: [{ siteId: 'site-hospital-kitchen', frequency: 'weekly', weekdays: [4], window: { from: '07:00', until: '09:00' }, quantities: [{ lineId: 'rice', quantity: 8 }] }],
    });
    expect(created.status).toBe(201);
    await call(`/contracts/${created.body._id}/activate`, users.operator, {});
    await svc.app.get(CallOffsService).generateForDate('2026-12-10', clock.now());
    clock.set('2026-12-09T16:00:00+08:00');
    await call('/call-offs/close-due', users.operator, {});
    const [held] = (await call(`/call-offs?orgId=${HOSPITAL}`, users.hospitalAdmin)).body.items;
    expect(held).toMatchObject({ status: 'awaiting-approval', totalFen: 128_000, budget: { capFen: 100_000, overBudget: true } });
    expect(await outboxEvents(svc, EVENT_TYPES.OrderPlaced, held._id)).toHaveLength(0);
    expect((await call(`/call-offs/${held._id}/approve-budget`, users.schoolAdmin, {})).status).toBe(404);
    const ok = await call(`/call-offs/${held._id}/approve-budget`, users.hospitalAdmin, {});
    expect(ok.body).toMatchObject({ status: 'reserving', budget: { approvedBy: 'u-hospital-1' } });
    expect(await outboxEvents(svc, EVENT_TYPES.OrderPlaced, held._id)).toHaveLength(1);
  });
});
