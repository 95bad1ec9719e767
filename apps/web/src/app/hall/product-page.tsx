import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../api/use-api';
import { useSession } from '../shell/session';
import { addToCart, cartOwnerFor, type AddResult } from './cart';
import { CERTIFICATE_STATUS_ZH, dateZh, imageSrc, stars } from './format';
import type { ProductPageView } from './types';

/** A product, reachable by direct link (also when not buyable: then it says why, instead of a buy button). */
export function ProductPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const hall = params.get('hall') ?? undefined;
  const product = useApi<ProductPageView>('catalog', id ? `/products/${encodeURIComponent(id)}` : undefined, { hall });
  const { session } = useSession();
  const [result, setResult] = useState<AddResult>();
  const [busy, setBusy] = useState(false);

  if (product.loading && !product.data) return <p className="page-status" role="status">正在加载…</p>;
  if (product.error || !product.data) {
    return (
      <div className="page-status" role="alert">
        <h1>产品不存在</h1>
        <p>{product.error?.status === 404 ? '产品不存在或已删除。' : (product.error?.message ?? '加载失败')}</p>
        <p><Link to="/hall">返回品牌馆</Link></p>
      </div>
    );
  }
  const p = product.data;
  const a = p.availability;

  async function buy(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const quantity = Number(form.get('quantity') ?? 1);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 99) {
      setResult({ ok: false, message: '数量须为 1 到 99 的整数' });
      return;
    }
    setBusy(true);
    setResult(undefined);
    // Only the SKU and quantity go to the cart: the price is the catalogue's, fixed by the orders service.
    setResult(await addToCart(cartOwnerFor(session?.user), { productId: p.id, skuId: String(form.get('skuId')), quantity }));
    setBusy(false);
  }

  return (
    <article className="product-page" aria-labelledby="product-title">
      <nav aria-label="位置" className="breadcrumb">
        <Link to={hall ? `/hall?hall=${hall}` : '/hall'}>品牌馆</Link> › {p.category.join(' › ')}
      </nav>
      <div className="product-top">
        <div className="gallery">
          {p.images.length ? (
            p.images.map((ref, i) => <img key={ref} src={imageSrc(ref, 800)} alt={`${p.name} 图片 ${i + 1}`} width={800} height={600} />)
          ) : (
            <span className="placeholder large" aria-hidden="true">{p.name.slice(0, 2)}</span>
          )}
        </div>
        <div className="summary">
          <h1 id="product-title">{p.name}</h1>
          <p className="tags">
            {p.starLevel ? <span className="tag star">{stars(p.starLevel)} 一乡一品</span> : null}
            {p.halls.map((h) => (
              <span key={h.id} className="tag">{h.name}</span>
            ))}
          </p>
          <p>{p.description}</p>
          {a.buyable ? (
            <form className="buy-form" onSubmit={(e) => void buy(e)}>
              {a.noticeZh && <p className="notice" role="note">{a.noticeZh}</p>}
              <label>
                规格
                <select name="skuId">
                  {p.skus.map((s) => (
                    <option key={s.skuId} value={s.skuId} disabled={s.available <= 0}>
                      {s.spec} {s.priceText}{s.available > 0 ? '' : '（缺货）'}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                数量
                <input name="quantity" type="number" min={1} max={99} defaultValue={1} inputMode="numeric" />
              </label>
              <button className="buy button primary" type="submit" disabled={busy || !session}>
                {busy ? '正在加入…' : '加入购物车'}
              </button>
              {result?.ok && (
                <p role="status" className="added" data-testid="cart-feedback">
                  {result.message} · <Link to="/orders/cart">去购物车结算</Link>
                </p>
              )}
              {result && !result.ok && (
                <p role="alert" className="error" data-testid="cart-feedback">
                  {result.message}
                </p>
              )}
            </form>
          ) : (
            <div className="blocked" role="alert">
              <strong>暂不可购买</strong>
              <br />
              {a.messageZh}
            </div>
          )}
        </div>
      </div>
      <h2>商品信息</h2>
      <table className="facts">
        <tbody>
          <tr><th scope="row">产地</th><td>{p.town}</td></tr>
          <tr><th scope="row">品质档次</th><td>{p.tier}</td></tr>
          <tr><th scope="row">原产程度</th><td>{p.originDegree}</td></tr>
          <tr><th scope="row">储运温区</th><td>{p.temperature}</td></tr>
          <tr><th scope="row">保质期</th><td>{p.shelfLifeDays ? `${p.shelfLifeDays} 天` : '当日'}</td></tr>
          <tr><th scope="row">商家</th><td>{p.merchant?.name ?? '—'}</td></tr>
        </tbody>
      </table>
      <h2>规格与价格</h2>
      <table className="facts">
        <thead><tr><th scope="col">规格</th><th scope="col">价格</th><th scope="col">库存</th></tr></thead>
        <tbody>
          {p.skus.map((s) => (
            <tr key={s.skuId}><td>{s.spec}</td><td className="price">{s.priceText}/{s.unit}</td><td>{s.available}</td></tr>
          ))}
        </tbody>
      </table>
      <h2>认证信息</h2>
      <table className="facts">
        <thead><tr><th scope="col">标识</th><th scope="col">证书编号</th><th scope="col">状态</th><th scope="col">有效期至</th></tr></thead>
        <tbody>
          {p.certificates.length === 0 && <tr><td colSpan={4}>暂无认证</td></tr>}
          {p.certificates.map((c, i) => (
            <tr key={`${c.mark}-${i}`} className={`cert-${c.status}`}>
              <td>{c.mark}{c.level ? ` ${stars(c.level)}` : ''}</td>
              <td>{c.number ?? '—'}</td>
              <td>{CERTIFICATE_STATUS_ZH[c.status] ?? c.status}</td>
              <td>{dateZh(c.validUntil)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
