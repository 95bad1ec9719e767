/**
 * The public API surface of the edge: `/api/<service>/<rest>` goes to one service. Pure, so the
 * rules about which paths may leave the edge are tested without a server.
 */
export const API_SERVICES = ['catalog', 'orders', 'logistics', 'certification'] as const;
export type ApiService = (typeof API_SERVICES)[number];

/**
 * Where each service's routes live on the service itself. The catalog serves its API under
 * `/catalog/…`; the others at their root. `/api/catalog/halls` → catalog `/catalog/halls`,
 * `/api/certification/applications` → certification `/applications`.
 */
export const UPSTREAM_PREFIX: Record<ApiService, string> = {
  catalog: '/catalog',
  orders: '',
  logistics: '',
  certification: '',
};

export type ApiRoute =
  | { ok: true; service: ApiService; upstreamPath: string }
  | { ok: false; status: 400 | 404; reason: string };

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Maps a request URL (path + query) to its service and the path sent there, or says why not. */
export function resolveApiRoute(url: string): ApiRoute {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  const match = /^\/api\/([^/]+)(\/.*)?$/.exec(path);
  if (!match) return { ok: false, status: 404, reason: '没有这个接口' };
  const service = match[1] as ApiService;
  if (!API_SERVICES.includes(service)) return { ok: false, status: 404, reason: `没有名为“${safeEcho(match[1])}”的服务` };
  const rest = match[2] ?? '/';
  const problem = unsafePath(rest) ?? (CONTROL.test(query) ? '查询参数含有控制字符' : undefined);
  if (problem) return { ok: false, status: 400, reason: problem };
  const upstreamPath = UPSTREAM_PREFIX[service] + (rest === '/' && UPSTREAM_PREFIX[service] ? '' : rest) + query;
  return { ok: true, service, upstreamPath: upstreamPath || '/' };
}

/**
 * A path that could reach something other than the named service's routes once a server or
 * proxy normalises it: dot segments (also percent-encoded), encoded slashes or backslashes,
 * empty segments, control characters, malformed percent-encoding.
 */
export function unsafePath(path: string): string | undefined {
  if (!path.startsWith('/')) return '路径必须以 / 开头';
  if (path.includes('\\')) return '路径中不允许反斜杠';
  if (/%(2f|5c)/i.test(path)) return '路径中不允许编码的斜杠';
  if (/\/\//.test(path)) return '路径中不允许空的路径段';
  for (const segment of path.split('/').slice(1)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return '路径编码无效';
    }
    if (decoded === '.' || decoded === '..') return '路径中不允许 . 或 .. 段';
    if (CONTROL.test(decoded)) return '路径中不允许控制字符';
  }
  return undefined;
}

function safeEcho(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40);
}
