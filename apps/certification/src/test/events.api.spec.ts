import { randomUUID } from 'node:crypto';
import { ApiHarness, PRINCIPALS } from './api-harness';
import { certify, expectStatus, registerGoose } from './flows';
import { startStatusProbe } from './status-probe';
import type { StatusProbe } from './status-probe';

const { certifier, inspector } = PRINCIPALS;
jest.setTimeout(90_000);

/** Status events leave through the outbox onto the bus and reach other services' consumers. */
describe('status events on the bus', () => {
  const api = new ApiHarness();
  let consumer: StatusProbe;
  const bus = () => ({ prefix: api.svc.config.EVENT_PREFIX, group: `probe-${randomUUID().slice(0, 8)}` });

  beforeAll(async () => {
    await api.start();
    consumer = await startStatusProbe(bus());
  });
  afterAll(async () => {
    await consumer?.close();
    await api.stop();
  });

  it('a red warning reaches a consumer as the next event, with purchasable false', async () => {
    const productId = 'p-bus-goose';
    await registerGoose(api, productId);
    const application = await certify(api, { scheme: 'otop', level: 3 }, productId);
    await consumer.until('the certificate to be purchasable downstream', () => consumer.projection.purchasable(productId, api.clock.now()));
    const before = consumer.projection.get(productId)?.version ?? 0;

    const red = await api.request('POST', `/products/${productId}/warnings/red`, { as: certifier, body: { reason: '抽检不合格：挥发性盐基氮超标' } });
    expectStatus(red, 200);
    await consumer.until('the red warning downstream', () => (consumer.projection.get(productId)?.version ?? 0) > before);
    const seen = consumer.projection.get(productId);
    expect(seen).toMatchObject({ version: before + 1, purchasable: false, reason: 'certificate.raise_quality_risk' });
    expect(seen?.certificates).toEqual([expect.objectContaining({ certificateId: application.certificateId, status: 'red_warning', colour: 'red' })]);

    expectStatus(await api.request('POST', `/certificates/${application.certificateId}/retests`, { as: inspector, body: { passed: true } }), 200);
    await consumer.until('the reinstatement downstream', () => consumer.projection.get(productId)?.version === before + 2);
    expect(consumer.projection.purchasable(productId, api.clock.now())).toBe(true);
  });

  it("the status endpoint answers from certification's own records the moment the certifier's reply arrives, without a token", async () => {
    const productId = 'p-status-goose';
    await registerGoose(api, productId);
    expectStatus(await api.request('GET', `/products/${productId}/status`), 404); // registered, nothing certified yet
    const application = await certify(api, { scheme: 'otop', level: 2 }, productId);
    const certified = await api.request('GET', `/products/${productId}/status`);
    expectStatus(certified, 200);
    expect(certified.headers.get('cache-control')).toBe('no-store');
    expect(certified.body).toMatchObject({ productId, purchasable: true, certificates: [expect.objectContaining({ certificateId: application.certificateId, status: 'active' })] });

    expectStatus(await api.request('POST', `/products/${productId}/warnings/red`, { as: certifier, body: { reason: '抽检不合格：挥发性盐基氮超标' } }), 200);
    // No waiting for the bus: the reply means the record changed, and the endpoint reads the record.
    const blocked = await api.request('GET', `/products/${productId}/status`);
    expect(blocked.body).toMatchObject({ productId, purchasable: false, version: certified.body.version + 1 });
    expect(blocked.body.certificates).toEqual([expect.objectContaining({ status: 'red_warning', colour: 'red' })]);

    expectStatus(await api.request('GET', '/products/p-never-registered/status'), 404);
  });

  it('a consumer that starts empty rebuilds the same projection by replaying the stream', async () => {
    const second = 'p-bus-tea';
    await registerGoose(api, second);
    await certify(api, { scheme: 'otop', level: 1 }, second);
    await consumer.until('the second product downstream', () => consumer.projection.get(second) !== undefined);

    const fresh = await startStatusProbe(bus()); // a new consumer group starts from the beginning
    try {
      for (const productId of ['p-bus-goose', second]) {
        const expected = consumer.projection.get(productId);
        await fresh.until(`replay of ${productId}`, () => fresh.projection.get(productId)?.version === expected?.version);
        expect(fresh.projection.get(productId)).toEqual(expected);
      }
      expect(fresh.projection.size).toBe(consumer.projection.size);
    } finally {
      await fresh.close();
    }
  });
});
