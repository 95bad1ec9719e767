import { createEvent, EVENT_TYPES, type EventEnvelope, type ShipmentDeliveredV1 } from '@techan/common';
import { publishTestEvent } from '@techan/common/testing';
import { testBusEnv } from '@techan/local-stack';
import { ApiHarness, PRINCIPALS } from '../../test/api-harness';
import { certify, expectStatus, GOOSE, registerGoose } from '../../test/flows';

jest.setTimeout(90_000);

/** Logistics' proof of delivery reaches the consumer's verify page as the product's cold chain. */
describe('delivery trace on the verify page', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  const delivered = (shipmentId: string, deliveredAt: string, excursion: boolean): ShipmentDeliveredV1 => ({
    shipmentId,
    requestId: `req-${shipmentId}`,
    orderId: `ord-${shipmentId}`,
    receiverName: '陈主任',
    deliveredAt,
    lines: [
      { lineId: 'l1', productId: GOOSE, skuId: 'sku-goose', accepted: 2, rejected: 0, short: 0, temperatureClass: 'frozen' },
      { lineId: 'l2', productId: 'p-dasha-tea', skuId: 'sku-tea', accepted: 1, rejected: 0, short: 0, temperatureClass: 'ambient' },
    ],
    temperatures: [
      { temperatureClass: 'frozen', minC: -19.2, maxC: excursion ? -12.5 : -18.4, readings: 40, excursion },
      { temperatureClass: 'ambient', minC: 18, maxC: 22, readings: 40, excursion: false },
    ],
  });

  it('shows the latest delivery temperatures, once per event, and says so when the chain broke', async () => {
    await registerGoose(api);
    await certify(api);
    const trace = await api.request('POST', `/products/${GOOSE}/trace-codes`, { as: PRINCIPALS.merchant, body: {} });
    expectStatus(trace, 201);
    const code = trace.body.code as string;
    expect((await api.request('GET', `/verify/${code}`)).body.coldChain).toBeUndefined();

    // As logistics, with its bus credentials (only the owner may write its topics).
    const publish = (e: EventEnvelope) => publishTestEvent(testBusEnv('logistics'), api.svc.config.EVENT_PREFIX, e);
    const event = createEvent(EVENT_TYPES.ShipmentDelivered, 'req-s1', delivered('s1', '2026-11-30T04:00:00Z', false), { source: 'logistics' });
    await publish(event);
    await publish(event); // redelivered
    const deadline = Date.now() + 30_000;
    let view = (await api.request('GET', `/verify/${code}`)).body;
    while (!view.coldChain && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await api.request('GET', `/verify/${code}`)).body;
    }
    expect(view.coldChain).toEqual([{ deliveredAt: '2026-11-30T04:00:00.000Z', temperatureClass: 'frozen', minC: -19.2, maxC: -18.4, coldChainKept: true }]);
    const page = await api.request('GET', `/t/${code}`);
    expect(page.text).toContain('全程冷链 ✓ -19.2 °C … -18.4 °C');

    const broken = createEvent(EVENT_TYPES.ShipmentDelivered, 'req-s2', delivered('s2', '2026-12-01T04:00:00Z', true), { source: 'logistics' });
    await publish(broken);
    while (view.coldChain.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await api.request('GET', `/verify/${code}`)).body;
    }
    expect(view.coldChain.map((c: { coldChainKept: boolean }) => c.coldChainKept)).toEqual([false, true]);
    expect((await api.request('GET', `/t/${code}`)).text).toContain('运输途中温度异常 ✗');
  });
});
