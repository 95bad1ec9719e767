import { startTestService, type TestService } from '@techan/common/testing';
import { testServiceEnv } from '@techan/local-stack';
import { AppModule } from '../app/app.module';
import { P } from '../app/institutional/demo-data';
import { addDays, monthOf, shanghaiDate } from '../domain/institutional/time';
import { runSeed } from '../seed';
import { ORDERS_SERVICE } from '../service';
import { cert, publishProduct, until, users } from './institutional.fixtures';

describe('institutional demo data (seed command)', () => {
  let svc: TestService;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { ...testServiceEnv('orders'), INSTITUTIONAL_JOBS: 'off' };
    svc = await startTestService(ORDERS_SERVICE, AppModule, env);
    const sku = (s: { skuId: string }, priceFen: number, grams: number) => [{ skuId: s.skuId, specZh: '规格', unit: '件', priceFen, netContent: { value: grams, unit: 'g' as const } }];
    const demo = [
      { ...P.rice, name: '开平生态丝苗米', categoryId: 'agri.rice', temperatureClass: 'ambient' as const, skus: sku(P.rice, 16800, 10000) },
      { ...P.goose, name: '马冈鹅（整只，冰鲜）', categoryId: 'agri.goose', temperatureClass: 'chilled' as const, skus: sku(P.goose, 26800, 3000) },
      { ...P.veg, name: '冈陵时令蔬菜箱', categoryId: 'agri.fruit_veg', temperatureClass: 'chilled' as const, skus: sku(P.veg, 8800, 5000) },
      { ...P.eggs, name: '塘口走地鸡蛋', categoryId: 'agri.poultry_eggs', temperatureClass: 'chilled' as const, skus: sku(P.eggs, 4500, 1800) },
      { ...P.schoolLunch, name: '开平优餐·学生营养午餐', categoryId: 'service.catering', temperatureClass: 'hot' as const, skus: sku(P.schoolLunch, 1500, 450) },
      { ...P.officeLunch, name: '开平优餐·机关工作餐', categoryId: 'service.catering', temperatureClass: 'hot' as const, skus: sku(P.officeLunch, 2500, 500) },
    ];
    for (const p of demo) await publishProduct(svc, { productId: p.productId, merchantId: 'm-demo', name: p.name, categoryId: p.categoryId, temperatureClass: p.temperatureClass, skus: p.skus, certificates: [cert('kaiping')] });
    await until(async () => {
      const r = await svc.request(`/institutional/organisations`, { user: users.operator });
      return r.status === 200 || null;
    });
  });
  afterAll(() => svc?.stop());

  it('creates four organisations with contracts and a month of delivered history, once', async () => {
    const first = await runSeed(env['MONGO_URL'], env['MONGO_DB']);
    expect(first.organisations).toBe(4);
    expect(first.contracts).toBe(4);
    expect(first.history).toBeGreaterThan(60);
    const again = await runSeed(env['MONGO_URL'], env['MONGO_DB']);
    expect(again).toEqual({ organisations: 0, contracts: 0, history: 0 });

    const contracts: { items: { status: string; number: string }[] } = (await (await svc.request('/institutional/contracts?orgId=org-kaiping-no1-middle-school', { user: users.schoolAdmin })).json()) as never;
    expect(contracts.items).toHaveLength(1);
    expect(contracts.items[0]).toMatchObject({ status: 'active', number: 'KPYP-JT-2026-001' });
    const lastMonth = monthOf(addDays(shanghaiDate(new Date()), -1));
    const st: { lines: { demoHistory?: boolean }[]; totals: Record<string, number>; demoHistoryDeliveries: number } = (await (await svc.request(`/institutional/organisations/org-kaiping-no1-middle-school/statements/${lastMonth}`, { user: users.schoolAdmin })).json()) as never;
    expect(st.lines.length).toBeGreaterThan(0);
    // The history is labelled as demo data (no proof of delivery behind it), line by line and in the print.
    expect(st.demoHistoryDeliveries).toBeGreaterThan(0);
    expect(st.lines.every((l) => l.demoHistory === true)).toBe(true);
    const calendar: { items: { demoHistory?: boolean; status: string }[] } = (await (await svc.request(`/institutional/call-offs?orgId=org-kaiping-no1-middle-school&status=delivered`, { user: users.schoolAdmin })).json()) as never;
    expect(calendar.items.length).toBeGreaterThan(0);
    expect(calendar.items.every((c) => c.demoHistory === true)).toBe(true);
    const print = await (await svc.request(`/institutional/organisations/org-kaiping-no1-middle-school/statements/${lastMonth}/print`, { user: users.schoolAdmin })).text();
    expect(print).toContain('演示历史数据');
    expect(st.totals.totalFen).toBe(st.totals.orderedFen - st.totals.shortFen - st.totals.rejectedFen - st.totals.recallFen);
  });
});
