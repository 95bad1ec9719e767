/** The Chinese sentence a person sees for a failed call; pure, so it is unit-tested. */
const BY_STATUS: Record<number, string> = {
  400: '提交的内容有误，请检查后重试',
  401: '登录已失效，请重新登录',
  403: '您没有权限进行此操作',
  404: '要找的内容不存在或已下架',
  409: '内容已被他人修改或状态已变化，请刷新后重试',
  413: '文件过大',
  415: '文件类型不支持',
  422: '提交的内容不符合要求',
  429: '操作过于频繁，请稍后再试',
};

const HAS_CHINESE = /[\u4e00-\u9fff]/;

/**
 * Services answer `{ statusCode, error, message }` where message may be a string, a list, or a
 * list of field issues. A Chinese message from the service is the most precise and is shown as is;
 * an English one (a developer's wording) is replaced by the sentence for its status.
 */
export function messageFor(status: number, body: unknown): string {
  const fromBody = extractMessages(body).filter((m) => HAS_CHINESE.test(m));
  if (fromBody.length) return fromBody.join('；');
  if (status >= 500) return '服务暂时不可用，请稍后再试';
  return BY_STATUS[status] ?? (status >= 400 ? '请求未能完成，请检查后重试' : '请求失败');
}

function extractMessages(body: unknown): string[] {
  if (!body || typeof body !== 'object') return typeof body === 'string' ? [body] : [];
  const message = (body as { message?: unknown }).message;
  const list = Array.isArray(message) ? message : [message];
  const issues = (body as { issues?: unknown }).issues;
  if (Array.isArray(issues)) list.push(...issues);
  return list.flatMap((item) => {
    if (typeof item === 'string') return [item];
    if (item && typeof item === 'object') {
      const m = (item as { message?: unknown }).message;
      const field = (item as { field?: unknown; path?: unknown }).field ?? (item as { path?: unknown }).path;
      if (typeof m === 'string') return [field && HAS_CHINESE.test(m) ? `${Array.isArray(field) ? field.join('.') : String(field)}：${m}` : m];
    }
    return [];
  });
}

/** A failed API call: `status` for code, `message` in Chinese for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
