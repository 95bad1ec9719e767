import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { RequireRole } from '../shell/session';
import { CartPage } from './cart-page';
import { MyOrdersPage, OrderDetailPage } from './order-pages';
import { PayPage } from './pay-page';
import { ReturnPage } from './return-page';

const shopper = (page: ReactNode) => <RequireRole roles={['shopper']}>{page}</RequireRole>;

/**
 * The shopper's cart, checkout redirect, return page, orders and after-sales (plain React, no antd:
 * phone budget). The cart is open to guests too (checkout asks them to sign in); the rest is the shopper's.
 */
export default function OrdersArea() {
  return (
    <Routes>
      <Route index element={shopper(<MyOrdersPage />)} />
      <Route path="cart" element={<CartPage />} />
      <Route path=":id" element={shopper(<OrderDetailPage />)} />
      <Route path=":id/pay" element={shopper(<PayPage />)} />
      <Route path=":id/return" element={shopper(<ReturnPage />)} />
    </Routes>
  );
}
