import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { sendError } from '../errors/error-response';

/**
 * The built front end: hashed assets cached for a year, and `index.html` (never cached) for every
 * other page path, so client-side routes such as /hall/products/… work on reload and when shared.
 */
export function frontEnd(webRoot: string): Router {
  const router = express.Router();
  router.use(
    '/assets',
    express.static(join(webRoot, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }),
  );
  router.use(express.static(webRoot, { index: false, maxAge: '1h' }));
  let indexHtml: string | undefined;
  router.use((req: Request, res: Response) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(req, res, 404, '没有这个页面');
    if (indexHtml === undefined) {
      const file = join(webRoot, 'index.html');
      if (!existsSync(file)) return sendError(req, res, 503, '前端尚未构建（npx nx build web）');
      indexHtml = readFileSync(file, 'utf8');
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(indexHtml);
  });
  return router;
}
