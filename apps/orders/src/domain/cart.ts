/**
 * A shopper's cart: lines of (product, SKU, quantity), nothing else — names and prices are looked up
 * in the catalogue at every view, never stored from the client. Pure functions over an immutable list.
 */
export interface CartLine {
  productId: string;
  skuId: string;
  quantity: number;
}

/** Most of one SKU a shopper may put in a cart (bigger orders are institutional contracts). */
export const MAX_QUANTITY_PER_LINE = 99;
export const MAX_LINES = 50;

export class CartError extends Error {
  constructor(
    readonly code: 'quantity_out_of_range' | 'too_many_lines' | 'not_in_cart',
    readonly messageZh: string,
  ) {
    super(messageZh);
  }
}

function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY_PER_LINE) {
    throw new CartError('quantity_out_of_range', `数量须为 1 到 ${MAX_QUANTITY_PER_LINE} 之间的整数`);
  }
}

/** Adds `quantity` of a SKU (summing with a line already there). */
export function addLine(lines: readonly CartLine[], line: CartLine): CartLine[] {
  checkQuantity(line.quantity);
  const existing = lines.find((l) => l.skuId === line.skuId);
  if (existing) {
    const quantity = existing.quantity + line.quantity;
    checkQuantity(quantity);
    return lines.map((l) => (l.skuId === line.skuId ? { ...l, quantity } : l));
  }
  if (lines.length >= MAX_LINES) throw new CartError('too_many_lines', `购物车最多 ${MAX_LINES} 种商品`);
  return [...lines, { ...line }];
}

/** Sets the quantity of a line already in the cart. */
export function setQuantity(lines: readonly CartLine[], skuId: string, quantity: number): CartLine[] {
  if (!lines.some((l) => l.skuId === skuId)) throw new CartError('not_in_cart', '购物车中没有该商品');
  checkQuantity(quantity);
  return lines.map((l) => (l.skuId === skuId ? { ...l, quantity } : l));
}

export function removeLine(lines: readonly CartLine[], skuId: string): CartLine[] {
  if (!lines.some((l) => l.skuId === skuId)) throw new CartError('not_in_cart', '购物车中没有该商品');
  return lines.filter((l) => l.skuId !== skuId);
}

/**
 * A guest's cart joins the signed-in shopper's at sign-in: quantities of the same SKU add up (capped
 * at the per-line maximum, not refused — the shopper sees the result), new SKUs are appended while
 * there is room.
 */
export function mergeCarts(mine: readonly CartLine[], guest: readonly CartLine[]): CartLine[] {
  const out = mine.map((l) => ({ ...l }));
  for (const g of guest) {
    const existing = out.find((l) => l.skuId === g.skuId);
    if (existing) existing.quantity = Math.min(MAX_QUANTITY_PER_LINE, existing.quantity + g.quantity);
    else if (out.length < MAX_LINES) out.push({ ...g, quantity: Math.min(MAX_QUANTITY_PER_LINE, g.quantity) });
  }
  return out;
}
