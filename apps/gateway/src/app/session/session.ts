import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ROLES, hmacSecretKey } from '@techan/common';
import type { SessionIdentity } from '../../domain/identity';

const AUDIENCE = 'techan-session';
const ISSUER = 'techan-edge';

const sessionClaims = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  merchants: z.array(z.string()),
  orgs: z.array(z.string()),
  name: z.string(),
  csrf: z.string().min(32),
  exp: z.number(),
});

export interface Session {
  identity: SessionIdentity;
  /** Synchroniser token: the front end reads it from /auth/session and sends it as x-csrf-token. */
  csrf: string;
  expiresAt: Date;
}

export type SessionRead = { state: 'none' } | { state: 'valid'; session: Session } | { state: 'invalid'; reason: string };

/**
 * The session lives in one httpOnly, SameSite=Lax cookie holding a signed token (HS256 with
 * SESSION_SECRET): no session store, so any number of edge replicas serve any request. A tampered
 * or expired cookie reads as `invalid` (the caller answers 401 and clears it). On https the cookie
 * is `__Host-` prefixed and Secure, so no subdomain can plant one.
 */
export class SessionCookies {
  readonly name: string;

  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly secure: boolean,
  ) {
    this.name = secure ? '__Host-techan_session' : 'techan_session';
  }

  issue(res: Response, identity: SessionIdentity, csrf = randomBytes(32).toString('base64url')): Session {
    const token = jwt.sign(
      { sub: identity.userId, roles: identity.roles, merchants: identity.merchantIds, orgs: identity.buyerOrgIds, name: identity.displayName, csrf },
      hmacSecretKey(this.secret),
      { algorithm: 'HS256', expiresIn: this.ttlSeconds, audience: AUDIENCE, issuer: ISSUER },
    );
    res.cookie(this.name, token, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', maxAge: this.ttlSeconds * 1000 });
    return { identity, csrf, expiresAt: new Date(Date.now() + this.ttlSeconds * 1000) };
  }

  read(req: Request): SessionRead {
    const token = readCookie(req.headers.cookie, this.name);
    if (token === undefined) return { state: 'none' };
    let payload: unknown;
    try {
      payload = jwt.verify(token, hmacSecretKey(this.secret), { algorithms: ['HS256'], audience: AUDIENCE, issuer: ISSUER });
    } catch (error) {
      return { state: 'invalid', reason: error instanceof jwt.TokenExpiredError ? 'expired' : 'bad signature or format' };
    }
    const claims = sessionClaims.safeParse(payload);
    if (!claims.success) return { state: 'invalid', reason: 'malformed claims' };
    const c = claims.data;
    return {
      state: 'valid',
      session: {
        identity: { userId: c.sub, roles: c.roles, merchantIds: c.merchants, buyerOrgIds: c.orgs, displayName: c.name },
        csrf: c.csrf,
        expiresAt: new Date(c.exp * 1000),
      },
    };
  }

  clear(res: Response): void {
    res.clearCookie(this.name, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' });
  }
}

/** The one cookie the edge reads; a full cookie parser would be a dependency for four lines. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Constant-time comparison of the x-csrf-token header with the session's token. */
export function csrfMatches(req: Request, session: Session): boolean {
  const sent = req.headers['x-csrf-token'];
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isUnsafeMethod = (method: string) => UNSAFE.has(method.toUpperCase());

/**
 * Browsers say where an unsafe request comes from (Origin, or Sec-Fetch-Site). One that names
 * another site is refused even before the token is checked: it also stops login CSRF, where no
 * session exists yet. Clients that send neither (curl, services) are judged by the token alone.
 */
export function crossSite(req: Request, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') return origin !== publicUrl && originHost(origin) !== req.headers.host;
  if (origin === 'null') return true;
  const site = req.headers['sec-fetch-site'];
  return typeof site === 'string' && site !== 'same-origin' && site !== 'none';
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
