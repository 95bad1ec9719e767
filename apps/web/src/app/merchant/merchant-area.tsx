import { Alert, Card, Descriptions, Empty, Spin, Tag, Typography } from 'antd';
import { Route, Routes } from 'react-router';
import { useApi } from '../api/use-api';
import { ConsoleFrame } from '../console/console-frame';

export interface MerchantView {
  id: string;
  name: string;
  creditCode: string;
  town: string;
  status: 'pending' | 'approved' | 'rejected';
  submittedAt: string;
  reviewDueBy?: string;
  reviewNote?: string;
}

export const MERCHANT_STATUS: Record<string, { label: string; color: string }> = {
  pending: { label: '审核中', color: 'processing' },
  approved: { label: '已通过', color: 'success' },
  rejected: { label: '未通过', color: 'error' },
};

function MerchantHome() {
  const mine = useApi<MerchantView[]>('catalog', '/merchants/mine');
  return (
    <>
      <Typography.Title level={2}>我的企业</Typography.Title>
      {mine.error && <Alert type="error" showIcon title={mine.error.message} />}
      {mine.loading && <Spin />}
      {mine.data?.length === 0 && <Empty description="尚未登记企业" />}
      {mine.data?.map((m) => (
        <Card key={m.id} title={m.name} extra={<Tag color={MERCHANT_STATUS[m.status]?.color}>{MERCHANT_STATUS[m.status]?.label ?? m.status}</Tag>} style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
            <Descriptions.Item label="统一社会信用代码">{m.creditCode}</Descriptions.Item>
            <Descriptions.Item label="提交时间">{new Date(m.submittedAt).toLocaleString('zh-CN')}</Descriptions.Item>
          </Descriptions>
        </Card>
      ))}
    </>
  );
}

export default function MerchantArea() {
  return (
    <ConsoleFrame title="商家中心" links={[{ to: '/merchant', label: '我的企业' }]}>
      <Routes>
        <Route index element={<MerchantHome />} />
      </Routes>
    </ConsoleFrame>
  );
}
