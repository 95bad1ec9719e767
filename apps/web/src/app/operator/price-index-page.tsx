import { Alert, Segmented, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api/use-api';
import { PRICE_INDEX_GROUPS } from '../hall/format';
import type { PriceIndexSeries } from '../hall/types';

const yuan = (fen: number | null) => (fen == null ? '—' : (fen / 100).toFixed(2));

/** The published price index per group as the operator checks it: latest figure and the daily series. */
export function PriceIndexAdminPage() {
  const [group, setGroup] = useState(PRICE_INDEX_GROUPS[0].id);
  const series = useApi<PriceIndexSeries>('catalog', '/price-index', { group });
  const s = series.data;
  const last = s?.points.at(-1);
  return (
    <>
      <Typography.Title level={2}>价格指数</Typography.Title>
      <Segmented aria-label="指数品类" value={group} onChange={(v) => setGroup(String(v))} options={PRICE_INDEX_GROUPS.map((g) => ({ value: g.id, label: g.label }))} style={{ marginBottom: 16 }} />
      {series.error && <Alert type="error" showIcon title={series.error.message} />}
      {s && (
        <>
          <Typography.Paragraph>
            {s.nameZh}（基期 {s.baseDay} = 100）。编制方法：{s.method}
          </Typography.Paragraph>
          <Statistic title={`最新指数（${last?.day ?? '—'}）`} value={last?.index ?? '—'} />
          <Table
            size="small"
            rowKey="day"
            loading={series.loading}
            dataSource={[...s.points].reverse()}
            pagination={{ pageSize: 10 }}
            locale={{ emptyText: '暂无数据' }}
            columns={[
              { title: '日期', dataIndex: 'day' },
              { title: '指数', dataIndex: 'index' },
              { title: `中位价（${s.measureZh}）`, dataIndex: 'medianUnitPriceFen', render: yuan },
            ]}
            style={{ marginTop: 16 }}
          />
        </>
      )}
    </>
  );
}
