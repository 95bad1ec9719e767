import { useSyncExternalStore } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/errors';

/**
 * The shopper's cart as the hall sees it: who owns it (the signed-in shopper, or a guest token this
 * browser keeps), adding to it, and the item count in the header. Carts live in the orders service
 * (`/cart` for a shopper, `/guest-carts/<token>` for a guest); prices, names and the certified-only
 * verdict always come from there, never from this page.
 */

/** The orders service's cart view (apps/orders/src/app/cart/cart.service.ts). */
export interface CartView {
  lines: {
    productId: string;
    skuId: string;
    quantity: number;
    nameZh: string;
    specZh?: string;
    unit?: string;
    unitPriceFen?: number;
    lineTotalFen?: number;
    orderable: boolean;
    reasonZh?: string;
  }[];
  totalFen: number;
  checkoutAllowed: boolean;
  checkoutOrderId: string | null;
}

/** Whose cart this browser works on: a signed-in shopper's, a guest's, or none (another role). */
export type CartOwner = { kind: 'shopper' } | { kind: 'guest' } | { kind: 'none' };

export function cartOwnerFor(user: { roles: readonly string[] } | null | undefined): CartOwner {
  if (!user) return { kind: 'guest' };
  return user.roles.includes('shopper') ? { kind: 'shopper' } : { kind: 'none' };
}

/** Units in the cart (what the header badge shows). */
export function itemCount(cart: Pick<CartView, 'lines'>): number {
  return cart.lines.reduce((sum, l) => sum + l.quantity, 0);
}

const GUEST_TOKEN_KEY = 'techan.guestCart';
const TOKEN = /^[0-9a-f]{32}$/;

/** The guest cart's token kept by this browser (localStorage survives reloads and the trip to sign-in). */
export function readGuestToken(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): string | undefined {
  const value = storage?.getItem(GUEST_TOKEN_KEY) ?? undefined;
  return value && TOKEN.test(value) ? value : undefined;
}

function writeGuestToken(token: string | undefined): void {
  const storage = safeStorage();
  if (!storage) return;
  if (token) storage.setItem(GUEST_TOKEN_KEY, token);
  else storage.removeItem(GUEST_TOKEN_KEY);
}

function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage disabled (private mode, policies): the guest cart lasts for this page only
  }
}

// The header badge: one number shared by every component (undefined = not known yet).
let count: number | undefined;
const listeners = new Set<() => void>();
function setCount(next: number | undefined): void {
  if (next === count) return;
  count = next;
  listeners.forEach((l) => l());
}

export function useCartCount(): number | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => count,
  );
}

let merging: Promise<void> | undefined;
/**
 * Once signed in as a shopper: the guest cart this browser kept joins the shopper's cart (the
 * orders service adds quantities and deletes the guest cart), and the token is forgotten.
 * Concurrent callers share one call.
 */
export function mergeGuestCart(): Promise<void> {
  const token = readGuestToken();
  if (!token) return Promise.resolve();
  merging ??= api<CartView>('orders', '/cart/merge', { body: { guestToken: token } })
    .then(
      (cart) => {
        writeGuestToken(undefined);
        setCount(itemCount(cart));
      },
      (error: unknown) => {
        // A token the service does not accept will never merge: drop it instead of retrying forever.
        if (error instanceof ApiError && error.status === 400) writeGuestToken(undefined);
        else throw error;
      },
    )
    .finally(() => {
      merging = undefined;
    });
  return merging;
}

/** The current cart of this owner (an empty one for a guest who has none yet); also updates the badge. */
export async function loadCart(owner: CartOwner): Promise<CartView> {
  let cart: CartView;
  if (owner.kind === 'shopper') {
    await mergeGuestCart();
    cart = await api<CartView>('orders', '/cart');
  } else {
    const token = owner.kind === 'guest' ? readGuestToken() : undefined;
    cart = token ? await api<CartView>('orders', `/guest-carts/${token}`) : { lines: [], totalFen: 0, checkoutAllowed: false, checkoutOrderId: null };
  }
  setCount(itemCount(cart));
  return cart;
}

/** Where this owner's cart lines live (a guest gets a token on the first add). */
async function linesPath(owner: CartOwner, create: boolean): Promise<string | undefined> {
  if (owner.kind === 'shopper') return '/cart/lines';
  if (owner.kind === 'none') return undefined;
  let token = readGuestToken();
  if (!token && create) {
    token = (await api<{ guestToken: string }>('orders', '/guest-carts', { body: {} })).guestToken;
    writeGuestToken(token);
  }
  return token ? `/guest-carts/${token}/lines` : undefined;
}

/** Changes a line's quantity (0 removes it); returns the cart as the service now sees it. */
export async function changeLine(owner: CartOwner, skuId: string, quantity: number): Promise<CartView> {
  const path = await linesPath(owner, false);
  if (!path) return loadCart(owner);
  const line = `${path}/${encodeURIComponent(skuId)}`;
  const cart = quantity < 1 ? await api<CartView>('orders', line, { method: 'DELETE' }) : await api<CartView>('orders', line, { method: 'PATCH', body: { quantity } });
  setCount(itemCount(cart));
  return cart;
}

export interface AddResult {
  ok: boolean;
  /** zh-CN, shown as is */
  message: string;
  cart?: CartView;
}

/**
 * 加入购物车: the SKU and quantity only (the price is the catalogue's). A refusal comes back with the
 * orders service's reason (e.g. the product's certificate is under a red warning).
 */
export async function addToCart(owner: CartOwner, item: { productId: string; skuId: string; quantity: number }): Promise<AddResult> {
  if (owner.kind === 'none') return { ok: false, message: '当前账号不能购物，请使用消费者账号登录后再加入购物车' };
  try {
    const path = (await linesPath(owner, true)) as string;
    const cart = await api<CartView>('orders', path, { body: item });
    setCount(itemCount(cart));
    return { ok: true, message: addedMessage(cart, item.skuId), cart };
  } catch (error) {
    return { ok: false, message: error instanceof ApiError ? error.message : '加入购物车失败，请重试' };
  }
}

/** "已加入购物车：…" with the line as the service priced it. */
export function addedMessage(cart: CartView, skuId: string): string {
  const line = cart.lines.find((l) => l.skuId === skuId);
  const total = `购物车共 ${itemCount(cart)} 件`;
  if (!line) return `已加入购物车，${total}`;
  return `已加入购物车：${line.nameZh}${line.specZh ? ` ${line.specZh}` : ''} × ${line.quantity}，${total}`;
}
