import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import type { Order } from './types';

/** After checkout: wait for the stock reservation and the payment page, then go to it (Stripe Checkout). */
export function PayPage() {
  const { id = '' } = useParams();
  const [order, setOrder] = useState<Order>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      for (let i = 0; i < 120 && !stopped; i++) {
        try {
          const o = await api<Order>('orders', `/orders/${encodeURIComponent(id)}`);
          setOrder(o);
          if (o.payment.url) {
            window.location.assign(o.payment.url);
            return;
          }
          if (o.status !== 'pending_stock' && o.status !== 'awaiting_payment') return;
        } catch (e) {
          setError(e instanceof ApiError ? e.message : '加载失败');
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [id]);
  if (error) return <p role="alert" className="error">{error}</p>;
  if (order && order.status === 'cancelled') {
    return (
      <section className="orders-page">
        <h1>订单未成立</h1>
        <p role="alert">{order.cancelReasonZh}</p>
        <Link to="/orders/cart">返回购物车</Link>
      </section>
    );
  }
  return (
    <p className="page-status" role="status">
      正在确认库存与认证状态，即将前往付款页面…
    </p>
  );
}
