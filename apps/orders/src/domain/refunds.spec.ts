import { checkRefund, fakeCompensation, RefundError, refundableFen, valueOfLines } from './refunds';

const order = [
  { skuId: 'goose', quantity: 2, unitPriceFen: 16800 },
  { skuId: 'tea', quantity: 1, unitPriceFen: 6800 },
];

describe('refunds', () => {
  it('values returned lines at the prices paid', () => {
    expect(valueOfLines(order, [{ skuId: 'goose', quantity: 1 }])).toBe(16800);
    expect(valueOfLines(order, [{ skuId: 'goose', quantity: 2 }, { skuId: 'tea', quantity: 1 }])).toBe(40400);
  });

  it('refuses unknown lines and more than was bought less already returned', () => {
    expect(() => valueOfLines(order, [{ skuId: 'rice', quantity: 1 }])).toThrow(RefundError);
    expect(() => valueOfLines(order, [{ skuId: 'goose', quantity: 2 }], new Map([['goose', 1]]))).toThrow('最多可退 1 件');
  });

  it('never refunds more than is left of the capture', () => {
    expect(refundableFen(40400, 16800)).toBe(23600);
    expect(() => checkRefund(23601, 40400, 16800)).toThrow('最多可退 ¥236.00');
    expect(() => checkRefund(1, 0, 0)).toThrow(RefundError);
    expect(() => checkRefund(23600, 40400, 16800)).not.toThrow();
  });

  it('假一赔廿: the price back plus twenty times it as credit', () => {
    expect(fakeCompensation(16800, 1)).toEqual({ refundFen: 16800, compensationFen: 336000 });
  });
});
