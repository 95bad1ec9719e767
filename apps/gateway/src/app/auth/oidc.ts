import type { LoggerService } from '@nestjs/common';
import type { Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { hmacSecretKey } from '@techan/common';
import { z } from 'zod';
import type { GatewayConfig } from '../../config';

/** What the edge keeps between the redirect to the provider and the callback (a signed, 10-minute cookie). */
const pendingSchema = z.object({ verifier: z.string(), state: z.string(), nonce: z.string(), returnTo: z.string() });
type PendingLogin = z.infer<typeof pendingSchema>;
const PENDING_COOKIE = 'techan_oidc_pending';
const PENDING_AUDIENCE = 'techan-oidc-pending';

type OpenIdClient = typeof import('openid-client');

/**
 * OpenID Connect sign-in (authorization code + PKCE + state + nonce) through `openid-client`, the
 * maintained, certified client. It is ESM-only: Node ≥ 20.19 loads it from this CommonJS build,
 * and it is loaded lazily, only when AUTH_MODE=oidc, so the rest of the edge and its Jest tests
 * never touch it.
 */
export class OidcSignIn {
  private configuration?: Promise<{ client: OpenIdClient; config: import('openid-client').Configuration }>;

  constructor(
    private readonly settings: GatewayConfig,
    private readonly sessionSecret: string,
    private readonly logger: LoggerService,
  ) {}

  private discover() {
    this.configuration ??= (async () => {
      const client: OpenIdClient = await import('openid-client');
      const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = this.settings;
      const options = new URL(OIDC_ISSUER as string).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined;
      const config = await client.discovery(new URL(OIDC_ISSUER as string), OIDC_CLIENT_ID as string, OIDC_CLIENT_SECRET, undefined, options);
      this.logger.log({ msg: 'OIDC provider discovered', issuer: OIDC_ISSUER }, 'Oidc');
      return { client, config };
    })().catch((error: unknown) => {
      this.configuration = undefined; // try again on the next sign-in
      throw error;
    });
    return this.configuration;
  }

  get redirectUri(): string {
    return `${this.settings.PUBLIC_URL}/auth/callback`;
  }

  /** Redirects the browser to the provider, remembering verifier, state, nonce and where to return. */
  async start(res: Response, returnTo: string, secure: boolean): Promise<void> {
    const { client, config } = await this.discover();
    const pending: PendingLogin = {
      verifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
      returnTo,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.settings.OIDC_SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    const token = jwt.sign(pending, hmacSecretKey(this.sessionSecret), { algorithm: 'HS256', expiresIn: 600, audience: PENDING_AUDIENCE });
    res.cookie(PENDING_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/auth/', maxAge: 600_000 });
    res.redirect(302, url.href);
  }

  /** Completes the code exchange; returns the ID token's claims and where the user wanted to go. */
  async finish(req: Request, res: Response, secure: boolean): Promise<{ claims: Record<string, unknown>; returnTo: string }> {
    const raw = (req.headers.cookie ?? '').split(';').map((p) => p.trim()).find((p) => p.startsWith(`${PENDING_COOKIE}=`))?.slice(PENDING_COOKIE.length + 1);
    res.clearCookie(PENDING_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/auth/' });
    if (!raw) throw new OidcError('登录已过期或未从本站发起，请重新登录');
    let pending: PendingLogin;
    try {
      pending = pendingSchema.parse(jwt.verify(raw, hmacSecretKey(this.sessionSecret), { algorithms: ['HS256'], audience: PENDING_AUDIENCE }));
    } catch {
      throw new OidcError('登录已过期，请重新登录');
    }
    const { client, config } = await this.discover();
    const current = new URL(req.originalUrl, this.settings.PUBLIC_URL);
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      return { claims: (tokens.claims() ?? {}) as Record<string, unknown>, returnTo: pending.returnTo };
    } catch (error) {
      this.logger.warn?.({ msg: 'OIDC callback refused', reason: error instanceof Error ? error.message : String(error) }, 'Oidc');
      throw new OidcError('身份提供方的登录结果无效，请重新登录');
    }
  }
}

/** A sign-in that failed for a reason the user can act on (shown in Chinese, 401). */
export class OidcError extends Error {}
