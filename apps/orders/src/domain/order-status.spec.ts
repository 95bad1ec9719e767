import { assertTransition, canTransition, IllegalTransition, ORDER_STATUSES, shopperMayCancel, sourcesOf } from './order-status';

describe('order status machine', () => {
  it('follows the checkout saga: pending → awaiting payment → authorised → paid → shipping → delivered', () => {
    const path = ['pending_stock', 'awaiting_payment', 'authorised', 'paid', 'shipping', 'delivered'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i])).toBe(true);
  });

  it('never resurrects a cancelled or refunded order', () => {
    for (const to of ORDER_STATUSES) {
      if (to !== 'refunded') expect(canTransition('cancelled', to)).toBe(false);
      expect(canTransition('refunded', to)).toBe(false);
    }
    expect(() => assertTransition('cancelled', 'paid')).toThrow(IllegalTransition);
    expect(() => assertTransition('cancelled', 'paid')).toThrow('已取消');
  });

  it('an authorisation can only be captured (paid) or cancelled', () => {
    expect(ORDER_STATUSES.filter((s) => canTransition('authorised', s))).toEqual(['paid', 'cancelled']);
  });

  it('lists the sources of a status for compare-and-set', () => {
    expect(sourcesOf('paid').sort()).toEqual(['authorised', 'awaiting_payment', 'pending_stock'].sort());
    expect(sourcesOf('pending_stock')).toEqual([]);
  });

  it('lets the shopper cancel only before dispatch', () => {
    expect(shopperMayCancel('paid')).toBe(true);
    expect(shopperMayCancel('shipping')).toBe(false);
    expect(shopperMayCancel('delivered')).toBe(false);
  });
});
