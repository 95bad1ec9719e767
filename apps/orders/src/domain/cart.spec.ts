import { addLine, CartError, MAX_QUANTITY_PER_LINE, mergeCarts, removeLine, setQuantity } from './cart';

const goose = { productId: 'p-goose', skuId: 'sku-goose-whole', quantity: 1 };
const tea = { productId: 'p-tea', skuId: 'sku-tea-250g', quantity: 2 };

describe('cart', () => {
  it('adds a new line and sums an existing SKU', () => {
    const once = addLine([], goose);
    expect(addLine(once, { ...goose, quantity: 3 })).toEqual([{ ...goose, quantity: 4 }]);
    expect(addLine(once, tea)).toEqual([goose, tea]);
  });

  it.each([0, -1, 1.5, MAX_QUANTITY_PER_LINE + 1])('refuses quantity %p', (q) => {
    expect(() => addLine([], { ...goose, quantity: q })).toThrow(CartError);
    expect(() => setQuantity([goose], goose.skuId, q)).toThrow(CartError);
  });

  it('refuses a sum above the per-line maximum', () => {
    expect(() => addLine([{ ...goose, quantity: MAX_QUANTITY_PER_LINE }], goose)).toThrow('数量须为');
  });

  it('sets and removes only lines that are there', () => {
    expect(setQuantity([goose, tea], tea.skuId, 5)).toEqual([goose, { ...tea, quantity: 5 }]);
    expect(removeLine([goose, tea], goose.skuId)).toEqual([tea]);
    expect(() => removeLine([tea], goose.skuId)).toThrow('购物车中没有该商品');
    expect(() => setQuantity([tea], goose.skuId, 1)).toThrow(CartError);
  });

  it('merges a guest cart at sign-in: same SKU adds up (capped), new SKUs appended', () => {
    const merged = mergeCarts([{ ...goose, quantity: 98 }], [{ ...goose, quantity: 5 }, tea]);
    expect(merged).toEqual([{ ...goose, quantity: MAX_QUANTITY_PER_LINE }, tea]);
    expect(mergeCarts([], [])).toEqual([]);
  });
});
