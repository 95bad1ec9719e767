import { Alert, Table, Tag, Typography } from 'antd';
import { Route, Routes } from 'react-router';
import { useApi } from '../api/use-api';
import { ConsoleFrame } from '../console/console-frame';

export interface ApplicationView {
  id: string;
  productId: string;
  merchantId: string;
  status: string;
  target: { scheme: string; level?: number; tier?: string };
  submittedAt: string;
}

function ApplicationQueue() {
  const list = useApi<ApplicationView[]>('certification', '/applications');
  return (
    <>
      <Typography.Title level={2}>认证申请</Typography.Title>
      {list.error && <Alert type="error" showIcon title={list.error.message} />}
      <Table<ApplicationView>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '申请编号', dataIndex: 'id' },
          { title: '产品', dataIndex: 'productId' },
          { title: '目标', render: (_, a) => (a.target.level ? `${a.target.scheme.toUpperCase()} ${a.target.level}★` : a.target.scheme) },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag>{s}</Tag> },
          { title: '提交时间', dataIndex: 'submittedAt', render: (t: string) => new Date(t).toLocaleString('zh-CN') },
        ]}
      />
    </>
  );
}

export default function CertifierArea() {
  return (
    <ConsoleFrame title="评定工作台" links={[{ to: '/certifier', label: '认证申请' }]}>
      <Routes>
        <Route index element={<ApplicationQueue />} />
      </Routes>
    </ConsoleFrame>
  );
}
