import { Alert, Button, Descriptions, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { apiUrl } from '../api/client';
import { useApi } from '../api/use-api';
import { useBuyer } from './buyer-context';
import { shanghaiTime, shanghaiToday, yuan } from './format';
import type { Invoice, Statement, StatementLine } from './types';

const INVOICE_STATUS: Record<Invoice['status'], { text: string; color: string }> = {
  creating: { text: '开具中', color: 'default' },
  open: { text: '待付款', color: 'orange' },
  paid: { text: '已付款', color: 'green' },
};

/** Monthly statements: lines × contract price minus shortages, rejections and recalls; CSV, print, invoice status. */
export function StatementsPage() {
  const { org, siteName, can } = useBuyer();
  const [month, setMonth] = useState(() => shanghaiToday().slice(0, 7));
  const allowed = can('finance', 'buyer_admin');
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const statement = useApi<Statement>('orders', allowed && valid ? `/institutional/organisations/${org._id}/statements/${month}` : undefined);
  const invoices = useApi<{ items: Invoice[] }>('orders', allowed ? `/institutional/organisations/${org._id}/invoices` : undefined);
  const invoice = invoices.data?.items.find((i) => i.month === month);
  const s = statement.data;
  const base = `/institutional/organisations/${org._id}/statements/${month}`;
  if (!allowed) return <Alert type="info" showIcon title="月度对账单仅供本单位财务或采购管理员查看。" />;
  return (
    <>
      <Typography.Title level={2}>月度对账单</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <label htmlFor="statement-month">月份</label>
        <Input id="statement-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 160 }} />
        <Button href={apiUrl('orders', `${base}/csv`)} download disabled={!valid}>
          下载 CSV
        </Button>
        <Button href={apiUrl('orders', `${base}/print`)} target="_blank" rel="noopener" disabled={!valid}>
          打印版
        </Button>
      </Space>
      {(statement.error ?? invoices.error) && <Alert type="error" showIcon title={(statement.error ?? invoices.error)?.message} />}
      {s && s.demoHistoryDeliveries > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`本月 ${s.demoHistoryDeliveries} 单是演示历史数据（系统上线前，标“演示”的行）：签收数字为演示值，没有物流签收凭证。`}
        />
      )}
      {s && (
        <Descriptions bordered size="small" column={{ xs: 1, md: 2, xxl: 3 }} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="订购金额">{yuan(s.totals.orderedFen)}</Descriptions.Item>
          <Descriptions.Item label="短缺扣减">{yuan(s.totals.shortFen)}</Descriptions.Item>
          <Descriptions.Item label="拒收扣减">{yuan(s.totals.rejectedFen)}</Descriptions.Item>
          <Descriptions.Item label="召回冲减">{yuan(s.totals.recallFen)}</Descriptions.Item>
          <Descriptions.Item label="应付合计">
            <strong className="buyer-total">{yuan(s.totals.totalFen)}</strong>
          </Descriptions.Item>
          <Descriptions.Item label="发票">
            {invoice ? (
              <Space>
                <Tag color={INVOICE_STATUS[invoice.status].color}>{INVOICE_STATUS[invoice.status].text}</Tag>
                {invoice.stripe.number ?? ''} {yuan(invoice.totalFen)}
                {invoice.stripe.dueDate ? `，${shanghaiTime(invoice.stripe.dueDate)} 前付款` : ''}
                {invoice.paidAt ? `，${shanghaiTime(invoice.paidAt)} 已付` : ''}
                {invoice.stripe.hostedUrl && invoice.status === 'open' ? (
                  <a href={invoice.stripe.hostedUrl} target="_blank" rel="noopener noreferrer">
                    查看发票
                  </a>
                ) : null}
              </Space>
            ) : (
              '尚未开具（月结后由品牌营运开具）'
            )}
          </Descriptions.Item>
        </Descriptions>
      )}
      {s && s.pendingDeliveries > 0 && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`另有 ${s.pendingDeliveries} 单尚未送达，送达后计入本月对账单。`} />}
      <Table<StatementLine>
        rowKey={(l) => `${l.orderId} ${l.skuId}`}
        loading={statement.loading}
        dataSource={s?.lines}
        pagination={{ pageSize: 50 }}
        scroll={{ x: 1000 }}
        size="small"
        locale={{ emptyText: '本月没有已送达的配送' }}
        columns={[
          { title: '配送日期', dataIndex: 'deliveryDate', render: (d: string, l) => (l.demoHistory ? <>{d} <Tag>演示</Tag></> : d) },
          { title: '收货点', dataIndex: 'siteId', render: siteName },
          { title: '商品', dataIndex: 'nameZh' },
          { title: '单价', dataIndex: 'unitPriceFen', align: 'right', render: yuan },
          { title: '订购', dataIndex: 'ordered', align: 'right' },
          { title: '签收', dataIndex: 'accepted', align: 'right' },
          { title: '拒收', dataIndex: 'rejected', align: 'right' },
          { title: '短缺', dataIndex: 'short', align: 'right' },
          { title: '召回', dataIndex: 'recalled', align: 'right' },
          { title: '应付', dataIndex: 'amountFen', align: 'right', render: yuan },
        ]}
      />
    </>
  );
}
