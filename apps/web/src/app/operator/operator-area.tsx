import { Alert, Table, Typography } from 'antd';
import { Route, Routes } from 'react-router';
import { useApi } from '../api/use-api';
import { ConsoleFrame } from '../console/console-frame';
import type { MerchantView } from '../merchant/merchant-area';

function MerchantReviewQueue() {
  const queue = useApi<MerchantView[]>('catalog', '/review/merchants');
  return (
    <>
      <Typography.Title level={2}>企业入驻审核</Typography.Title>
      {queue.error && <Alert type="error" showIcon title={queue.error.message} />}
      <Table<MerchantView>
        rowKey="id"
        loading={queue.loading}
        dataSource={queue.data}
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: '没有待审核的企业' }}
        columns={[
          { title: '企业名称', dataIndex: 'name' },
          { title: '统一社会信用代码', dataIndex: 'creditCode' },
          { title: '提交时间', dataIndex: 'submittedAt', render: (t: string) => new Date(t).toLocaleString('zh-CN') },
          { title: '审核期限', dataIndex: 'reviewDueBy', render: (t?: string) => (t ? new Date(t).toLocaleString('zh-CN') : '—') },
        ]}
      />
    </>
  );
}

export default function OperatorArea() {
  return (
    <ConsoleFrame title="营运管理" links={[{ to: '/operator', label: '入驻审核' }]}>
      <Routes>
        <Route index element={<MerchantReviewQueue />} />
      </Routes>
    </ConsoleFrame>
  );
}
