import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { DELIVERY_AREAS, deliveryArea } from '@techan/common/vocabulary';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { cartOwnerFor, changeLine, loadCart } from '../hall/cart';
import { useSession } from '../shell/session';
import { PAYMENT_METHODS, yuan } from './format';
import type { Cart, Order } from './types';

/**
 * 购物车: lines priced by the catalogue, each re-checked (certified-only) at every view; checkout form
 * below. A guest sees their guest cart and signs in to check out (the guest cart then joins theirs).
 */
export function CartPage() {
  const { session } = useSession();
  const owner = session ? cartOwnerFor(session.user) : undefined;
  const kind = owner?.kind;
  const [cart, setCart] = useState<{ data?: Cart; error?: ApiError }>({});
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!kind) return;
    let current = true;
    loadCart({ kind }).then(
      (data) => current && setCart({ data }),
      (e: unknown) => current && setCart({ error: e instanceof ApiError ? e : new ApiError(0, '加载购物车失败，请重试', undefined) }),
    );
    return () => {
      current = false;
    };
  }, [kind, session?.user?.userId]);

  const change = async (skuId: string, quantity: number) => {
    if (!kind) return;
    setError(undefined);
    try {
      setCart({ data: await changeLine({ kind }, skuId, quantity) });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  const checkout = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const area = deliveryArea(String(form.get('area') ?? ''));
    if (!area) {
      setError('请选择收货的镇/街道');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const order = await api<Order>('orders', '/checkout', {
        body: {
          paymentMethod: form.get('paymentMethod'),
          address: {
            text: `广东省江门市开平市${area.nameZh}${String(form.get('address') ?? '').trim()}`,
            contactName: String(form.get('contactName') ?? ''),
            contactPhone: String(form.get('contactPhone') ?? ''),
            // The area's seat: route planning needs a position, drivers go by the text (no geocoder here).
            lat: area.lat,
            lng: area.lng,
          },
        },
      });
      navigate(`/orders/${order.orderId}/pay`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '下单失败');
      setBusy(false);
    }
  };

  if (kind === 'none') {
    return (
      <div className="page-status" role="alert">
        <h1>没有权限</h1>
        <p>购物车仅供消费者使用，请换用消费者账号登录。</p>
      </div>
    );
  }
  if (cart.error) return <p role="alert" className="error">{cart.error.message}</p>;
  if (!cart.data) return <p className="page-status" role="status">正在加载购物车…</p>;
  const c = cart.data;
  return (
    <section aria-labelledby="cart-title" className="orders-page">
      <h1 id="cart-title">购物车</h1>
      {error && <p role="alert" className="error">{error}</p>}
      {c.checkoutOrderId && (
        <p className="hint">
          该购物车正在结算：<Link to={`/orders/${c.checkoutOrderId}`}>查看订单</Link>
        </p>
      )}
      {c.lines.length === 0 ? (
        <p>购物车是空的，去 <Link to="/hall">品牌馆</Link> 逛逛吧。</p>
      ) : (
        <table className="orders-table">
          <thead>
            <tr>
              <th scope="col">商品</th>
              <th scope="col">单价</th>
              <th scope="col">数量</th>
              <th scope="col">小计</th>
            </tr>
          </thead>
          <tbody>
            {c.lines.map((l) => (
              <tr key={l.skuId} data-testid={`cart-line-${l.skuId}`}>
                <td>
                  <strong>{l.nameZh}</strong> {l.specZh && <span className="hint">{l.specZh}</span>}
                  {!l.orderable && <div role="alert" className="error">暂不可购买：{l.reasonZh}</div>}
                </td>
                <td>{l.unitPriceFen !== undefined ? yuan(l.unitPriceFen) : '—'}</td>
                <td>
                  <button type="button" className="button small" aria-label={`减少 ${l.nameZh}`} onClick={() => void change(l.skuId, l.quantity - 1)}>
                    −
                  </button>{' '}
                  <span aria-label="数量">{l.quantity}</span>{' '}
                  <button type="button" className="button small" aria-label={`增加 ${l.nameZh}`} onClick={() => void change(l.skuId, l.quantity + 1)}>
                    +
                  </button>
                </td>
                <td>{l.lineTotalFen !== undefined ? yuan(l.lineTotalFen) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {c.lines.length > 0 && kind === 'guest' && (
        <p className="checkout-form">
          <span>合计 <strong data-testid="cart-total">{yuan(c.totalFen)}</strong>，登录后即可结算（购物车里的商品会保留）。</span>
          <Link className="button primary" to="/sign-in?returnTo=%2Forders%2Fcart">
            登录后结算
          </Link>
        </p>
      )}
      {c.lines.length > 0 && kind === 'shopper' && (
        <form className="checkout-form" onSubmit={(e) => void checkout(e)} aria-labelledby="checkout-title">
          <h2 id="checkout-title">
            结算 <span data-testid="cart-total">{yuan(c.totalFen)}</span>
          </h2>
          <fieldset>
            <legend>付款方式</legend>
            {PAYMENT_METHODS.map((m, i) => (
              <label key={m.value} className="radio">
                <input type="radio" name="paymentMethod" value={m.value} defaultChecked={i === 0} /> {m.label}
              </label>
            ))}
          </fieldset>
          <label>
            镇/街道（开平市）
            <select name="area" required defaultValue="changsha">
              {DELIVERY_AREAS.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.nameZh}
                </option>
              ))}
            </select>
          </label>
          <label>
            详细地址
            <input name="address" required minLength={3} placeholder="路名、门牌号、小区楼栋" defaultValue="幕沙路 1 号" />
          </label>
          <label>
            收货人
            <input name="contactName" required defaultValue="" />
          </label>
          <label>
            手机号
            <input name="contactPhone" required pattern="1\d{10}" inputMode="tel" />
          </label>
          <button className="button primary" type="submit" disabled={busy || !c.checkoutAllowed}>
            {busy ? '正在下单…' : '提交订单并付款'}
          </button>
        </form>
      )}
    </section>
  );
}
