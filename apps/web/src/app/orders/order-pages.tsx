import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { statusTone, yuan } from './format';
import type { Order, Page } from './types';

/** 我的订单, newest first, 10 a page. */
export function MyOrdersPage() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const orders = useApi<Page<Order>>('orders', '/orders', { page, pageSize: 10 });
  if (orders.error) return <p role="alert" className="error">{orders.error.message}</p>;
  if (!orders.data) return <p className="page-status" role="status">正在加载订单…</p>;
  const pages = Math.max(1, Math.ceil(orders.data.total / 10));
  return (
    <section aria-labelledby="orders-title" className="orders-page">
      <h1 id="orders-title">我的订单</h1>
      {orders.data.items.length === 0 && <p>还没有订单。</p>}
      <ul className="order-list">
        {orders.data.items.map((o) => (
          <li key={o.orderId}>
            <Link to={`/orders/${o.orderId}`}>{o.lines.map((l) => l.nameZh).join('、')}</Link>{' '}
            <span className={`status status-${statusTone(o.status)}`}>{o.statusZh}</span> <span>{yuan(o.totalFen)}</span>{' '}
            <small className="hint">{new Date(o.createdAt).toLocaleString('zh-CN')}</small>
          </li>
        ))}
      </ul>
      <nav aria-label="分页" className="pager">
        <button type="button" className="button small" disabled={page <= 1} onClick={() => setParams({ page: String(page - 1) })}>
          上一页
        </button>
        <span>
          第 {page} / {pages} 页
        </span>
        <button type="button" className="button small" disabled={page >= pages} onClick={() => setParams({ page: String(page + 1) })}>
          下一页
        </button>
      </nav>
    </section>
  );
}

const CASE_KINDS = [
  { value: 'return', label: '退货退款' },
  { value: 'exchange', label: '换货' },
  { value: 'complaint', label: '消费投诉' },
  { value: 'fake_claim', label: '假一赔廿索赔' },
];
const REASONS = [
  { value: 'quality', label: '质量问题' },
  { value: 'damaged', label: '运输破损' },
  { value: 'wrong_item', label: '发错货' },
  { value: 'not_as_described', label: '与描述不符' },
  { value: 'temperature', label: '冷链温度异常' },
  { value: 'changed_mind', label: '不想要了（七天无理由）' },
  { value: 'other', label: '其他' },
];

/** Return, exchange, complaint or 假一赔廿 claim for one line of a paid order; photos send their metadata. */
function AfterSalesForm({ order, onDone }: { order: Order; onDone(): void }) {
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const files = (form.getAll('photos') as File[]).filter((f) => f.size > 0);
    const kind = String(form.get('kind'));
    setError(undefined);
    try {
      const requested = String(form.get('requestedYuan') ?? '').trim();
      await api('orders', '/after-sales', {
        body: {
          orderId: order.orderId,
          kind,
          reason: form.get('reason'),
          descriptionZh: form.get('description'),
          lines: [{ skuId: form.get('skuId'), quantity: Number(form.get('quantity')) }],
          photos: files.map((f) => ({ name: f.name, contentType: f.type, sizeBytes: f.size })),
          ...(kind === 'complaint' ? { complaintKind: form.get('complaintKind') } : {}),
          ...(requested ? { requestedFen: Math.round(Number(requested) * 100) } : {}),
        },
      });
      setDone('已提交，商家或品牌运营机构会尽快处理。');
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '提交失败');
    }
  };
  if (done) return <p role="status">{done}</p>;
  return (
    <form className="checkout-form" onSubmit={(e) => void submit(e)} aria-labelledby="after-sales-title">
      <h2 id="after-sales-title">申请售后 / 消费维权</h2>
      {error && <p role="alert" className="error">{error}</p>}
      <label>
        类型
        <select name="kind" defaultValue="return">
          {CASE_KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        商品
        <select name="skuId">
          {order.lines.map((l) => (
            <option key={l.skuId} value={l.skuId}>
              {l.nameZh}（{l.specZh}）
            </option>
          ))}
        </select>
      </label>
      <label>
        数量
        <input name="quantity" type="number" min={1} max={99} defaultValue={1} required />
      </label>
      <label>
        原因
        <select name="reason" defaultValue="quality">
          {REASONS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        投诉类型（消费投诉时）
        <select name="complaintKind" defaultValue="quality">
          <option value="quality">质量</option>
          <option value="safety">食品安全</option>
          <option value="fake">假冒</option>
          <option value="service">服务</option>
        </select>
      </label>
      <label>
        申请退款金额（元，留空为全额）
        <input name="requestedYuan" inputMode="decimal" pattern="\d+(\.\d{1,2})?" />
      </label>
      <label>
        问题描述
        <textarea name="description" required minLength={2} maxLength={2000} />
      </label>
      <label>
        照片（假一赔廿须附照片）
        <input name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple />
      </label>
      <button className="button primary" type="submit">
        提交申请
      </button>
    </form>
  );
}

/** 订单详情: lines, status history, delivery status, cancel, after-sales. */
export function OrderDetailPage() {
  const { id = '' } = useParams();
  const order = useApi<Order>('orders', `/orders/${encodeURIComponent(id)}`);
  const [error, setError] = useState<string>();
  const cancel = async () => {
    setError(undefined);
    try {
      await api('orders', `/orders/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: {} });
      order.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '取消失败');
    }
  };
  if (order.error) return <p role="alert" className="error">{order.error.message}</p>;
  if (!order.data) return <p className="page-status" role="status">正在加载订单…</p>;
  const o = order.data;
  const cancellable = ['pending_stock', 'awaiting_payment', 'authorised', 'paid'].includes(o.status);
  return (
    <section aria-labelledby="order-title" className="orders-page">
      <h1 id="order-title">
        订单 {o.orderId} <span className={`status status-${statusTone(o.status)}`} data-testid="order-status">{o.statusZh}</span>
      </h1>
      {o.cancelReasonZh && <p role="alert">{o.cancelReasonZh}</p>}
      {error && <p role="alert" className="error">{error}</p>}
      <table className="orders-table">
        <thead>
          <tr>
            <th scope="col">商品</th>
            <th scope="col">数量</th>
            <th scope="col">小计</th>
          </tr>
        </thead>
        <tbody>
          {o.lines.map((l) => (
            <tr key={l.skuId}>
              <td>
                {l.nameZh} <span className="hint">{l.specZh}</span>
              </td>
              <td>
                {l.quantity} {l.unit}
              </td>
              <td>{yuan(l.lineTotalFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        合计 {yuan(o.totalFen)} · {o.paymentMethodZh} · 已付 {yuan(o.payment.capturedFen)}
        {o.payment.refundedFen > 0 && ` · 已退 ${yuan(o.payment.refundedFen)}`}
        {o.compensationFen > 0 && ` · 假一赔廿补偿金 ${yuan(o.compensationFen)}`}
      </p>
      <p>
        配送：<span data-testid="delivery-status">{o.delivery.statusZh}</span> {o.delivery.noteZh && `（${o.delivery.noteZh}）`} · {o.address.text}
      </p>
      {o.payment.url && (
        <p>
          {o.payment.lastErrorZh && <span className="error">{o.payment.lastErrorZh} </span>}
          <a className="button primary" href={o.payment.url}>
            去付款
          </a>
        </p>
      )}
      {cancellable && (
        <button type="button" className="button" onClick={() => void cancel()}>
          {o.status === 'paid' ? '取消订单并退款' : '取消订单'}
        </button>
      )}
      <h2>订单状态</h2>
      <ol className="order-history">
        {o.history.map((h, i) => (
          <li key={i}>
            <strong>{h.statusZh}</strong> <small className="hint">{new Date(h.at).toLocaleString('zh-CN')}</small> {h.noteZh && h.noteZh !== h.statusZh && <span>— {h.noteZh}</span>}
          </li>
        ))}
      </ol>
      {['paid', 'shipping', 'delivered', 'held', 'refunded'].includes(o.status) && <AfterSalesForm order={o} onDone={order.reload} />}
    </section>
  );
}
