import { Alert, Select, Space, Spin, Tag, Typography } from 'antd';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { useApi } from '../api/use-api';
import { useUser } from '../shell/session';
import { ROLE_ZH } from './format';
import type { BuyerRole, Organisation, Page, Site } from './types';

export interface BuyerContextValue {
  org: Organisation;
  sites: Site[];
  siteName(siteId: string): string;
  /** The signed-in person's roles in this organisation (the service checks them again on every call). */
  roles: BuyerRole[];
  can(...roles: BuyerRole[]): boolean;
}

const BuyerContext = createContext<BuyerContextValue | undefined>(undefined);

export function useBuyer(): BuyerContextValue {
  const value = useContext(BuyerContext);
  if (!value) throw new Error('useBuyer outside BuyerOrganisation');
  return value;
}

/** Loads the organisation the person buys for (a choice when they belong to several) and its sites. */
export function BuyerOrganisation({ children }: { children: ReactNode }) {
  const user = useUser();
  const [orgId, setOrgId] = useState(user.buyerOrgIds[0]);
  const org = useApi<Organisation>('orders', orgId ? `/institutional/organisations/${orgId}` : undefined);
  const sites = useApi<Page<Site>>('orders', orgId ? `/institutional/organisations/${orgId}/sites` : undefined, { pageSize: 200 });
  if (!orgId) return <Alert type="warning" showIcon title="您的账号尚未关联机团客户单位，请联系品牌营运开通。" />;
  if (org.error || sites.error) return <Alert type="error" showIcon title={(org.error ?? sites.error)?.message} />;
  if (!org.data || !sites.data) return <Spin description="正在加载单位信息…" />;
  const roles = org.data.people.find((p) => p.userId === user.userId)?.roles ?? [];
  const siteList = sites.data.items;
  const value: BuyerContextValue = {
    org: org.data,
    sites: siteList,
    siteName: (id) => siteList.find((s) => s._id === id)?.name ?? id,
    roles,
    can: (...wanted) => wanted.some((r) => roles.includes(r)),
  };
  return (
    <BuyerContext.Provider value={value}>
      <Space wrap className="buyer-org" style={{ marginBottom: 16 }}>
        {user.buyerOrgIds.length > 1 ? (
          <Select aria-label="采购单位" value={orgId} onChange={setOrgId} options={user.buyerOrgIds.map((id) => ({ value: id, label: id }))} style={{ minWidth: 240 }} />
        ) : null}
        <Typography.Text strong>{org.data.name}</Typography.Text>
        <span>
          {user.displayName}：{roles.length ? roles.map((r) => <Tag key={r}>{ROLE_ZH[r]}</Tag>) : <Tag color="warning">本单位未登记您的角色（只能查看）</Tag>}
        </span>
      </Space>
      {children}
    </BuyerContext.Provider>
  );
}
