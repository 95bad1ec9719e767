import type { Request, Response } from 'express';

const TITLES: Record<number, string> = {
  400: '请求无效',
  401: '请先登录',
  403: '没有权限',
  404: '页面不存在',
  405: '不支持的请求方式',
  413: '内容过大',
  429: '请求过于频繁',
  502: '服务暂时不可用',
  503: '服务暂时不可用',
  504: '服务响应超时',
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Does this caller want JSON (the front end, API clients) rather than a page (a person's browser)? */
export function wantsJson(req: Request): boolean {
  // originalUrl: inside a mounted router req.path is relative to the mount point.
  if (/^\/(api|auth)\//.test(req.originalUrl)) return true;
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/**
 * The edge's own errors, always in Chinese and never with internals: JSON
 * `{ statusCode, error, message }` (the services' shape) for API callers, a small page for people.
 */
export function sendError(req: Request, res: Response, status: number, message: string, code = TITLES[status] ? String(status) : 'ERROR'): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(status).setHeader('Cache-Control', 'no-store');
  if (wantsJson(req)) {
    res.json({ statusCode: status, error: code, message });
    return;
  }
  const title = TITLES[status] ?? '出错了';
  res.type('html').send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} - 特产品牌馆</title>
<style>body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;padding:32px 16px;color:#222;background:#fafafa}main{max-width:560px;margin:auto}h1{font-size:22px}a{color:#0b57d0}</style>
</head><body><main role="alert"><h1>${status} ${title}</h1><p>${escapeHtml(message)}</p><p><a href="/">返回首页</a></p></main></body></html>`);
}
