import { ApiHarness, PRINCIPALS } from './api-harness';
import { certify, expectStatus, registerGoose } from './flows';
import { TimerScheduler } from '../app/timers/timer-scheduler';
import { VERIFY_CACHE } from '../app/tokens';
import type { VerifyCache } from '../app/tokens';

jest.setTimeout(120_000);

/**
 * Issue 9, item 6: with Redis unreachable (every call hangs, as ioredis does while reconnecting),
 * a certification write commits and replies promptly; the public page still answers from MongoDB.
 */
describe('certification with Redis unreachable', () => {
  const api = new ApiHarness();
  // Calls made while "Redis is down" hang until Redis "comes back" (end of the test), as ioredis's do;
  // releasing them lets the consumers finish their in-flight events so the service can shut down.
  let redisBack!: () => void;
  const outage = new Promise<undefined>((resolve) => (redisBack = () => resolve(undefined)));
  beforeAll(() => api.start());
  afterAll(async () => {
    redisBack();
    await api.stop();
  });

  it('replies to a red warning within a second and shows it on the verify page', async () => {
    const productId = 'p-redis-down';
    await registerGoose(api, productId);
    await certify(api, { scheme: 'otop', level: 3 }, productId);
    const trace = await api.request('POST', `/products/${productId}/trace-codes`, { as: PRINCIPALS.merchant, body: {} });
    expectStatus(trace, 201);

    const hang = () => outage as Promise<never>;
    const cache = api.svc.app.get<VerifyCache>(VERIFY_CACHE);
    cache.get = hang;
    cache.set = hang;
    cache.del = hang;
    api.get(TimerScheduler).schedule = hang;

    const started = Date.now();
    const red = await api.request('POST', `/products/${productId}/warnings/red`, { as: PRINCIPALS.certifier, body: { reason: '抽检不合格' } });
    expectStatus(red, 200);
    expect(Date.now() - started).toBeLessThan(1_500);
    // Committed and announced: the status event is in the outbox (it also drops the cache once Redis is back).
    expect((await api.statusEvents(productId)).at(-1).data.purchasable).toBe(false);

    const page = await api.request('GET', `/v/${trace.body.code}`);
    expectStatus(page, 200);
    expect(page.text).toContain('红色警示');
  });
});
