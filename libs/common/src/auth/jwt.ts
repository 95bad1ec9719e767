import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ROLES, type AuthUser } from './roles';

const ISSUER = 'techan';
const AUDIENCE = 'techan-services';

const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  merchants: z.array(z.string()).default([]),
  orgs: z.array(z.string()).default([]),
});

export class InvalidTokenError extends Error {}

/** Signs a token (HS256). Used by the demo-token command and tests; a login service comes later. */
export function signToken(secret: string, user: AuthUser, expiresInSeconds = 8 * 3600): string {
  return jwt.sign(
    { sub: user.userId, roles: user.roles, merchants: user.merchantIds, orgs: user.buyerOrgIds },
    secret,
    { algorithm: 'HS256', expiresIn: expiresInSeconds, issuer: ISSUER, audience: AUDIENCE },
  );
}

/** Verifies signature, expiry, issuer, audience and claim shape. */
export function verifyToken(secret: string, token: string): AuthUser {
  let payload: unknown;
  try {
    payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
  } catch (error) {
    throw new InvalidTokenError(error instanceof Error ? error.message : 'invalid token');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new InvalidTokenError('token claims are malformed');
  return {
    userId: claims.data.sub,
    roles: claims.data.roles,
    merchantIds: claims.data.merchants,
    buyerOrgIds: claims.data.orgs,
  };
}
