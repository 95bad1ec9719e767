import { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DEMO_USERS } from './demo-users';
import { InvalidTokenError, MAX_TOKEN_LIFETIME_SECONDS, signToken, verifyToken } from './jwt';

const SECRET = 'unit-test-secret-0123456789abcdef';
const claims = { sub: 'u-1', roles: ['shopper'], merchants: [], orgs: [] };
const options = { algorithm: 'HS256' as const, issuer: 'techan', audience: 'techan-services' };

describe('JWT verification (issue 9, item 10)', () => {
  it('accepts a token signed by signToken', () => {
    expect(verifyToken(SECRET, signToken(SECRET, DEMO_USERS['shopper']))).toMatchObject({ userId: 'u-shopper-1', roles: ['shopper'] });
  });

  it('hands jsonwebtoken the secret as one KeyObject (a string makes it try and fail a PEM parse per call)', () => {
    const verify = jest.spyOn(jwt, 'verify');
    const sign = jest.spyOn(jwt, 'sign');
    try {
      verifyToken(SECRET, signToken(SECRET, DEMO_USERS['shopper']));
      verifyToken(SECRET, signToken(SECRET, DEMO_USERS['merchant']));
      const keys = [...verify.mock.calls.map((c) => c[1]), ...sign.mock.calls.map((c) => c[1])];
      expect(keys).toHaveLength(4);
      for (const key of keys) expect(key).toBeInstanceOf(KeyObject);
      expect(new Set(keys).size).toBe(1);
      expect((keys[0] as KeyObject).type).toBe('secret');
      // A token signed with the plain string secret still verifies (same HMAC key).
      expect(verifyToken(SECRET, jwt.sign({ ...claims }, SECRET, { ...options, expiresIn: 60 })).userId).toBe('u-1');
    } finally {
      verify.mockRestore();
      sign.mockRestore();
    }
  });

  it('refuses a token without exp', () => {
    const token = jwt.sign(claims, SECRET, options);
    expect(() => verifyToken(SECRET, token)).toThrow(new InvalidTokenError('token has no expiry (exp)'));
  });

  it('refuses a token living longer than 12 h (e.g. 100 years)', () => {
    const token = jwt.sign(claims, SECRET, { ...options, expiresIn: 100 * 365 * 86_400 });
    expect(() => verifyToken(SECRET, token)).toThrow(/lifetime exceeds 12 h/);
    const justOver = jwt.sign(claims, SECRET, { ...options, expiresIn: MAX_TOKEN_LIFETIME_SECONDS + 1 });
    expect(() => verifyToken(SECRET, justOver)).toThrow(/lifetime exceeds/);
    const atCap = jwt.sign(claims, SECRET, { ...options, expiresIn: MAX_TOKEN_LIFETIME_SECONDS });
    expect(verifyToken(SECRET, atCap).userId).toBe('u-1');
  });

  it('refuses a token without iat (its lifetime cannot be checked) and will not mint long-lived ones', () => {
    const token = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 3600 }, SECRET, { ...options, noTimestamp: true });
    expect(() => verifyToken(SECRET, token)).toThrow(/no issue time/);
    expect(() => signToken(SECRET, DEMO_USERS['shopper'], 365 * 86_400)).toThrow(RangeError);
  });
});
