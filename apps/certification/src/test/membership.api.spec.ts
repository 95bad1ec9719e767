import { publishTestEvent } from '@techan/common/testing';
import { testBusEnv } from '@techan/local-stack';
import { createEvent, EVENT_TYPES, type AuthUser, type MerchantUpsertedV1 } from '@techan/common';
import { ApiHarness } from './api-harness';

jest.setTimeout(90_000);

/**
 * Issue 9, item 3: a user who registered an enterprise in the catalogue acts for it here at once,
 * although their token lists no merchant: membership is resolved server-side from catalog's events.
 */
describe('merchant membership resolved from events', () => {
  const api = new ApiHarness();
  const newcomer: AuthUser = { userId: 'u-newcomer', roles: ['merchant'], merchantIds: [], buyerOrgIds: [] };
  const product = { merchantId: 'm_newenterprise', merchantName: '开平市新企业食品有限公司', name: '开平腐乳', origin: { town: 'magang', inKaiping: true, degree: 'fully_local' } };

  beforeAll(() => api.start());
  afterAll(() => api.stop());

  const upserted = (data: Partial<MerchantUpsertedV1>) =>
    publishTestEvent(
      testBusEnv('catalog'),
      api.svc.config.EVENT_PREFIX,
      createEvent(EVENT_TYPES.MerchantUpserted, 'm_newenterprise', { merchantId: 'm_newenterprise', name: product.merchantName, status: 'pending', memberUserIds: ['u-newcomer'], updatedAt: new Date().toISOString(), ...data }, { source: 'catalog' }),
    );

  async function until(condition: () => Promise<boolean>) {
    for (let i = 0; i < 200 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 50));
  }

  it('refuses before the enterprise exists, accepts once catalog says the user is a member, refuses after removal', async () => {
    // The token has no merchant claim and is NOT re-minted during the test.
    expect((await api.request('PUT', '/products/p_newtofu', { as: newcomer, body: product })).status).toBe(403);

    await upserted({ updatedAt: new Date(Date.now() - 1000).toISOString() });
    await until(async () => (await api.request('PUT', '/products/p_newtofu', { as: newcomer, body: product })).status === 200);
    const registered = await api.request('PUT', '/products/p_newtofu', { as: newcomer, body: product });
    expect(registered.status).toBe(200);
    expect((await api.request('GET', '/merchants/m_newenterprise/records', { as: newcomer })).status).toBe(200);

    // A newer event without the user (membership withdrawn): refused again, with the same token.
    await upserted({ memberUserIds: ['u-someone-else'], status: 'approved' });
    await until(async () => (await api.request('GET', '/products/p_newtofu', { as: newcomer })).status === 403);
    const refused = await api.request('GET', '/products/p_newtofu', { as: newcomer });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('企业账号未关联任何企业');
  });
});
