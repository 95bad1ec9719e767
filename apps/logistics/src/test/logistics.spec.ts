import { EVENT_TYPES, type ProductStatusChangedV1 } from '@techan/common';
import { startTestService, validOpenApiOperations, type TestService } from '@techan/common/testing';
import { testServiceEnv } from '@techan/local-stack';
import { AppModule } from '../app/app.module';
import { PlanningQueue } from '../app/planning/planning.queue';
import { LOGISTICS_SERVICE } from '../service';
import { deliveryRequest, dispatcher, emit, json, operator, otherDispatcher, published, until } from './helpers';

const DATE = '2026-12-01';

describe('logistics service through HTTP and the bus', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(LOGISTICS_SERVICE, AppModule, { ...testServiceEnv('logistics'), EXCURSION_FROZEN_MINUTES: '0.05', EXCURSION_HOT_MINUTES: '0.05' });
    const depots = [
      { id: 'kaiping-dc', nameZh: '开平市县级配送中心', kind: 'county_dc', address: '开平市冷链物流园', lat: 22.3765, lng: 112.6983, opensAt: '06:00', closesAt: '20:00', staffUserIds: [dispatcher.userId] },
      { id: 'kaiping-kitchen', nameZh: '开平优餐中央厨房', kind: 'central_kitchen', address: '开平市三埠街道', lat: 22.366, lng: 112.695, opensAt: '06:00', closesAt: '20:00', staffUserIds: [dispatcher.userId], planningCutoff: '08:30' },
      { id: 'taishan-dc', nameZh: '台山配送中心', kind: 'regional_warehouse', address: '台山市', lat: 22.25, lng: 112.79, opensAt: '06:00', closesAt: '20:00', staffUserIds: [otherDispatcher.userId] },
    ];
    for (const d of depots) await json(await svc.request('/depots', { user: operator, body: d }), 201);
    const vehicles = [
      ['kaiping-dc', { id: 'v-cold-1', plate: '粤J·C1001', compartments: [{ temperatureClass: 'frozen', capacityKg: 800, deviceId: 'dev-c1-frozen' }, { temperatureClass: 'chilled', capacityKg: 800, deviceId: 'dev-c1-chilled' }], fixedCostFen: 30000, perKmCostFen: 250 }],
      ['kaiping-dc', { id: 'v-cold-2', plate: '粤J·C1002', compartments: [{ temperatureClass: 'frozen', capacityKg: 500, deviceId: 'dev-c2-frozen' }, { temperatureClass: 'ambient', capacityKg: 500, deviceId: 'dev-c2-ambient' }], fixedCostFen: 25000, perKmCostFen: 200 }],
      ['kaiping-kitchen', { id: 'v-hot-1', plate: '粤J·H2001', compartments: [{ temperatureClass: 'hot', capacityKg: 300, deviceId: 'dev-h1-hot' }], fixedCostFen: 20000, perKmCostFen: 200 }],
    ] as const;
    for (const [depot, v] of vehicles) await json(await svc.request(`/depots/${depot}/vehicles`, { user: dispatcher, body: v }), 201);
  });
  afterAll(() => svc?.stop());

  it('publishes a valid OpenAPI 3 document of its routes, with bodies from the ZodPipes', async () => {
    const { document, operations } = await validOpenApiOperations(svc.url);
    expect(operations).toEqual(expect.arrayContaining(['POST /depots', 'POST /depots/{depotId}/plans', 'GET /plans/{planId}', 'POST /plans/{planId}/locks', 'POST /plans/{planId}/publish']));
    const paths = document['paths'] as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>>;
    expect(paths['/plans/{planId}/locks']['post'].requestBody?.content['application/json'].schema.required).toEqual(expect.arrayContaining(['shipmentId', 'vehicleId']));
  });

  describe('fleet', () => {
    it('refuses unknown fields, a device fitted twice, and another depot', async () => {
      const extra = await svc.request('/depots', { user: operator, body: { id: 'x-dc', nameZh: 'x', kind: 'county_dc', address: 'x', lat: 22, lng: 112, opensAt: '06:00', closesAt: '20:00', $where: '1' } });
      expect(extra.status).toBe(400);
      const twice = await svc.request('/depots/kaiping-dc/vehicles', {
        user: dispatcher,
        body: { id: 'v-dup', plate: '粤J·D0001', compartments: [{ temperatureClass: 'frozen', capacityKg: 100, deviceId: 'dev-c1-frozen' }], fixedCostFen: 1, perKmCostFen: 1 },
      });
      expect(twice.status).toBe(409);
      expect(await svc.request('/depots/taishan-dc/vehicles', { user: dispatcher })).toHaveProperty('status', 403);
      expect(await svc.request('/depots', { user: dispatcher, body: { id: 'y' } })).toHaveProperty('status', 403);
      const mine = await json(await svc.request('/depots', { user: dispatcher }), 200);
      expect(mine.items.map((d: { id: string }) => d.id)).toEqual(['kaiping-dc', 'kaiping-kitchen']);
      // The kitchen plans itself at its cut-off: a BullMQ job scheduler, 08:30 China time.
      const schedulers = await svc.app.get(PlanningQueue).queue.getJobSchedulers();
      expect(schedulers).toEqual([expect.objectContaining({ key: 'cutoff-kaiping-kitchen', pattern: '30 8 * * *', tz: 'Asia/Shanghai' })]);
    });
  });

  describe('a morning: requests → plan → publish → dispatch → excursion → QA → proof of delivery', () => {
    let planId: string;

    it('turns delivery requests into shipments once, at the right depot, and withdraws a cancelled order', async () => {
      const hot = deliveryRequest('hot1', {
        channel: 'hot_meal',
        buyerOrgId: 'org-kaiping-no1-middle-school',
        window: { from: '2026-12-01T03:30:00Z', until: '2026-12-01T04:15:00Z' },
        lines: [{ lineId: 'ord-hot1:lunch', productId: 'p-youcan-lunch', skuId: 'sku-lunch', nameZh: '优餐午餐（马冈鹅饭）', quantity: 120, temperatureClass: 'hot', weightGrams: 60000 }],
        cookedAt: '2026-12-01T03:00:00Z',
        maxRideMinutes: 120,
      });
      const first = await emit(svc, EVENT_TYPES.DeliveryRequested, hot.requestId, hot);
      await emit(svc, EVENT_TYPES.DeliveryRequested, hot.requestId, hot, first.id); // redelivered
      const contract = deliveryRequest('2', {
        channel: 'contract',
        lines: [
          { lineId: 'ord-2:goose', productId: 'p-magang-goose', skuId: 'sku-goose-frozen', nameZh: '马冈鹅（冷冻整鹅）', quantity: 4, temperatureClass: 'frozen', weightGrams: 12000 },
          { lineId: 'ord-2:fish', productId: 'p-kaiping-fish', skuId: 'sku-fish', nameZh: '开平鲩鱼片', quantity: 5, temperatureClass: 'frozen', weightGrams: 5000 },
          { lineId: 'ord-2:egg', productId: 'p-dasha-egg', skuId: 'sku-egg', nameZh: '大沙鲜鸡蛋', quantity: 3, temperatureClass: 'chilled', weightGrams: 4500 },
        ],
      });
      for (const r of [contract, deliveryRequest('3'), deliveryRequest('4'), deliveryRequest('5', { window: { from: '2026-11-30T18:00:00Z', until: '2026-11-30T18:30:00Z' } })]) {
        await emit(svc, EVENT_TYPES.DeliveryRequested, r.requestId, r);
      }
      await emit(svc, EVENT_TYPES.OrderCancelled, 'ord-4', { orderId: 'ord-4', reason: '顾客取消', cancelledAt: '2026-11-30T11:00:00Z' });
      const day = await until('five shipments', async () => {
        const body = await json(await svc.request(`/depots/kaiping-dc/shipments?date=${DATE}`, { user: dispatcher }), 200);
        return body.total === 4 && body.items.some((s: { status: string }) => s.status === 'withdrawn') && body;
      });
      expect(day.items.find((s: { requestId: string }) => s.requestId === 'req-4').status).toBe('withdrawn');
      const kitchen = await json(await svc.request(`/depots/kaiping-kitchen/shipments?date=${DATE}`, { user: dispatcher }), 200);
      expect(kitchen.items.map((s: { requestId: string }) => s.requestId)).toEqual(['req-hot1']);
      expect(kitchen.items[0]).toMatchObject({ status: 'pending', maxRideMinutes: 120, serviceMinutes: 12 });
    });

    it('plans the day in a BullMQ job with progress, lists the unreachable stop with its reason, and re-plans around a lock', async () => {
      const created = await json(await svc.request('/depots/kaiping-dc/plans', { user: dispatcher, body: { date: DATE, timeLimitSeconds: 2 } }), 201);
      expect(created.status).toBe('queued');
      const plan = await until('plan done', async () => {
        const p = await json(await svc.request(`/plans/${created.id}`, { user: dispatcher }), 200);
        return p.status === 'done' && p;
      });
      expect(plan.progress.length).toBeGreaterThan(0);
      expect(plan.unserved).toEqual([expect.objectContaining({ shipmentId: 'shp-req-5', reason: 'time-window-unreachable', reasonZh: expect.stringContaining('时间窗') })]);
      const routed = plan.routes.flatMap((r: { stops: { shipmentId: string }[] }) => r.stops.map((s) => s.shipmentId)).sort();
      expect(routed).toEqual(['shp-req-2', 'shp-req-3']);

      // Lock shp-req-3 onto the other vehicle, then re-plan: it must ride there.
      const vehicleOf3 = plan.routes.find((r: { stops: { shipmentId: string }[] }) => r.stops.some((s) => s.shipmentId === 'shp-req-3')).vehicleId;
      const other = vehicleOf3 === 'v-cold-1' ? 'v-cold-2' : 'v-cold-1';
      await json(await svc.request(`/plans/${plan.id}/locks`, { user: dispatcher, body: { shipmentId: 'shp-req-3', vehicleId: other } }), 201);
      const unknown = await svc.request(`/plans/${plan.id}/locks`, { user: dispatcher, body: { shipmentId: 'shp-req-3', vehicleId: 'v-hot-1' } });
      expect(unknown.status).toBe(404);
      const again = await json(await svc.request(`/plans/${plan.id}/replan`, { user: dispatcher, body: { timeLimitSeconds: 2 } }), 201);
      const replanned = await until('re-plan done', async () => {
        const p = await json(await svc.request(`/plans/${again.id}`, { user: dispatcher }), 200);
        return p.status === 'done' && p;
      });
      expect(replanned.parentPlanId).toBe(plan.id);
      // The console follows a job over server-sent events; a finished plan sends its final state and closes.
      const sse = await svc.request(`/plans/${again.id}/progress`, { user: dispatcher });
      expect(sse.headers.get('content-type')).toContain('text/event-stream');
      expect(await sse.text()).toMatch(/^data: \{"id":"plan-[^"]+","status":"done"/m);
      expect(replanned.routes.find((r: { vehicleId: string }) => r.vehicleId === other).stops.map((s: { shipmentId: string }) => s.shipmentId)).toContain('shp-req-3');
      planId = replanned.id;
    });

    it('cancels a running plan', async () => {
      const created = await json(await svc.request('/depots/kaiping-dc/plans', { user: dispatcher, body: { date: DATE, timeLimitSeconds: 120 } }), 201);
      await until('plan running', async () => (await json(await svc.request(`/plans/${created.id}`, { user: dispatcher }), 200)).status === 'running');
      await json(await svc.request(`/plans/${created.id}/cancel`, { user: dispatcher, body: {} }), 201);
      const t0 = Date.now();
      const cancelled = await until('plan cancelled', async () => {
        const p = await json(await svc.request(`/plans/${created.id}`, { user: dispatcher }), 200);
        return p.status === 'cancelled' && p;
      });
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(cancelled.stoppedBy).toBe('cancelled');
    });

    it('publishes the plan (shipment-planned per stop, a manifest per driver) and dispatches a route', async () => {
      const res = await json(await svc.request(`/plans/${planId}/publish`, { user: dispatcher, body: {} }), 201);
      expect(res.status).toBe('published');
      const planned = await published(svc, EVENT_TYPES.ShipmentPlanned);
      expect(planned.filter((e) => e.envelope.data['planId'] === planId).map((e) => e.subject).sort()).toEqual(['req-2', 'req-3']);
      const manifests = await json(await svc.request(`/plans/${planId}/manifests`, { user: dispatcher }), 200);
      expect(manifests.items.flatMap((m: { stops: { shipmentId: string }[] }) => m.stops.map((s) => s.shipmentId)).sort()).toEqual(['shp-req-2', 'shp-req-3']);
      const v2 = (await json(await svc.request('/shipments/shp-req-2', { user: dispatcher }), 200)).vehicleId;
      const dispatched = await json(await svc.request(`/plans/${planId}/routes/${v2}/dispatch`, { user: dispatcher, body: {} }), 201);
      expect(dispatched.dispatched).toContain('shp-req-2');
      expect((await published(svc, EVENT_TYPES.ShipmentDispatched)).map((e) => e.subject)).toContain('req-2');
      // A plan edit on a dispatched route is refused.
      const edit = await svc.request(`/plans/${planId}/locks`, { user: dispatcher, body: { shipmentId: 'shp-req-2', vehicleId: v2 } });
      expect(edit.status).toBe(409);
      const editOther = await svc.request(`/plans/${planId}/fixed-prefixes`, { user: dispatcher, body: { vehicleId: v2, shipmentIds: [] } });
      expect(editOther.status).toBe(409);
    });

    it('ingests readings, refusing bad ones one by one, and an excursion holds the frozen goods on board', async () => {
      const s2 = await json(await svc.request('/shipments/shp-req-2', { user: dispatcher }), 200);
      const frozenDevice = s2.vehicleId === 'v-cold-1' ? 'dev-c1-frozen' : 'dev-c2-frozen';
      const t = Date.parse(s2.dispatchedAt);
      const iso = (ms: number) => new Date(t + ms).toISOString();
      const batch = [
        { deviceId: frozenDevice, at: iso(1000), c: -19.2 },
        { deviceId: frozenDevice, at: iso(2000), c: Number.NaN },
        { deviceId: frozenDevice, at: iso(3000), c: -300 },
        { deviceId: frozenDevice, at: new Date(Date.now() + 86_400_000).toISOString(), c: -19 },
        { deviceId: 'dev-nobody', at: iso(3000), c: -19 },
        { deviceId: 'dev-c1-frozen', at: 'yesterday', c: -19 },
        { deviceId: frozenDevice, at: iso(4000), c: -18.4 },
        { deviceId: frozenDevice, at: iso(4000), c: -18.4 },
      ];
      const report = await json(await svc.request('/telemetry/readings', { user: dispatcher, body: { readings: batch } }), 200);
      expect(report).toMatchObject({ accepted: 2, duplicates: 1, excursionsRaised: [] });
      expect(report.refused.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
        [1, 'not_a_number'], [2, 'implausible_value'], [3, 'future_time'], [4, 'unknown_device'], [5, 'bad_time'],
      ]);
      const allBad = await svc.request('/telemetry/readings', { user: dispatcher, body: { readings: [{ deviceId: frozenDevice, at: iso(5000), c: -300 }] } });
      expect(allBad.status).toBe(400);
      expect(((await allBad.json()) as { refused: unknown[] }).refused).toHaveLength(1);
      // Another depot's gateway may not write this vehicle's readings.
      expect((await svc.request('/telemetry/readings', { user: otherDispatcher, body: { readings: [{ deviceId: frozenDevice, at: iso(5000), c: -19 }] } })).status).toBe(400);

      // One noisy spike raises nothing; out of range for longer than 3 s (test setting) does, even sent out of order.
      await json(await svc.request('/telemetry/readings', { user: dispatcher, body: { readings: [{ deviceId: frozenDevice, at: iso(5000), c: -10 }, { deviceId: frozenDevice, at: iso(6000), c: -19 }] } }), 200);
      const raised = await json(await svc.request('/telemetry/readings', {
        user: dispatcher,
        body: { readings: [{ deviceId: frozenDevice, at: iso(11_000), c: -14.5 }, { deviceId: frozenDevice, at: iso(7000), c: -16 }, { deviceId: frozenDevice, at: iso(9000), c: -15 }] },
      }), 200);
      expect(raised.excursionsRaised).toHaveLength(1);
      const holds = await json(await svc.request('/holds?status=held&cause=excursion', { user: dispatcher }), 200);
      expect(holds.items.map((h: { lineId: string }) => h.lineId).sort()).toEqual(['ord-2:fish', 'ord-2:goose']);
      const held = await published(svc, EVENT_TYPES.ShipmentHeld);
      expect(held.at(-1)?.envelope.data).toMatchObject({ cause: 'excursion', causeRef: raised.excursionsRaised[0], lineIds: ['ord-2:goose', 'ord-2:fish'] });
      const live = await json(await svc.request('/depots/kaiping-dc/temperatures', { user: dispatcher }), 200);
      expect(live.items.find((d: { deviceId: string }) => d.deviceId === frozenDevice)).toMatchObject({ excursionId: raised.excursionsRaised[0], latest: { c: -14.5 } });
      // Back in range by the hysteresis margin ends it.
      const ended = await json(await svc.request('/telemetry/readings', { user: dispatcher, body: { readings: [{ deviceId: frozenDevice, at: iso(12_000), c: -19.0 }] } }), 200);
      expect(ended.excursionsEnded).toEqual(raised.excursionsRaised);
    });

    it('keeps held goods from the customer until QA decides; releases one, rejects the other (items-rejected)', async () => {
      const lines = [
        { lineId: 'ord-2:goose', accepted: 4, rejected: 0, short: 0 },
        { lineId: 'ord-2:fish', accepted: 5, rejected: 0, short: 0 },
        { lineId: 'ord-2:egg', accepted: 3, rejected: 0, short: 0 },
      ];
      const early = await svc.request('/shipments/shp-req-2/deliver', { user: dispatcher, body: { receiverName: '陈主任', lines } });
      expect(early.status).toBe(409);
      const holds = (await json(await svc.request('/holds?status=held', { user: dispatcher }), 200)).items as { _id: string; lineId: string }[];
      const goose = holds.find((h) => h.lineId === 'ord-2:goose') as { _id: string };
      const fish = holds.find((h) => h.lineId === 'ord-2:fish') as { _id: string };
      expect((await svc.request(`/holds/${goose._id}/decision`, { user: otherDispatcher, body: { decision: 'release', reason: 'x' } })).status).toBe(403);
      const released = await json(await svc.request(`/holds/${goose._id}/decision`, { user: dispatcher, body: { decision: 'release', reason: '复测芯温 −18.6 °C，包装完好' } }), 201);
      expect(released).toMatchObject({ status: 'released', decidedBy: dispatcher.userId });
      await json(await svc.request(`/holds/${fish._id}/decision`, { user: dispatcher, body: { decision: 'reject', reason: '鱼片表面解冻' } }), 201);
      expect((await svc.request(`/holds/${fish._id}/decision`, { user: dispatcher, body: { decision: 'release', reason: '改判' } })).status).toBe(409);
      const rejected = await published(svc, EVENT_TYPES.ItemsRejected);
      expect(rejected.at(-1)?.envelope.data).toMatchObject({ cause: 'excursion', remedy: 'replace', lines: [{ lineId: 'ord-2:fish', quantity: 5 }], decidedBy: dispatcher.userId, reason: '鱼片表面解冻' });

      // Rejected fish may not be accepted; another depot's driver may not confirm; quantities must add up.
      expect((await svc.request('/shipments/shp-req-2/deliver', { user: dispatcher, body: { receiverName: '陈主任', lines } })).status).toBe(409);
      // The receiver signs 20 s after departure (the readings above run to +12 s).
      const deliveredAt = new Date(Date.parse((await json(await svc.request('/shipments/shp-req-2', { user: dispatcher }), 200)).dispatchedAt) + 20_000).toISOString();
      const proof = [lines[0], { lineId: 'ord-2:fish', accepted: 0, rejected: 0, short: 5, reason: '质检拒收' }, lines[2]];
      expect((await svc.request('/shipments/shp-req-2/deliver', { user: otherDispatcher, body: { receiverName: '陈主任', lines: proof } })).status).toBe(403);
      expect((await svc.request('/shipments/shp-req-2/deliver', { user: dispatcher, body: { receiverName: '陈主任', lines: [{ ...lines[0], accepted: 3 }, proof[1], proof[2]] } })).status).toBe(400);
      const done = await json(await svc.request('/shipments/shp-req-2/deliver', { user: dispatcher, body: { receiverName: '陈主任', deliveredAt, lines: proof } }), 201);
      expect(done.status).toBe('delivered');
      const delivered = (await published(svc, EVENT_TYPES.ShipmentDelivered)).at(-1)?.envelope.data;
      expect(delivered).toMatchObject({ requestId: 'req-2', receiverName: '陈主任' });
      expect(delivered?.['temperatures']).toEqual(expect.arrayContaining([expect.objectContaining({ temperatureClass: 'frozen', minC: -19.2, maxC: -10, excursion: true })]));
    });
  });

  describe('recall', () => {
    it('holds every undelivered item of a red-warned product and tells orders, applying only newer versions', async () => {
      const r = deliveryRequest('9', {
        lines: [{ lineId: 'ord-9:tea', productId: 'p-dasha-tea', skuId: 'sku-tea', nameZh: '大沙茶', quantity: 1, temperatureClass: 'ambient', weightGrams: 500 }],
      });
      await emit(svc, EVENT_TYPES.DeliveryRequested, r.requestId, r);
      await until('shipment 9', async () => (await svc.request('/shipments/shp-req-9', { user: dispatcher })).status === 200);
      const status = (version: number, certStatus: 'red_warning' | 'active'): ProductStatusChangedV1 => ({
        productId: 'p-dasha-tea', merchantId: 'm-dasha-tea', version, purchasable: certStatus === 'active', reason: '抽检农残超标', changedAt: new Date().toISOString(),
        certificates: [{ certificateId: 'c-tea', mark: 'otop', level: 3, status: certStatus, colour: certStatus === 'active' ? 'green' : 'red', validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-06-01T00:00:00Z' }],
      });
      await emit(svc, EVENT_TYPES.ProductStatusChanged, 'p-dasha-tea', status(5, 'red_warning'));
      const recall = await until('recall hold', async () => {
        const h = await json(await svc.request('/holds?cause=recall', { user: dispatcher }), 200);
        return h.total === 1 && h.items[0];
      });
      expect(recall).toMatchObject({ lineId: 'ord-9:tea', status: 'rejected', remedy: 'refund' });
      const rejected = (await published(svc, EVENT_TYPES.ItemsRejected)).filter((e) => e.envelope.data['cause'] === 'recall');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].envelope.data['reason']).toContain('红色警示');
      // A recall cannot be released by QA.
      expect((await svc.request(`/holds/${recall._id}/decision`, { user: dispatcher, body: { decision: 'release', reason: 'x' } })).status).toBe(409);
      // A later request for the recalled product is held on arrival; an older status event changes nothing.
      await emit(svc, EVENT_TYPES.ProductStatusChanged, 'p-dasha-tea', status(4, 'active'));
      const late = deliveryRequest('10', { lines: r.lines.map((l) => ({ ...l, lineId: 'ord-10:tea' })) });
      await emit(svc, EVENT_TYPES.DeliveryRequested, late.requestId, late);
      await until('second recall hold', async () => (await json(await svc.request('/holds?cause=recall', { user: dispatcher }), 200)).total === 2);
    });
  });
});
