import { resolveApiRoute, unsafePath } from './api-routes';

describe('resolveApiRoute', () => {
  it('maps each service onto its own routes, keeping the query', () => {
    expect(resolveApiRoute('/api/catalog/halls')).toEqual({ ok: true, service: 'catalog', upstreamPath: '/catalog/halls' });
    expect(resolveApiRoute('/api/catalog/search?q=%E9%B9%85&hall=county')).toEqual({
      ok: true,
      service: 'catalog',
      upstreamPath: '/catalog/search?q=%E9%B9%85&hall=county',
    });
    expect(resolveApiRoute('/api/certification/applications/a-1/review')).toEqual({
      ok: true,
      service: 'certification',
      upstreamPath: '/applications/a-1/review',
    });
    expect(resolveApiRoute('/api/orders')).toEqual({ ok: true, service: 'orders', upstreamPath: '/' });
    expect(resolveApiRoute('/api/catalog')).toEqual({ ok: true, service: 'catalog', upstreamPath: '/catalog' });
  });

  it('knows only the four services', () => {
    expect(resolveApiRoute('/api/payments/x')).toMatchObject({ ok: false, status: 404 });
    expect(resolveApiRoute('/api/')).toMatchObject({ ok: false, status: 404 });
    expect(resolveApiRoute('/apix/catalog/halls')).toMatchObject({ ok: false, status: 404 });
  });

  it.each([
    '/api/catalog/../health',
    '/api/catalog/%2e%2e/health',
    '/api/catalog/%2E./health',
    '/api/certification/products/%2fetc',
    '/api/certification/products/%5C..',
    '/api/catalog/a\\..\\b',
    '/api/catalog//halls',
    '/api/catalog/%E9',
    '/api/catalog/halls%00',
    '/api/catalog/./halls',
  ])('refuses %s with 400', (url) => {
    expect(resolveApiRoute(url)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses control characters in the query', () => {
    expect(resolveApiRoute('/api/catalog/search?q=%0d%0a')).toMatchObject({ ok: true });
    expect(resolveApiRoute('/api/catalog/search?q=a\r\nx: y')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('unsafePath', () => {
  it('accepts ordinary percent-encoded Chinese segments and dots inside names', () => {
    expect(unsafePath('/products/%E9%A9%AC%E5%86%88%E9%B9%85')).toBeUndefined();
    expect(unsafePath('/products/p-1/qr.png')).toBeUndefined();
    expect(unsafePath('/a/...b')).toBeUndefined();
  });
});
