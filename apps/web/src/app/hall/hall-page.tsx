import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { scopeText, SORTS, TEMPERATURES, TIERS } from './format';
import { ProductCardView } from './product-card';
import type { CategoryNode, HallView, ProductCard, SearchPage } from './types';

const DEFAULT_HALL = 'kaiping';
const ALL_HALLS = 'all';
const FILTERS = ['q', 'category', 'sort', 'star', 'tier', 'temperature', 'priceMin', 'priceMax'] as const;

/** The API query for the URL's parameters: `hall=all` (or a town) → across halls or in that hall. */
function apiQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  const hall = params.get('hall') ?? DEFAULT_HALL;
  if (hall !== ALL_HALLS) query['hall'] = hall;
  for (const key of FILTERS) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  return query;
}

/**
 * The brand hall: the county hall by default, each town hall, or all halls; search and filters in
 * the URL (shareable, back button works); pages of 20 with "load more" (cursor).
 */
export function HallPage() {
  const [params, setParams] = useSearchParams();
  const halls = useApi<HallView[]>('catalog', '/halls');
  const categories = useApi<CategoryNode[]>('catalog', '/categories');
  const hallId = params.get('hall') ?? DEFAULT_HALL;
  const hall = halls.data?.find((h) => h.id === hallId);
  const queryKey = JSON.stringify(apiQuery(params));
  const [result, setResult] = useState<{ key: string; items: ProductCard[]; next: string | null; error?: string }>();
  const [more, setMore] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api<SearchPage>('catalog', '/search', { query: JSON.parse(queryKey), signal: controller.signal }).then(
      (page) => setResult({ key: queryKey, items: page.items, next: page.nextCursor }),
      (error: unknown) => {
        if ((error as Error)?.name === 'AbortError') return;
        setResult({ key: queryKey, items: [], next: null, error: error instanceof ApiError ? error.message : '加载失败，请重试' });
      },
    );
    return () => controller.abort();
  }, [queryKey]);

  async function loadMore() {
    if (!result?.next) return;
    setMore(true);
    try {
      const page = await api<SearchPage>('catalog', '/search', { query: { ...JSON.parse(queryKey), cursor: result.next } });
      setResult({ ...result, items: [...result.items, ...page.items], next: page.nextCursor });
    } catch (error) {
      setResult({ ...result, error: error instanceof ApiError ? error.message : '加载失败，请重试' });
    } finally {
      setMore(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    next.set('hall', String(form.get('hall') ?? DEFAULT_HALL));
    for (const key of FILTERS) {
      let value = String(form.get(key) ?? '').trim();
      // People type yuan; the API wants fen.
      if ((key === 'priceMin' || key === 'priceMax') && value) value = String(Math.round(Number(value) * 100));
      if (value && value !== 'NaN') next.set(key, value);
    }
    setParams(next);
  }

  const loading = result?.key !== queryKey;
  const q = params.get('q') ?? '';
  const scope = hallId === ALL_HALLS ? undefined : (hall?.name ?? '');
  const yuanParam = (key: string) => (params.get(key) ? String(Number(params.get(key)) / 100) : '');

  return (
    <section aria-labelledby="hall-title" className="hall">
      <nav aria-label="品牌馆" className="hall-tabs">
        {halls.data?.map((h) => (
          <Link key={h.id} to={`/hall?hall=${h.id}`} className={h.id === hallId ? 'on' : undefined} aria-current={h.id === hallId ? 'page' : undefined}>
            {h.name}
          </Link>
        ))}
        <Link to={`/hall?hall=${ALL_HALLS}`} className={hallId === ALL_HALLS ? 'on' : undefined} aria-current={hallId === ALL_HALLS ? 'page' : undefined}>
          全部品牌馆
        </Link>
      </nav>
      <h1 id="hall-title">{hallId === ALL_HALLS ? '全部品牌馆' : (hall?.name ?? '品牌馆')}</h1>
      {hall && <p className="slogan">{hall.slogan}</p>}
      {halls.error && <p role="alert" className="error">{halls.error.message}</p>}

      {/* Keyed by the URL, so back/forward shows that search; the two selects whose options arrive
          later are keyed by their data (a default value needs its option), not the whole form, or
          text typed while they load would be lost. */}
      <form className="search" role="search" onSubmit={submit} key={params.toString()}>
        <div className="search-row">
          <label htmlFor="hall-scope" className="visually-hidden">搜索范围</label>
          <select id="hall-scope" name="hall" defaultValue={hallId} key={halls.data ? 'halls' : 'loading'}>
            {halls.data?.map((h) => (
              <option key={h.id} value={h.id}>{h.name}</option>
            ))}
            <option value={ALL_HALLS}>全部品牌馆</option>
          </select>
          <label htmlFor="hall-q" className="visually-hidden">搜索词</label>
          <input id="hall-q" name="q" type="search" defaultValue={q} maxLength={40} placeholder="搜索：马冈鹅、大沙茶、丝苗米…" />
          <button type="submit" className="button primary">搜索</button>
        </div>
        <details className="filters" open={FILTERS.some((k) => k !== 'q' && k !== 'sort' && params.get(k))}>
          <summary>筛选</summary>
          <div className="filter-grid">
            <label>
              品类
              <select name="category" defaultValue={params.get('category') ?? ''} key={categories.data ? 'categories' : 'loading'}>
                <option value="">全部品类</option>
                {categories.data?.map((c) => (
                  <optgroup key={c.id} label={c.nameZh}>
                    <option value={c.id}>全部{c.nameZh}</option>
                    {c.children.map((s) => (
                      <option key={s.id} value={s.id}>{s.nameZh}</option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </label>
            <label>
              星级不低于
              <select name="star" defaultValue={params.get('star') ?? ''}>
                <option value="">不限</option>
                {[1, 2, 3, 4, 5].map((s) => (
                  <option key={s} value={s}>{'★'.repeat(s)}</option>
                ))}
              </select>
            </label>
            <label>
              品质档次
              <select name="tier" defaultValue={params.get('tier') ?? ''}>
                <option value="">不限</option>
                {TIERS.map((t) => (
                  <option key={t.id} value={t.id}>{t.label}</option>
                ))}
              </select>
            </label>
            <label>
              储运温区
              <select name="temperature" defaultValue={params.get('temperature') ?? ''}>
                <option value="">不限</option>
                {TEMPERATURES.map((t) => (
                  <option key={t.id} value={t.id}>{t.label}</option>
                ))}
              </select>
            </label>
            <label>
              最低价（元）
              <input name="priceMin" type="number" min="0" step="0.01" inputMode="decimal" defaultValue={yuanParam('priceMin')} />
            </label>
            <label>
              最高价（元）
              <input name="priceMax" type="number" min="0" step="0.01" inputMode="decimal" defaultValue={yuanParam('priceMax')} />
            </label>
            <label>
              排序
              <select name="sort" defaultValue={params.get('sort') ?? ''}>
                {SORTS.map((s) => (
                  <option key={s.id} value={s.id}>{s.label}</option>
                ))}
              </select>
            </label>
          </div>
        </details>
      </form>

      <p className="scope" role="status" aria-live="polite">
        {loading
          ? '正在加载…'
          : `${scopeText(scope)}${q ? `搜索“${q}”` : '浏览'}：${result?.items.length ?? 0}${result?.next ? '+' : ''} 件在售认证产品`}
        {hallId !== ALL_HALLS && !loading && (
          <>
            {' · '}
            <Link to={`/hall?${new URLSearchParams({ ...Object.fromEntries(params), hall: ALL_HALLS }).toString()}`}>在全部品牌馆中搜索</Link>
          </>
        )}
      </p>
      {result?.error && <p role="alert" className="error">{result.error}</p>}
      {!loading && result && result.items.length === 0 && !result.error && <p className="empty">暂无符合条件的在售认证产品。</p>}
      <ul className="product-grid">
        {result?.items.map((p) => (
          <li key={p.id}>
            <ProductCardView product={p} hallId={hallId === ALL_HALLS ? undefined : hallId} />
          </li>
        ))}
      </ul>
      {result?.next && !loading && (
        <p className="more">
          <button type="button" className="button" onClick={() => void loadMore()} disabled={more}>
            {more ? '正在加载…' : '加载更多'}
          </button>
        </p>
      )}
      <p className="hint small">本馆只展示认证有效、可以购买的产品；认证暂停、过期或被红色警示的产品不会出现在列表中。</p>
    </section>
  );
}
