import { Alert, Segmented, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/use-api';
import { APPLICATION_STATUS_ZH, OPEN_APPLICATION_STATUSES, dateTime, targetLabel } from '../certification-labels';
import type { ApplicationView } from './types';

/** The certifier's queue: open applications first (oldest first, they wait longest), or everything. */
export function ApplicationQueue() {
  const [scope, setScope] = useState<'open' | 'all'>('open');
  const list = useApi<ApplicationView[]>('certification', '/applications');
  const rows = (list.data ?? [])
    .filter((a) => scope === 'all' || OPEN_APPLICATION_STATUSES.includes(a.status))
    .sort((a, b) => (scope === 'open' ? a.submittedAt.localeCompare(b.submittedAt) : b.submittedAt.localeCompare(a.submittedAt)));
  return (
    <>
      <Typography.Title level={2}>认证申请</Typography.Title>
      <Segmented
        aria-label="显示范围"
        value={scope}
        onChange={(v) => setScope(v as 'open' | 'all')}
        options={[
          { value: 'open', label: '待处理' },
          { value: 'all', label: '全部' },
        ]}
        style={{ marginBottom: 16 }}
      />
      {list.error && <Alert type="error" showIcon title={list.error.message} />}
      <Table<ApplicationView>
        rowKey="id"
        loading={list.loading}
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 800 }}
        locale={{ emptyText: scope === 'open' ? '没有待处理的申请' : '暂无申请' }}
        columns={[
          { title: '申请编号', dataIndex: 'id', render: (id: string) => <Link to={`/certifier/applications/${id}`}>{id}</Link> },
          { title: '产品', dataIndex: 'productId' },
          { title: '企业', dataIndex: 'merchantId' },
          { title: '申请等级', render: (_, a) => targetLabel(a.target) },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={s === 'approved' ? 'success' : s === 'rejected' ? 'error' : 'processing'}>{APPLICATION_STATUS_ZH[s] ?? s}</Tag> },
          { title: '提交时间', dataIndex: 'submittedAt', render: (t: string) => dateTime(t) },
          { title: '操作', render: (_, a) => <Link to={`/certifier/applications/${a.id}`} aria-label={`评审 ${a.id}`}>{OPEN_APPLICATION_STATUSES.includes(a.status) ? '评审' : '查看'}</Link> },
        ]}
      />
    </>
  );
}
