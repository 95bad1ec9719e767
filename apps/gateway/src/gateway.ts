import type { LoggerService } from '@nestjs/common';
import compression from 'compression';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { signToken, traceRequests } from '@techan/common';
import type { GatewayConfig } from './config';
import { authRoutes } from './app/auth/auth.routes';
import { apiDocs } from './app/docs/api-docs';
import { sendError } from './app/errors/error-response';
import { apiProxy, verifyProxy } from './app/proxy/api-proxy';
import { SessionCookies } from './app/session/session';
import { frontEnd } from './app/web/front-end';

/**
 * The HTTP edge on one origin: the front end, sign-in and session, `/api/<service>/…` to the
 * services with a short-lived JWT, and the QR-code URLs to certification's verify page.
 */
export function createGateway(config: GatewayConfig, logger: LoggerService): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind the Ingress / a load balancer: req.ip and req.protocol from X-Forwarded-* of the first hop.
  app.set('trust proxy', 1);
  const cookies = new SessionCookies(config.SESSION_SECRET, config.SESSION_TTL_SECONDS, config.PUBLIC_URL.startsWith('https://'));

  app.use(traceRequests(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          // Ant Design writes its CSS-in-JS as <style> elements; the verify page has an inline <style>.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'connect-src': ["'self'"],
          'font-src': ["'self'", 'data:'],
          'frame-ancestors': ["'none'"],
          'form-action': ["'self'", ...(config.OIDC_ISSUER ? [new URL(config.OIDC_ISSUER).origin] : [])],
          'upgrade-insecure-requests': config.PUBLIC_URL.startsWith('https://') ? [] : null,
        },
      },
      strictTransportSecurity: config.PUBLIC_URL.startsWith('https://'),
    }),
  );
  app.use(compression());

  app.get('/health', (_req, res) => res.json({ status: 'ok', service: 'gateway' }));
  app.use(
    '/auth',
    authRoutes({
      config,
      cookies,
      logger,
      ownMerchantIds: async (identity) => {
        const res = await fetch(`${config.CATALOG_URL}/catalog/merchants/mine`, {
          headers: { authorization: `Bearer ${signToken(config.JWT_SECRET, identity, config.SERVICE_TOKEN_TTL_SECONDS)}` },
          signal: AbortSignal.timeout(3_000),
        });
        if (!res.ok) throw new Error(`catalog answered ${res.status}`);
        const mine = (await res.json()) as { id: string }[];
        return mine.map((m) => m.id);
      },
    }),
  );
  app.use('/api/docs', apiDocs());
  app.use('/api', apiProxy(config, cookies, logger));
  const verify = verifyProxy(config, logger);
  app.use(['/v/', '/t/', '/01/'], verify);
  app.use(frontEnd(config.WEB_ROOT));

  // Last resort: never a stack trace to a client (Express knows an error handler by its four parameters).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : 500;
    if (status >= 500) logger.error({ msg: 'edge error', path: req.originalUrl, reason: error instanceof Error ? error.stack : String(error) }, 'Gateway');
    if (status === 404) return sendError(req, res, 404, '没有这个文件');
    if (status === 413) return sendError(req, res, 413, '内容过大');
    if (status >= 400 && status < 500) return sendError(req, res, status, '请求无效');
    sendError(req, res, 500, '服务器内部错误，请稍后再试');
  });
  return app;
}
