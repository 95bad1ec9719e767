import { homeFor, navigationFor } from './navigation';

describe('navigation per role', () => {
  it('gives a shopper the hall and their orders (the cart has its own header link)', () => {
    expect(navigationFor(['shopper']).map((n) => n.to)).toEqual(['/hall', '/hall/price-index', '/orders']);
    expect(navigationFor(['merchant']).map((n) => n.to)).not.toContain('/orders');
    expect(homeFor(['shopper'])).toBe('/hall');
  });

  it('gives each console to its roles', () => {
    expect(navigationFor(['merchant']).map((n) => n.to)).toContain('/merchant');
    expect(navigationFor(['merchant']).map((n) => n.to)).not.toContain('/operator');
    expect(navigationFor(['inspector']).map((n) => n.to)).toContain('/certifier');
    expect(homeFor(['inspector'])).toBe('/certifier');
    expect(homeFor(['operator'])).toBe('/operator');
    expect(homeFor(['buyer'])).toBe('/buyer');
  });
});
