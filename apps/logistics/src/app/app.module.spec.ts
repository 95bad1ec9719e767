import { DEMO_USERS } from '@techan/common';
import { startTestService, type TestService } from '@techan/common/testing';
import { testServiceEnv } from '@techan/local-stack';
import { LOGISTICS_SERVICE } from '../service';
import { AppModule } from './app.module';

describe('logistics service', () => {
  let svc: TestService;
  beforeAll(async () => (svc = await startTestService(LOGISTICS_SERVICE, AppModule, testServiceEnv('logistics'))));
  afterAll(() => svc.stop());

  it('is healthy on the local stack', async () => {
    const res = await svc.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'logistics' });
  });

  it('traces each request with an x-request-id, kept when the caller sends a valid one', async () => {
    const mine = await svc.request('/health', { headers: { 'x-request-id': 'trace-123' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-123');
    const fresh = await svc.request('/health', { user: DEMO_USERS['operator'] });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
