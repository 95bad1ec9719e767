import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ROLES, type AuthUser } from './roles';

const ISSUER = 'techan';
const AUDIENCE = 'techan-services';

/**
 * Longest accepted token lifetime: 12 h (a working day plus margin). Tokens are for people; services
 * talk to each other through events, not HTTP. A machine caller (a script, a probe) gets a token like
 * a person's and renews it within 12 h; there are no long-lived bearer credentials.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

const claimsSchema = z.object({
  iat: z.number().int(),
  exp: z.number().int(),
  sub: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  merchants: z.array(z.string()).default([]),
  orgs: z.array(z.string()).default([]),
});

export class InvalidTokenError extends Error {}

const secretKeys = new Map<string, KeyObject>();
/**
 * The secret as a KeyObject, made once per secret. Given a string, jsonwebtoken first tries it as a
 * PEM public (and, to sign, private) key and catches the failure on every call: with a KeyObject it
 * does not (that try cost orders ~7 % of its CPU under the checkout load, on every request's guard).
 */
export function hmacSecretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

/** Signs a token (HS256). Used by the demo-token command and tests; a login service comes later. */
export function signToken(secret: string, user: AuthUser, expiresInSeconds = 8 * 3600): string {
  if (expiresInSeconds > MAX_TOKEN_LIFETIME_SECONDS) throw new RangeError(`token lifetime is capped at ${MAX_TOKEN_LIFETIME_SECONDS} s`);
  return jwt.sign(
    { sub: user.userId, roles: user.roles, merchants: user.merchantIds, orgs: user.buyerOrgIds },
    hmacSecretKey(secret),
    { algorithm: 'HS256', expiresIn: expiresInSeconds, issuer: ISSUER, audience: AUDIENCE },
  );
}

/** Verifies signature, expiry (required, at most 12 h after issue), issuer, audience and claim shape. */
export function verifyToken(secret: string, token: string): AuthUser {
  let payload: unknown;
  try {
    payload = jwt.verify(token, hmacSecretKey(secret), { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
  } catch (error) {
    throw new InvalidTokenError(error instanceof Error ? error.message : 'invalid token');
  }
  const raw = payload as { exp?: unknown; iat?: unknown };
  if (typeof raw?.exp !== 'number') throw new InvalidTokenError('token has no expiry (exp)');
  if (typeof raw.iat !== 'number') throw new InvalidTokenError('token has no issue time (iat)');
  if (raw.exp - raw.iat > MAX_TOKEN_LIFETIME_SECONDS) throw new InvalidTokenError(`token lifetime exceeds ${MAX_TOKEN_LIFETIME_SECONDS / 3600} h`);
  if (raw.iat > Date.now() / 1000 + 60) throw new InvalidTokenError('token issued in the future');
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new InvalidTokenError('token claims are malformed');
  return {
    userId: claims.data.sub,
    roles: claims.data.roles,
    merchantIds: claims.data.merchants,
    buyerOrgIds: claims.data.orgs,
  };
}
