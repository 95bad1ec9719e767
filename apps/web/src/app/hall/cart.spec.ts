import { addedMessage, addToCart, cartOwnerFor, itemCount, loadCart, mergeGuestCart, readGuestToken, type CartView } from './cart';

/** The orders service as the browser sees it through the edge: recorded calls and canned replies. */
const calls: { method: string; url: string; body?: unknown }[] = [];
let reply: (method: string, url: string, body: unknown) => { status: number; body: unknown };

const TOKEN = 'a'.repeat(32);
const cart = (lines: Partial<CartView['lines'][number]>[]): CartView => ({
  lines: lines.map((l) => ({ productId: 'p-goose', skuId: 'sku-w30', quantity: 1, nameZh: '马冈鹅（整只，冰鲜）', specZh: '整只约3千克', unitPriceFen: 26800, orderable: true, ...l })),
  totalFen: 0,
  checkoutAllowed: true,
  checkoutOrderId: null,
});

beforeEach(() => {
  calls.length = 0;
  const store = new Map<string, string>();
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v), removeItem: (k: string) => store.delete(k) },
    fetch: async (url: string, init: { method: string; body?: string }) => {
      const body = init.body ? JSON.parse(init.body) : undefined;
      calls.push({ method: init.method, url, body });
      const r = reply(init.method, url, body);
      return { ok: r.status < 300, status: r.status, text: async () => JSON.stringify(r.body) };
    },
  });
});

describe('the hall cart', () => {
  it('knows whose cart it is: a guest, a shopper, or nobody for other roles', () => {
    expect(cartOwnerFor(null)).toEqual({ kind: 'guest' });
    expect(cartOwnerFor({ roles: ['shopper'] })).toEqual({ kind: 'shopper' });
    expect(cartOwnerFor({ roles: ['merchant'] })).toEqual({ kind: 'none' });
  });

  it('counts units, and says what was added as the service priced it', () => {
    const c = cart([{ quantity: 2 }, { skuId: 'sku-tea', nameZh: '大沙茶', specZh: undefined, quantity: 3 }]);
    expect(itemCount(c)).toBe(5);
    expect(addedMessage(c, 'sku-tea')).toBe('已加入购物车：大沙茶 × 3，购物车共 5 件');
  });

  it('gives a guest a cart token on the first add, keeps it, and sends only SKU and quantity', async () => {
    reply = (method, url) => (url === '/api/orders/guest-carts' ? { status: 201, body: { guestToken: TOKEN } } : { status: 201, body: cart([{ quantity: 2 }]) });
    const first = await addToCart({ kind: 'guest' }, { productId: 'p-goose', skuId: 'sku-w30', quantity: 2 });
    expect(first).toMatchObject({ ok: true, message: '已加入购物车：马冈鹅（整只，冰鲜） 整只约3千克 × 2，购物车共 2 件' });
    await addToCart({ kind: 'guest' }, { productId: 'p-goose', skuId: 'sku-w30', quantity: 1 });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/orders/guest-carts', `POST /api/orders/guest-carts/${TOKEN}/lines`, `POST /api/orders/guest-carts/${TOKEN}/lines`]);
    expect(calls[1].body).toEqual({ productId: 'p-goose', skuId: 'sku-w30', quantity: 2 });
    expect(readGuestToken()).toBe(TOKEN);
  });

  it('adds to the signed-in shopper’s own cart', async () => {
    reply = () => ({ status: 201, body: cart([]) });
    await addToCart({ kind: 'shopper' }, { productId: 'p-goose', skuId: 'sku-w30', quantity: 1 });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/orders/cart/lines']);
  });

  it('shows the service’s reason when a product cannot be bought, and refuses other roles without a call', async () => {
    reply = () => ({ status: 409, body: { statusCode: 409, error: 'NOT_ORDERABLE', message: '该产品认证处于红色警示（质量风险），暂停销售' } });
    localStorage.setItem('techan.guestCart', TOKEN);
    expect(await addToCart({ kind: 'guest' }, { productId: 'p-goose', skuId: 'sku-w30', quantity: 1 })).toEqual({ ok: false, message: '该产品认证处于红色警示（质量风险），暂停销售' });
    calls.length = 0;
    expect((await addToCart({ kind: 'none' }, { productId: 'p-goose', skuId: 'sku-w30', quantity: 1 })).ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('merges the guest cart once the shopper is signed in, then forgets the token', async () => {
    localStorage.setItem('techan.guestCart', TOKEN);
    reply = () => ({ status: 200, body: cart([{ quantity: 3 }]) });
    const merged = await loadCart({ kind: 'shopper' });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/orders/cart/merge', 'GET /api/orders/cart']);
    expect(calls[0].body).toEqual({ guestToken: TOKEN });
    expect(itemCount(merged)).toBe(3);
    expect(readGuestToken()).toBeUndefined();
    calls.length = 0;
    await mergeGuestCart();
    expect(calls).toEqual([]);
  });

  it('keeps the guest token when the merge fails for a passing reason (tries again later)', async () => {
    localStorage.setItem('techan.guestCart', TOKEN);
    reply = () => ({ status: 503, body: { message: 'unavailable' } });
    await expect(mergeGuestCart()).rejects.toMatchObject({ status: 503 });
    expect(readGuestToken()).toBe(TOKEN);
  });
});
