import { Route, Routes } from 'react-router';
import { CartPage } from './cart-page';
import { MyOrdersPage, OrderDetailPage } from './order-pages';
import { PayPage } from './pay-page';
import { ReturnPage } from './return-page';

/** The shopper's cart, checkout redirect, return page, orders and after-sales (plain React, no antd: phone budget). */
export default function OrdersArea() {
  return (
    <Routes>
      <Route index element={<MyOrdersPage />} />
      <Route path="cart" element={<CartPage />} />
      <Route path=":id" element={<OrderDetailPage />} />
      <Route path=":id/pay" element={<PayPage />} />
      <Route path=":id/return" element={<ReturnPage />} />
    </Routes>
  );
}
