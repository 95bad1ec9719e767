import { Alert, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useApi } from '../api/use-api';
import type { HallView, SearchPage } from '../hall/types';

/** The products a hall shows now (first page), loaded when its row is opened. */
function HallProducts({ hall }: { hall: HallView }) {
  const page = useApi<SearchPage>('catalog', `/halls/${encodeURIComponent(hall.id)}/products`, { limit: 20 });
  if (page.error) return <Alert type="error" showIcon title={page.error.message} />;
  return (
    <Table
      size="small"
      rowKey="id"
      loading={page.loading}
      dataSource={page.data?.items}
      pagination={false}
      locale={{ emptyText: '该馆暂无上架产品' }}
      columns={[
        { title: '产品', dataIndex: 'name' },
        { title: '价格', dataIndex: 'priceText' },
        { title: '星级', dataIndex: 'starLevel', render: (l?: number) => (l ? '★'.repeat(l) : '—') },
        { title: '认证标识', dataIndex: 'marks', render: (marks: string[]) => marks.map((m) => <Tag key={m}>{m}</Tag>) },
      ]}
    />
  );
}

/** The county and town halls: what each accepts (marks, minimum star level), and what it shows. */
export function HallsPage() {
  const halls = useApi<HallView[]>('catalog', '/halls');
  return (
    <>
      <Typography.Title level={2}>品牌馆</Typography.Title>
      <Typography.Paragraph type="secondary">产品凭有效认证进入品牌馆；展开一行查看该馆当前上架的产品。</Typography.Paragraph>
      {halls.error && <Alert type="error" showIcon title={halls.error.message} />}
      <Table<HallView>
        rowKey="id"
        loading={halls.loading}
        dataSource={halls.data}
        pagination={false}
        scroll={{ x: 800 }}
        expandable={{ expandedRowRender: (hall) => <HallProducts hall={hall} /> }}
        columns={[
          { title: '品牌馆', dataIndex: 'name', render: (name: string, h) => <Link to={`/hall?hall=${encodeURIComponent(h.id)}`}>{name}</Link> },
          { title: '级别', dataIndex: 'level', render: (l: HallView['level']) => (l === 'county' ? '县级馆' : '镇级馆') },
          { title: '准入认证', dataIndex: 'acceptedMarks', render: (marks: HallView['acceptedMarks']) => marks.map((m) => <Tag key={m.mark}>{m.name}</Tag>) },
          { title: '星级要求', dataIndex: 'minOtopLevel', render: (l?: number) => (l ? `一乡一品 ${l}★ 及以上` : '—') },
          { title: '宣传语', dataIndex: 'slogan' },
        ]}
      />
    </>
  );
}
