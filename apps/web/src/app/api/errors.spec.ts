import { messageFor } from './errors';

describe('messageFor', () => {
  it('shows a Chinese message from the service as is', () => {
    expect(messageFor(409, { statusCode: 409, error: 'CONFLICT', message: '该统一社会信用代码已登记' })).toBe('该统一社会信用代码已登记');
  });

  it('joins Chinese field issues and names the field', () => {
    expect(messageFor(400, { message: [{ field: 'creditCode', message: '统一社会信用代码格式不正确' }, { field: 'name', message: '必填' }] })).toBe(
      'creditCode：统一社会信用代码格式不正确；name：必填',
    );
  });

  it('replaces an English message by the sentence for its status', () => {
    expect(messageFor(401, { message: 'a bearer token is required' })).toBe('登录已失效，请重新登录');
    expect(messageFor(403, { message: 'requires one of the roles: operator' })).toBe('您没有权限进行此操作');
    expect(messageFor(418, undefined)).toBe('请求未能完成，请检查后重试');
  });

  it('never shows server internals for a 5xx', () => {
    expect(messageFor(500, { message: 'TypeError: x is undefined', traceId: 'abc' })).toBe('服务暂时不可用，请稍后再试');
  });
});
