import { EVENT_TYPES, createEvent } from '@techan/common';
import { publishTestEvent } from '@techan/common/testing';
import { testBusEnv } from '@techan/local-stack';
import type { ProductUpsertedV1 } from '@techan/common';
import { TimerWorker } from '../app/timers/timer-worker';
import { addMonths } from '../domain';
import { ApiHarness, PRINCIPALS } from './api-harness';
import { certify, expectStatus, registerGoose } from './flows';

const { certifier } = PRINCIPALS;
jest.setTimeout(90_000);

describe('restarts and catalog events', () => {
  const first = new ApiHarness();
  let second: ApiHarness | undefined;
  beforeAll(async () => {
    await first.start();
  });
  afterAll(async () => {
    await second?.stop();
    await first.stop();
  });

  it('transitions that fell due while the service was down are applied once by the next instance', async () => {
    const productId = 'p-restart-goose';
    await registerGoose(first, productId);
    const application = await certify(first, { scheme: 'otop', level: 2 }, productId);
    const issued = (await first.request('GET', `/certificates/${application.certificateId}`, { as: certifier })).body;
    const env = first.env;
    await first.stop();

    // Down for 14 months: the inspection fell due, was not done within the window, and its grace month lapsed.
    second = new ApiHarness();
    second.clock.set(addMonths(new Date(issued.validFrom), 14));
    await second.start(env);
    const report = await second.get(TimerWorker).sweepOnce();
    expect(report.changed).toBe(1);
    const after = (await second.request('GET', `/certificates/${application.certificateId}`, { as: certifier })).body;
    expect(after.status).toBe('suspended');
    expect(after.history.slice(-3).map((h: { type: string }) => h.type)).toEqual(['inspection_falls_due', 'inspection_overdue', 'grace_lapsed']);
    const events = await second.statusEvents(productId);
    // One event for the catch-up (not one per step), carrying the final state.
    expect(events.at(-1).data).toMatchObject({ version: events.length, purchasable: false, reason: 'timer.inspection_falls_due+inspection_overdue+grace_lapsed' });
    expect(await second.get(TimerWorker).sweepOnce()).toEqual({ examined: 0, changed: 0 });
  });

  it('learns products from catalog events (techan.catalog.product-upserted.v1)', async () => {
    const api = second as ApiHarness;
    const data: ProductUpsertedV1 = { productId: 'p-catalog-tea', merchantId: 'm-magang-goose', name: '大沙茶（明前绿茶）', gtin: '6901234567892', town: 'dasha', updatedAt: new Date().toISOString() };
    await publishTestEvent(testBusEnv('catalog'), api.eventPrefix, createEvent(EVENT_TYPES.ProductUpserted, data.productId, data, { source: 'catalog' }));
    let product: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      product = await api.request('GET', `/products/${data.productId}`, { as: certifier });
      if (product.status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expectStatus(product as never, 200);
    expect(product.body).toMatchObject({ id: 'p-catalog-tea', merchantId: 'm-magang-goose', name: '大沙茶（明前绿茶）', gtin: '06901234567892', origin: { town: 'dasha', inKaiping: true } });
  });
});
