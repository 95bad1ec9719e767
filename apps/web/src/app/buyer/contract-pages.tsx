import { Alert, Descriptions, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useApi } from '../api/use-api';
import { useBuyer } from './buyer-context';
import { ACTION_ZH, CONTRACT_STATUS, POLICY_ZH, scheduleZh, shanghaiTime, yuan } from './format';
import type { Contract, ContractLine, Page, Schedule } from './types';

const TEMPERATURE_ZH: Record<ContractLine['temperatureClass'], string> = { frozen: '冷冻', chilled: '冷藏', ambient: '常温', hot: '热链' };

/** The organisation's framework contracts. */
export function ContractsPage() {
  const { org } = useBuyer();
  const contracts = useApi<Page<Contract>>('orders', '/institutional/contracts', { orgId: org._id, pageSize: 100 });
  return (
    <>
      <Typography.Title level={2}>框架合同</Typography.Title>
      {contracts.error && <Alert type="error" showIcon title={contracts.error.message} />}
      <Table<Contract>
        rowKey="_id"
        loading={contracts.loading}
        dataSource={contracts.data?.items}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: '暂无合同' }}
        columns={[
          { title: '合同编号', dataIndex: 'number', render: (n: string, c) => <Link to={`/buyer/contracts/${c._id}`}>{n}</Link> },
          { title: '名称', dataIndex: 'titleZh' },
          { title: '有效期', render: (_, c) => `${c.validFrom} 至 ${c.validUntil}` },
          { title: '月度预算', dataIndex: 'monthlyBudgetFen', render: (f?: number) => (f ? yuan(f) : '不限') },
          { title: '商品', render: (_, c) => `${c.lines.length} 项` },
          { title: '状态', dataIndex: 'status', render: (s: Contract['status']) => <Tag color={CONTRACT_STATUS[s].color}>{CONTRACT_STATUS[s].text}</Tag> },
        ]}
      />
    </>
  );
}

/** One contract: lines at the negotiated prices, schedules per site, validity, state and its history. */
export function ContractPage() {
  const { id } = useParams();
  const { siteName } = useBuyer();
  const contract = useApi<Contract>('orders', `/institutional/contracts/${id}`);
  if (contract.error) return <Alert type="error" showIcon title={contract.error.message} />;
  const c = contract.data;
  if (!c) return <Spin description="正在加载合同…" />;
  const lineName = (lineId: string) => c.lines.find((l) => l.lineId === lineId)?.nameZh ?? lineId;
  return (
    <>
      <Typography.Title level={2}>{c.titleZh}</Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="合同编号">{c.number}</Descriptions.Item>
        <Descriptions.Item label="状态">
          <Tag color={CONTRACT_STATUS[c.status].color}>{CONTRACT_STATUS[c.status].text}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="有效期">
          {c.validFrom} 至 {c.validUntil}
        </Descriptions.Item>
        <Descriptions.Item label="月度预算上限">{c.monthlyBudgetFen ? `${yuan(c.monthlyBudgetFen)}（超出须采购管理员批准）` : '不限'}</Descriptions.Item>
        <Descriptions.Item label="替代规则">{POLICY_ZH[c.substitutionPolicy]}</Descriptions.Item>
        <Descriptions.Item label="优餐截单">{c.hotMealCutoff ? `送餐当天 ${c.hotMealCutoff} 前` : '—'}</Descriptions.Item>
      </Descriptions>

      <Typography.Title level={3}>合同商品</Typography.Title>
      <Table<ContractLine>
        rowKey="lineId"
        dataSource={c.lines}
        pagination={false}
        scroll={{ x: 700 }}
        columns={[
          { title: '商品', dataIndex: 'nameZh' },
          { title: '规格', dataIndex: 'specZh' },
          { title: '温层', dataIndex: 'temperatureClass', render: (t: ContractLine['temperatureClass']) => TEMPERATURE_ZH[t] },
          { title: '合同单价', dataIndex: 'unitPriceFen', align: 'right', render: yuan },
          { title: '每次数量', render: (_, l) => `${l.minQuantity}–${l.maxQuantity}` },
        ]}
      />

      <Typography.Title level={3}>配送计划</Typography.Title>
      <Table<Schedule>
        rowKey="scheduleId"
        dataSource={c.schedules}
        pagination={false}
        scroll={{ x: 700 }}
        locale={{ emptyText: '没有定期配送' }}
        columns={[
          { title: '收货点', dataIndex: 'siteId', render: siteName },
          { title: '时间', render: (_, s) => scheduleZh(s) },
          { title: '常规数量', render: (_, s) => s.quantities.map((q) => `${lineName(q.lineId)} × ${q.quantity}`).join('，') },
        ]}
      />

      <Typography.Title level={3}>合同记录</Typography.Title>
      <Timeline
        items={c.history.map((h) => ({
          content: `${shanghaiTime(h.at)} ${ACTION_ZH[h.action] ?? h.action}（${h.by}）${h.note ? `：${h.note}` : ''}`,
        }))}
      />
    </>
  );
}
