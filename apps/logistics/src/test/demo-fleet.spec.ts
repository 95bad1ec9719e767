import { startTestService, type TestService } from '@techan/common/testing';
import { testServiceEnv } from '@techan/local-stack';
import { AppModule } from '../app/app.module';
import { KAIPING_DEPOTS, KAIPING_FLEET, loadKaipingFleet } from '../app/demo/kaiping-fleet';
import { LOGISTICS_SERVICE } from '../service';
import { dispatcher, json, operator } from './helpers';

describe('开平 demo fleet, loaded through the API', () => {
  let svc: TestService;
  beforeAll(async () => (svc = await startTestService(LOGISTICS_SERVICE, AppModule, testServiceEnv('logistics'))));
  afterAll(() => svc?.stop());

  it('creates the depots, drivers and vehicles once, and a second load changes nothing', async () => {
    const post = async (path: string, body: unknown) => (await svc.request(path, { user: operator, body })).status;
    const first = await loadKaipingFleet(post);
    expect(first).toEqual({ created: KAIPING_DEPOTS.length + 2 * KAIPING_FLEET.length, existing: 0 });
    expect(await loadKaipingFleet(post)).toEqual({ created: 0, existing: first.created });

    const depots = await json(await svc.request('/depots', { user: dispatcher }), 200);
    expect(depots.items.map((d: { nameZh: string }) => d.nameZh)).toEqual(expect.arrayContaining(['开平市县级配送中心', '开平优餐中央厨房', '马冈区域仓']));
    const kitchen = await json(await svc.request('/depots/kaiping-kitchen/vehicles', { user: dispatcher }), 200);
    expect(kitchen.items).toHaveLength(3);
    expect(kitchen.items[0]).toMatchObject({ driverId: 'drv-chen', compartments: [{ temperatureClass: 'hot', deviceId: 'tl-kc-hot-01-hot' }] });
    // Drivers act for their depot only.
    const chen = { userId: 'u-drv-chen', roles: ['dispatcher' as const], merchantIds: [], buyerOrgIds: [] };
    expect((await svc.request('/depots/kaiping-kitchen/drivers', { user: chen })).status).toBe(200);
    expect((await svc.request('/depots/kaiping-dc/drivers', { user: chen })).status).toBe(403);
  });
});
