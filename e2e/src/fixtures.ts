import { signToken, type AuthUser } from '@techan/common';
import { E2E_JWT_SECRET } from './system';

/** Helpers the browser tests share for the parts they drive through the APIs rather than the pages. */

export const user = (userId: string, roles: AuthUser['roles'], merchantIds: string[] = []): AuthUser => ({ userId, roles, merchantIds, buyerOrgIds: [] });

/** Calls a service as `as` (or anonymously); a non-2xx reply fails the step with the service's answer. */
export async function api(base: string, method: string, path: string, as: AuthUser | null, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(as ? { authorization: `Bearer ${signToken(E2E_JWT_SECRET, as)}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Polls `probe` until it returns a value (a thrown error counts as "not yet"): events cross the bus
 * asynchronously. `diagnose` says what the system showed when time ran out.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, diagnose?: () => Promise<string>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${diagnose ? `: ${await diagnose().catch(String)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
