import { signToken, type AuthUser } from '@techan/common';
import { E2E_JWT_SECRET } from './system';

/** Helpers the browser tests share for the parts they drive through the APIs rather than the pages. */

export const user = (userId: string, roles: AuthUser['roles'], merchantIds: string[] = []): AuthUser => ({ userId, roles, merchantIds, buyerOrgIds: [] });

/** Calls a service as `as` (or anonymously) and returns its status and parsed JSON body, whatever the status. */
export async function request(base: string, method: string, path: string, as: AuthUser | null, body?: unknown): Promise<{ status: number; body: ReturnType<typeof JSON.parse>; text: string }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(as ? { authorization: `Bearer ${signToken(E2E_JWT_SECRET, as)}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: ReturnType<typeof JSON.parse> = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, text };
}

/** Calls a service as `as` (or anonymously); a non-2xx reply fails the step with the service's answer. */
export async function api(base: string, method: string, path: string, as: AuthUser | null, body?: unknown) {
  const res = await request(base, method, path, as, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${res.text}`);
  return res.body;
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

/** `eventually` for a yes/no probe: waits until it says true. */
export async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  await eventually(what, async () => ((await probe()) ? true : undefined), undefined, timeoutMs);
}
