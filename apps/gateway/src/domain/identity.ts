import { ROLES, type AuthUser, type Role } from '@techan/common';

/** A signed-in person as the edge keeps them in the session. */
export interface SessionIdentity extends AuthUser {
  /** Shown in the header; never used for decisions. */
  displayName: string;
}

export type IdentityResult = { ok: true; identity: SessionIdentity } | { ok: false; reason: string };

/**
 * Turns an OpenID Connect ID token's claims into a Techan identity. Roles come from the claim the
 * provider uses (a dotted path, e.g. Keycloak's `realm_access.roles`); names that are not Techan
 * roles are ignored. A user without any Techan role may not sign in: the services would refuse
 * every call anyway, and a clear message at sign-in is kinder.
 */
export function identityFromClaims(claims: Record<string, unknown>, rolesClaim: string): IdentityResult {
  const sub = claims['sub'];
  if (typeof sub !== 'string' || !sub) return { ok: false, reason: '身份提供方未返回用户标识' };
  const raw = rolesClaim.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), claims);
  const roles = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : []).filter((r): r is Role =>
    (ROLES as readonly unknown[]).includes(r),
  );
  if (!roles.length) return { ok: false, reason: '该账号未分配特产平台的角色，请联系管理员' };
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : []);
  const displayName = [claims['name'], claims['preferred_username'], claims['email']].find((v): v is string => typeof v === 'string' && v.length > 0) ?? sub;
  return {
    ok: true,
    identity: {
      userId: `oidc:${sub}`,
      roles: [...new Set(roles)],
      merchantIds: strings(claims['merchant_ids']),
      buyerOrgIds: strings(claims['buyer_org_ids']),
      displayName,
    },
  };
}
