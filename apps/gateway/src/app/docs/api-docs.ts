import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { API_SERVICES, type ApiService } from '../../domain/api-routes';

const TITLES: Record<ApiService, string> = {
  catalog: '商品目录（catalog）',
  orders: '订单与支付（orders）',
  logistics: '冷链配送（logistics）',
  certification: '认证评定（certification）',
};

/** Each service's OpenAPI document, reached through the edge's own `/api/<service>/…` routing. */
export const API_DOCUMENTS = API_SERVICES.map((service) => ({ service, name: TITLES[service], url: `/api/${service}/openapi.json` }));

/**
 * swagger-ui-dist's folder (it comes with @nestjs/swagger), resolved at run time from where the
 * code runs (a bundler would rewrite a plain require.resolve). Found at start-up so a missing
 * package fails loudly.
 */
function swaggerUiRoot(): string {
  const root = join(createRequire(__filename).resolve('swagger-ui-dist/package.json'), '..');
  if (!existsSync(join(root, 'swagger-ui-bundle.js'))) throw new Error(`swagger-ui-dist at ${root} has no swagger-ui-bundle.js`);
  return root;
}

function page(): string {
  const links = API_DOCUMENTS.map((d) => `<li><a href="${d.url}">${d.name}</a></li>`).join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>特产平台 API 文档</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<style>body{margin:0;font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif}header{padding:16px 24px;border-bottom:1px solid #ddd}h1{margin:0 0 8px;font-size:22px}ul{margin:0;padding-left:20px}</style>
</head>
<body>
<header>
<h1>特产平台 API 文档</h1>
<p>四个服务各自发布 OpenAPI 3 文档（由路由和 zod 校验规则生成）。经本站调用时使用登录会话；写操作须带 CSRF 令牌。</p>
<ul>${links}</ul>
</header>
<main id="swagger-ui" aria-label="API 文档浏览"></main>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/swagger-ui-standalone-preset.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`;
}

/** The page's start-up script is a file of its own: the edge's CSP allows scripts from 'self' only. */
function initScript(): string {
  return `window.ui = SwaggerUIBundle({
  urls: ${JSON.stringify(API_DOCUMENTS.map(({ name, url }) => ({ name, url })))},
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});\n`;
}

/** `/api/docs`: one page listing the four services' OpenAPI documents and rendering them with Swagger UI. */
export function apiDocs(): Router {
  const router = Router();
  const html = page();
  const init = initScript();
  router.get('/', (_req: Request, res: Response) => {
    res.type('html').setHeader('cache-control', 'no-cache').send(html);
  });
  router.get('/init.js', (_req, res) => void res.type('application/javascript').setHeader('cache-control', 'no-cache').send(init));
  const assets = express.static(swaggerUiRoot(), { index: false, maxAge: '1d' });
  router.get(['/swagger-ui.css', '/swagger-ui-bundle.js', '/swagger-ui-standalone-preset.js', '/favicon-32x32.png', '/favicon-16x16.png'], assets);
  return router;
}
