import { identityFromClaims } from './identity';

describe('identityFromClaims', () => {
  it('reads roles from a nested claim (Keycloak) and keeps only Techan roles', () => {
    const result = identityFromClaims(
      { sub: 'kc-42', name: '关伟强', realm_access: { roles: ['merchant', 'offline_access', 'uma_authorization'] }, merchant_ids: ['m-1', 7] },
      'realm_access.roles',
    );
    expect(result).toEqual({
      ok: true,
      identity: { userId: 'oidc:kc-42', roles: ['merchant'], merchantIds: ['m-1'], buyerOrgIds: [], displayName: '关伟强' },
    });
  });

  it('accepts a space-separated roles string', () => {
    const result = identityFromClaims({ sub: 's', roles: 'certifier inspector', email: 'a@b.cn' }, 'roles');
    expect(result).toMatchObject({ ok: true, identity: { roles: ['certifier', 'inspector'], displayName: 'a@b.cn' } });
  });

  it('refuses a user without a Techan role or without a subject', () => {
    expect(identityFromClaims({ sub: 's', roles: ['admin'] }, 'roles')).toEqual({ ok: false, reason: expect.stringContaining('未分配') });
    expect(identityFromClaims({ roles: ['operator'] }, 'roles')).toMatchObject({ ok: false });
  });
});
