import { useEffect } from 'react';
import { NavLink } from 'react-router';
import { useSession } from '../shell/session';
import { cartOwnerFor, loadCart, useCartCount } from './cart';

/**
 * 购物车 in the header with the number of items, for guests and shoppers (other roles do not shop).
 * When a guest signs in as a shopper, loading the count merges the guest cart into theirs.
 */
export function CartLink() {
  const { session } = useSession();
  const count = useCartCount();
  const owner = session ? cartOwnerFor(session.user) : undefined;
  const kind = owner?.kind;
  const userId = session?.user?.userId;

  useEffect(() => {
    if (!kind || kind === 'none') return;
    // The badge is a convenience: a failure here must not disturb the page (the cart page reports errors).
    loadCart({ kind }).catch(() => undefined);
  }, [kind, userId]);

  if (!kind || kind === 'none') return null;
  return (
    <NavLink to="/orders/cart" className="cart-link" data-testid="cart-link" aria-label={`购物车${count ? `，${count} 件商品` : ''}`}>
      购物车
      {count ? (
        <span className="cart-badge" data-testid="cart-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </NavLink>
  );
}
