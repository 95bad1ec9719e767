import type { LoggerService } from '@nestjs/common';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { GatewayConfig } from '../../config';
import { identityFromClaims, type SessionIdentity } from '../../domain/identity';
import { sendError } from '../errors/error-response';
import { crossSite, csrfMatches, isUnsafeMethod, type Session, type SessionCookies } from '../session/session';
import { demoIdentity, demoUserCards } from './demo-users';
import { OidcError, OidcSignIn } from './oidc';

const demoSignIn = z.strictObject({ user: z.string().min(1).max(40) });

/** Only same-origin paths may be a place to return to after sign-in (no open redirect). */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/auth/') ? value : '/';
}

function sessionBody(mode: GatewayConfig['AUTH_MODE'], session: Session | undefined) {
  if (!session) return { mode, user: null };
  const { identity } = session;
  return {
    mode,
    user: { userId: identity.userId, displayName: identity.displayName, roles: identity.roles, merchantIds: identity.merchantIds, buyerOrgIds: identity.buyerOrgIds },
    csrfToken: session.csrf,
    expiresAt: session.expiresAt.toISOString(),
  };
}

export interface AuthDeps {
  config: GatewayConfig;
  cookies: SessionCookies;
  logger: LoggerService;
  /** Enterprises an account registered itself (asked of the catalog), added to its session's merchant ids. */
  ownMerchantIds(identity: SessionIdentity): Promise<string[]>;
}

/**
 * `/auth/*`: who am I (`GET /auth/session`, which also hands the CSRF token to the front end),
 * demo sign-in on the local stack, OpenID Connect in production, refresh and sign-out.
 */
export function authRoutes(deps: AuthDeps): Router {
  const { config, cookies, logger } = deps;
  const secure = config.PUBLIC_URL.startsWith('https://');
  const router = express.Router();
  const json = express.json({ limit: '4kb' });
  const oidc = config.AUTH_MODE === 'oidc' ? new OidcSignIn(config, config.SESSION_SECRET, logger) : undefined;

  // Every unsafe /auth request must come from this site (also stops login CSRF, before any session exists).
  router.use((req, res, next) => {
    if (isUnsafeMethod(req.method) && crossSite(req, config.PUBLIC_URL)) return sendError(req, res, 403, '跨站请求被拒绝');
    next();
  });

  /** The current session, or `user: null`; a broken or expired cookie is cleared. */
  router.get('/session', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const read = cookies.read(req);
    if (read.state === 'invalid') cookies.clear(res);
    res.json(sessionBody(config.AUTH_MODE, read.state === 'valid' ? read.session : undefined));
  });

  router.get('/demo-users', (req, res) => {
    if (config.AUTH_MODE !== 'demo') return sendError(req, res, 404, '演示登录仅在本地环境可用');
    res.json(demoUserCards());
  });

  router.post('/demo-sign-in', json, async (req, res) => {
    if (config.AUTH_MODE !== 'demo') return sendError(req, res, 404, '演示登录仅在本地环境可用');
    const body = demoSignIn.safeParse(req.body);
    const identity = body.success ? demoIdentity(body.data.user) : undefined;
    if (!identity) return sendError(req, res, 400, '请选择一个演示用户');
    const enriched = await withOwnMerchants(identity);
    const session = cookies.issue(res, enriched);
    logger.log({ msg: 'signed in', userId: identity.userId, roles: identity.roles, via: 'demo' }, 'Auth');
    res.json(sessionBody(config.AUTH_MODE, session));
  });

  /** After registering an enterprise the session learns its id, so certification accepts the merchant's calls. */
  router.post('/refresh', async (req, res) => {
    const read = cookies.read(req);
    if (read.state !== 'valid') {
      if (read.state === 'invalid') cookies.clear(res);
      return sendError(req, res, 401, '登录已失效，请重新登录');
    }
    if (!csrfMatches(req, read.session)) return sendError(req, res, 403, '缺少或错误的 CSRF 令牌，请刷新页面后重试');
    const session = cookies.issue(res, await withOwnMerchants(read.session.identity), read.session.csrf);
    res.json(sessionBody(config.AUTH_MODE, session));
  });

  router.post('/sign-out', (req, res) => {
    const read = cookies.read(req);
    if (read.state === 'valid' && !csrfMatches(req, read.session)) return sendError(req, res, 403, '缺少或错误的 CSRF 令牌，请刷新页面后重试');
    cookies.clear(res);
    res.status(204).end();
  });

  router.get('/login', async (req, res) => {
    const returnTo = safeReturnTo(req.query['returnTo']);
    if (!oidc) return res.redirect(302, `/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
    try {
      await oidc.start(res, returnTo, secure);
    } catch (error) {
      logger.error({ msg: 'OIDC provider unreachable', reason: error instanceof Error ? error.message : String(error) }, 'Oidc');
      sendError(req, res, 503, '身份认证服务暂时不可用，请稍后再试');
    }
  });

  router.get('/callback', async (req: Request, res: Response) => {
    if (!oidc) return sendError(req, res, 404, '未启用统一身份认证');
    try {
      const { claims, returnTo } = await oidc.finish(req, res, secure);
      const result = identityFromClaims(claims, config.OIDC_ROLES_CLAIM);
      if (!result.ok) return sendError(req, res, 403, result.reason);
      cookies.issue(res, await withOwnMerchants(result.identity));
      logger.log({ msg: 'signed in', userId: result.identity.userId, roles: result.identity.roles, via: 'oidc' }, 'Auth');
      res.redirect(302, safeReturnTo(returnTo));
    } catch (error) {
      if (error instanceof OidcError) return sendError(req, res, 401, error.message);
      logger.error({ msg: 'OIDC callback failed', reason: error instanceof Error ? error.message : String(error) }, 'Oidc');
      sendError(req, res, 503, '身份认证服务暂时不可用，请稍后再试');
    }
  });

  async function withOwnMerchants(identity: SessionIdentity): Promise<SessionIdentity> {
    if (!identity.roles.includes('merchant')) return identity;
    try {
      const own = await deps.ownMerchantIds(identity);
      return { ...identity, merchantIds: [...new Set([...identity.merchantIds, ...own])] };
    } catch (error) {
      // Sign-in still works without the catalog; the ids are added on the next refresh.
      logger.warn?.({ msg: 'could not ask the catalog for own enterprises', reason: error instanceof Error ? error.message : String(error) }, 'Auth');
      return identity;
    }
  }

  return router;
}
