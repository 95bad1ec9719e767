import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { stillSettling, yuan } from './format';
import type { Order } from './types';

/** Back from the payment page: apply the payment's state now (not waiting for the webhook) and show the outcome. */
export function ReturnPage() {
  const { id = '' } = useParams();
  const [order, setOrder] = useState<Order>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stopped = false;
    const run = async () => {
      for (let i = 0; i < 60 && !stopped; i++) {
        try {
          const o = await api<Order>('orders', `/orders/${encodeURIComponent(id)}/refresh-payment`, { method: 'POST', body: {} });
          setOrder(o);
          if (!stillSettling(o.status)) return;
        } catch (e) {
          setError(e instanceof ApiError ? e.message : '加载失败');
          return;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    };
    void run();
    return () => {
      stopped = true;
    };
  }, [id]);
  if (error) return <p role="alert" className="error">{error}</p>;
  if (!order || stillSettling(order.status)) {
    return (
      <p className="page-status" role="status">
        正在确认付款并复核商品认证状态…
      </p>
    );
  }
  return (
    <section className="orders-page" aria-labelledby="return-title">
      <h1 id="return-title" data-testid="return-status">
        {order.status === 'paid' ? '付款成功' : order.statusZh}
      </h1>
      {order.status === 'paid' && <p>已支付 {yuan(order.payment.capturedFen)}，我们会尽快安排冷链配送。</p>}
      {order.cancelReasonZh && <p role="alert">{order.cancelReasonZh}</p>}
      <Link to={`/orders/${order.orderId}`}>查看订单详情</Link>
    </section>
  );
}
