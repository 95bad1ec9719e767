import { publishTestEvent } from '@techan/common/testing';
import { testBusEnv } from '@techan/local-stack';
import { createEvent, EVENT_TYPES, type ComplaintConfirmedV1 } from '@techan/common';
import { ApiHarness, PRINCIPALS } from './api-harness';
import { certify, expectStatus, GOOSE, registerGoose } from './flows';

const { certifier } = PRINCIPALS;
jest.setTimeout(90_000);

/** orders' complaint-confirmed becomes an incident on the enterprise's records (and a red warning when major). */
describe('complaint-confirmed from orders', () => {
  const api = new ApiHarness();
  beforeAll(async () => {
    await api.start();
  });
  afterAll(() => api.stop());

  const emit = async (data: ComplaintConfirmedV1) => {
    const event = createEvent(EVENT_TYPES.ComplaintConfirmed, data.productId, data, { source: 'orders' });
    await publishTestEvent(testBusEnv('orders'), api.svc.config.EVENT_PREFIX, event);
  };

  const until = async <T>(probe: () => Promise<T | undefined | null | false>): Promise<T> => {
    for (let i = 0; i < 300; i++) {
      const v = await probe();
      if (v) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('not reached in time');
  };

  it('records a confirmed fake as a major incident and puts the product under a red warning, once', async () => {
    await registerGoose(api);
    const application = await certify(api);
    const complaint: ComplaintConfirmedV1 = {
      complaintId: 'as-1',
      productId: GOOSE,
      merchantId: 'm-magang-goose',
      orderId: 'o-1',
      kind: 'fake',
      severity: 'major',
      summary: '假一赔廿：买到的不是马冈鹅',
      confirmedAt: api.clock.now().toISOString(),
    };
    await emit(complaint);
    await emit(complaint); // redelivered
    const records = await until(async () => {
      const r = await api.request('GET', '/merchants/m-magang-goose/records', { as: certifier });
      return r.status === 200 && r.body.incidents?.length ? r.body : null;
    });
    expect(records.incidents).toEqual([expect.objectContaining({ id: 'orders-complaint-as-1', productId: GOOSE, kind: 'complaint', severity: 'major', outcome: 'confirmed' })]);
    const certificate = await until(async () => {
      const c = await api.request('GET', `/certificates/${application.certificateId}`, { as: certifier });
      return c.body.status === 'red_warning' ? c : null;
    });
    expectStatus(certificate, 200);
  });
});
