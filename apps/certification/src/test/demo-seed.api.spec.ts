import { EVENT_TYPES } from '@techan/common';
import { DEMO_CERTIFICATIONS, demoProductId } from '../domain';
import { runCertificationSeed } from '../seed';
import { ApiHarness, PRINCIPALS } from './api-harness';
import { expectStatus } from './flows';

jest.setTimeout(180_000);

/** Demo certificates exist because certification issued them (issue 9, item 1). */
describe('demo certification seed', () => {
  const api = new ApiHarness();
  let traceCode: string | undefined;

  beforeAll(async () => {
    await api.start();
    const result = await runCertificationSeed(api.svc.config.MONGO_URL, api.svc.config.MONGO_DB, api.clock.now());
    expect(result.products).toBe(DEMO_CERTIFICATIONS.length);
    traceCode = result.sampleTraceCode;
  }, 120_000);
  afterAll(() => api.stop());

  it('issues every demo certificate through the workflow, with applications, trace codes and status events in the outbox', async () => {
    for (const demo of DEMO_CERTIFICATIONS) {
      const certs = await api.request('GET', `/certificates?productId=${demo.productId}`, { as: PRINCIPALS.certifier });
      expectStatus(certs, 200);
      expect(certs.body.map((c: { mark: string }) => c.mark).sort()).toEqual(demo.certificates.map((c) => c.mark).sort());
      for (const spec of demo.certificates) {
        const cert = certs.body.find((c: { mark: string }) => c.mark === spec.mark);
        expect(cert.status).toBe(spec.status ?? 'active');
      }
      const events = await api.statusEvents(demo.productId);
      expect(events.length).toBeGreaterThan(0);
      // Versions count up from 1 in commit order: the newest event is the product's state.
      expect(events.map((e) => e.data.version)).toEqual(events.map((_, i) => i + 1));
      expect(events.at(-1).data.purchasable).toBe(demo.certificates.every((c) => !c.status || c.status === 'yellow_warning'));
      expect(events.every((e) => e.type === EVENT_TYPES.ProductStatusChanged)).toBe(true);
    }
    const apps = await api.request('GET', `/applications?productId=${demoProductId('goose-whole')}`, { as: PRINCIPALS.certifier });
    expect(apps.body.map((a: { status: string }) => a.status)).toEqual(['approved', 'approved', 'approved']);
  });

  it('prints a trace code whose verify page names the company, and is idempotent', async () => {
    expect(traceCode).toBeDefined();
    const page = await api.request('GET', `/v/${traceCode}`);
    expectStatus(page, 200);
    expect(page.text).toContain('开平市马冈优品鹅业有限公司');
    const again = await runCertificationSeed(api.svc.config.MONGO_URL, api.svc.config.MONGO_DB, api.clock.now());
    expect(again).toMatchObject({ products: 0, certificates: 0, sampleTraceCode: traceCode });
  });

  it('lets a certifier warn any demo product', async () => {
    const red = await api.request('POST', `/products/${demoProductId('tea-green')}/warnings/red`, { as: PRINCIPALS.certifier, body: { reason: '抽检不合格', source: 'quality_risk' } });
    expectStatus(red, 200);
    const events = await api.statusEvents(demoProductId('tea-green'));
    expect(events.at(-1).data).toMatchObject({ purchasable: false });
  });
});
