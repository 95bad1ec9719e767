import { Link, useSearchParams } from 'react-router';
import { useApi } from '../api/use-api';
import { layoutIndexChart } from './chart';
import { PRICE_INDEX_GROUPS } from './format';
import type { PriceIndexSeries } from './types';

/** The published price index of the main products (last 30 days), one SVG line per group. */
export function PriceIndexPage() {
  const [params] = useSearchParams();
  const group = PRICE_INDEX_GROUPS.find((g) => g.id === params.get('group'))?.id ?? PRICE_INDEX_GROUPS[0].id;
  const series = useApi<PriceIndexSeries>('catalog', '/price-index', { group });
  const s = series.data;
  const chart = s && s.points.length ? layoutIndexChart(s.points) : undefined;
  const last = s?.points.at(-1);
  return (
    <section aria-labelledby="index-title" className="price-index">
      <h1 id="index-title">开平主要优品价格指数</h1>
      <nav aria-label="指数品类" className="hall-tabs">
        {PRICE_INDEX_GROUPS.map((g) => (
          <Link key={g.id} to={`/hall/price-index?group=${g.id}`} className={g.id === group ? 'on' : undefined} aria-current={g.id === group ? 'page' : undefined}>
            {g.label}
          </Link>
        ))}
      </nav>
      {series.error && <p role="alert" className="error">{series.error.message}</p>}
      {s && (
        <>
          <h2>{s.nameZh}（基期 {s.baseDay} = 100）</h2>
          {chart ? (
            <figure className="chart">
              <svg viewBox={`0 0 ${chart.width} ${chart.height}`} role="img" aria-label={`${s.nameZh}价格指数走势，最新 ${last?.index ?? '—'}`}>
                <line x1={40} x2={chart.width - 40} y1={chart.baseY} y2={chart.baseY} stroke="#bbb" strokeDasharray="4" />
                <text x={4} y={chart.baseY + 4} fontSize={12}>100</text>
                <text x={4} y={44} fontSize={12}>{chart.max}</text>
                <text x={4} y={chart.height - 36} fontSize={12}>{chart.min}</text>
                <path d={chart.path} fill="none" stroke="#a4262c" strokeWidth={2} />
                <text x={40} y={chart.height - 10} fontSize={12}>{s.points[0]?.day}</text>
                <text x={chart.width - 40} y={chart.height - 10} fontSize={12} textAnchor="end">{last?.day}</text>
              </svg>
              <figcaption>
                最新指数 <strong>{last?.index ?? '—'}</strong>，中位价{' '}
                {last?.medianUnitPriceFen != null ? `${(last.medianUnitPriceFen / 100).toFixed(2)} ${s.measureZh}` : '—'}
              </figcaption>
            </figure>
          ) : (
            <p>暂无数据。</p>
          )}
          <p className="hint small">编制方法：{s.method}</p>
        </>
      )}
    </section>
  );
}
