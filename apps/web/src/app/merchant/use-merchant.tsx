import { Alert, Select, Space, Spin, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/use-api';
import type { MerchantView } from './types';

/**
 * The approved enterprise the console works on (a person may act for several): renders its children
 * with it, or says why there is none (not registered yet, still under review).
 */
export function WithApprovedMerchant({ children }: { children: (merchant: MerchantView) => ReactNode }) {
  const mine = useApi<MerchantView[]>('catalog', '/merchants/mine');
  const approved = (mine.data ?? []).filter((m) => m.status === 'approved');
  const [chosen, setChosen] = useState<string>();
  if (mine.error) return <Alert type="error" showIcon title={mine.error.message} />;
  if (!mine.data) return <Spin />;
  if (approved.length === 0) {
    return (
      <Alert
        type="info"
        showIcon
        title="企业审核通过后才能管理产品和申请认证"
        description={
          <span>
            请先在 <Link to="/merchant">我的企业</Link> 登记企业并等待审核。
          </span>
        }
      />
    );
  }
  const merchant = approved.find((m) => m.id === chosen) ?? approved[0];
  return (
    <>
      {approved.length > 1 && (
        <Space style={{ marginBottom: 16 }}>
          <Typography.Text id="merchant-picker-label">当前企业</Typography.Text>
          <Select
            aria-labelledby="merchant-picker-label"
            value={merchant.id}
            onChange={setChosen}
            options={approved.map((m) => ({ value: m.id, label: m.name }))}
            style={{ minWidth: 280 }}
          />
        </Space>
      )}
      {children(merchant)}
    </>
  );
}
