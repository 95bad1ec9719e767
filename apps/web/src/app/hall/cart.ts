/**
 * What the buy button does. The cart and checkout belong to the orders area (another team adds
 * `src/app/orders/`); it replaces this default by calling `setAddToCart` once at start-up.
 */
export type AddToCart = (item: { productId: string; skuId: string; quantity: number }) => Promise<{ message: string; goTo?: string }>;

let handler: AddToCart = async () => ({ message: '购物车即将开放，敬请期待' });

export function setAddToCart(next: AddToCart): void {
  handler = next;
}

export function addToCart(item: Parameters<AddToCart>[0]) {
  return handler(item);
}
