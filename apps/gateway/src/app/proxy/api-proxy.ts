import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { signToken } from '@techan/common';
import type { GatewayConfig } from '../../config';
import { API_SERVICES, resolveApiRoute, type ApiService } from '../../domain/api-routes';
import { sendError } from '../errors/error-response';
import { csrfMatches, isUnsafeMethod, crossSite, type SessionCookies } from '../session/session';

type ProxiedRequest = IncomingMessage & { upstreamPath?: string; serviceToken?: string };

export function serviceUrls(config: GatewayConfig): Record<ApiService, string> {
  return { catalog: config.CATALOG_URL, orders: config.ORDERS_URL, logistics: config.LOGISTICS_URL, certification: config.CERTIFICATION_URL };
}

/** One streaming proxy to a service: no body parsing at the edge, so uploads pass through as they come. */
export function proxyTo(target: string, logger: LoggerService, onRequest: (proxyReq: ClientRequest, req: ProxiedRequest, res: ServerResponse) => void) {
  return createProxyMiddleware<IncomingMessage, ServerResponse>({
    target,
    changeOrigin: true,
    xfwd: true,
    proxyTimeout: 30_000,
    timeout: 30_000,
    pathRewrite: (path, req) => (req as ProxiedRequest).upstreamPath ?? path,
    on: {
      proxyReq: (proxyReq, req, res) => {
        // The session cookie and CSRF token are the edge's business; a service sees only its bearer token.
        proxyReq.removeHeader('cookie');
        proxyReq.removeHeader('x-csrf-token');
        const requestId = res.getHeader('x-request-id');
        if (typeof requestId === 'string') proxyReq.setHeader('x-request-id', requestId);
        onRequest(proxyReq, req as ProxiedRequest, res);
      },
      error: (error, req, res) => {
        logger.error({ msg: 'upstream unreachable', target, path: (req as ProxiedRequest).upstreamPath, reason: error.message }, 'Proxy');
        const response = res as ServerResponse;
        if ('headersSent' in response && response.headersSent) return void response.end();
        const timedOut = /timeout|ETIMEDOUT|ESOCKETTIMEDOUT/i.test(error.message);
        sendError(req as unknown as Request, response as unknown as Response, timedOut ? 504 : 502, timedOut ? '服务响应超时，请稍后再试' : '服务暂时不可用，请稍后再试');
      },
    },
  });
}

/**
 * `/api/<service>/…`: the route is checked (known service, no path tricks), the session turned
 * into a short-lived JWT for the service (unsafe methods need the CSRF token), then streamed on.
 * A caller without a session cookie may bring its own bearer token (scripts, other systems); a
 * call with neither goes on anonymous and the service decides (public reads work, others 401).
 */
export function apiProxy(config: GatewayConfig, cookies: SessionCookies, logger: LoggerService): RequestHandler {
  const urls = serviceUrls(config);
  const proxies = Object.fromEntries(
    API_SERVICES.map((service) => [
      service,
      proxyTo(urls[service], logger, (proxyReq, req) => {
        if (req.serviceToken) proxyReq.setHeader('authorization', `Bearer ${req.serviceToken}`);
      }),
    ]),
  ) as Record<ApiService, ReturnType<typeof proxyTo>>;

  return (req: Request, res: Response, next: NextFunction) => {
    const route = resolveApiRoute(req.originalUrl);
    if (!route.ok) return sendError(req, res, route.status, route.reason);
    const read = cookies.read(req);
    if (read.state === 'invalid') {
      cookies.clear(res);
      return sendError(req, res, 401, '登录已失效，请重新登录');
    }
    if (isUnsafeMethod(req.method) && crossSite(req, config.PUBLIC_URL)) return sendError(req, res, 403, '跨站请求被拒绝');
    const proxied = req as unknown as ProxiedRequest;
    if (read.state === 'valid') {
      if (isUnsafeMethod(req.method) && !csrfMatches(req, read.session)) {
        return sendError(req, res, 403, '缺少或错误的 CSRF 令牌，请刷新页面后重试');
      }
      proxied.serviceToken = signToken(config.JWT_SECRET, read.session.identity, config.SERVICE_TOKEN_TTL_SECONDS);
    }
    proxied.upstreamPath = route.upstreamPath;
    return proxies[route.service](req, res, next);
  };
}

/**
 * The URLs printed in QR codes (`/v/<code>`, `/t/<code>`, GS1 Digital Link `/01/<gtin>[/10/<lot>]`)
 * stay on the public origin and go to certification's small server-rendered page, anonymous.
 */
export function verifyProxy(config: GatewayConfig, logger: LoggerService): RequestHandler {
  const proxy = proxyTo(config.CERTIFICATION_URL, logger, (proxyReq) => proxyReq.removeHeader('authorization'));
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(req, res, 405, '此页面只能查看');
    const path = req.originalUrl.split('?')[0];
    if (!/^\/(?:[vt]\/[A-Za-z0-9_-]{1,64}|01\/\d{8,14}(?:\/10\/[\x21-\x7e]{1,20})?)$/.test(path) || /%2f|%5c|\.\./i.test(path)) {
      return sendError(req, res, 404, '追溯码无效，请核对后重新扫码');
    }
    (req as unknown as ProxiedRequest).upstreamPath = req.originalUrl;
    return proxy(req, res, next);
  };
}
