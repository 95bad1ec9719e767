import { Alert, App, Button, Form, InputNumber, Modal, Segmented, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { useBuyer } from './buyer-context';
import { shanghaiTime } from './format';
import type { Page, Sample } from './types';

const STATUS: Record<Sample['status'], { text: string; color: string }> = {
  pending: { text: '待留样', color: 'blue' },
  overdue: { text: '已逾期', color: 'red' },
  kept: { text: '已留样', color: 'green' },
  discarded: { text: '已处理', color: 'default' },
};
const MIN_GRAMS = 125;

/** 留样: every school/hospital meal batch keeps ≥ 125 g per dish for ≥ 48 h, confirmed by the site receiver. */
export function SamplesPage() {
  const { org, siteName, can } = useBuyer();
  const { message } = App.useApp();
  const [status, setStatus] = useState<Sample['status'] | 'all'>('all');
  const samples = useApi<Page<Sample>>('orders', '/institutional/samples', { orgId: org._id, status: status === 'all' ? undefined : status, pageSize: 100 });
  const [confirming, setConfirming] = useState<Sample>();
  const [grams, setGrams] = useState<Record<string, number | null>>({});
  const [busy, setBusy] = useState(false);
  const mayConfirm = can('site_receiver', 'buyer_admin');

  async function confirm() {
    if (!confirming) return;
    setBusy(true);
    try {
      await api('orders', `/institutional/samples/${confirming._id}/confirm`, { body: { dishes: confirming.dishes.map((dish) => ({ dish, grams: grams[dish] ?? 0 })) } });
      message.success('已确认留样');
      setConfirming(undefined);
      samples.reload();
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '确认失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  const overdue = (samples.data?.items ?? []).filter((s) => s.status === 'overdue').length;
  return (
    <>
      <Typography.Title level={2}>留样任务</Typography.Title>
      <Typography.Paragraph type="secondary">每批餐每道菜留样不少于 {MIN_GRAMS} 克，冷藏保存不少于 48 小时，由收货验收员在送达后 1 小时内确认。</Typography.Paragraph>
      <Segmented
        aria-label="按状态筛选"
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={[{ value: 'all', label: '全部' }, ...Object.entries(STATUS).map(([value, s]) => ({ value, label: s.text }))]}
        style={{ marginBottom: 12 }}
      />
      {overdue > 0 && <Alert type="error" showIcon title={`有 ${overdue} 个留样任务已逾期未确认，请尽快处理并说明原因。`} style={{ marginBottom: 12 }} />}
      {samples.error && <Alert type="error" showIcon title={samples.error.message} />}
      <Table<Sample>
        rowKey="_id"
        loading={samples.loading}
        dataSource={samples.data?.items}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: '没有留样任务' }}
        rowClassName={(s) => (s.status === 'overdue' ? 'buyer-overdue' : '')}
        columns={[
          { title: '供餐日期', dataIndex: 'serviceDate' },
          { title: '收货点', dataIndex: 'siteId', render: siteName },
          { title: '菜品', dataIndex: 'dishes', render: (d: string[]) => d.join('、') },
          { title: '确认期限', dataIndex: 'dueAt', render: shanghaiTime },
          { title: '状态', dataIndex: 'status', render: (s: Sample['status']) => <Tag color={STATUS[s].color}>{STATUS[s].text}</Tag> },
          { title: '留样', render: (_, s) => (s.kept ? `${s.kept.map((k) => `${k.dish} ${k.grams}g`).join('，')}${s.keepUntil ? `，保存至 ${shanghaiTime(s.keepUntil)}` : ''}` : '—') },
          {
            title: '操作',
            render: (_, s) =>
              (s.status === 'pending' || s.status === 'overdue') && mayConfirm ? (
                <Button
                  size="small"
                  type={s.status === 'overdue' ? 'primary' : 'default'}
                  onClick={() => {
                    setGrams(Object.fromEntries(s.dishes.map((d) => [d, MIN_GRAMS])));
                    setConfirming(s);
                  }}
                >
                  确认留样
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal title={`确认留样 ${confirming?.serviceDate ?? ''}`} open={!!confirming} onOk={confirm} confirmLoading={busy} okText="确认" cancelText="取消" onCancel={() => setConfirming(undefined)}>
        <Form layout="vertical">
          {confirming?.dishes.map((dish) => (
            <Form.Item key={dish} label={`${dish}（克）`} htmlFor={`grams-${dish}`} validateStatus={(grams[dish] ?? 0) < MIN_GRAMS ? 'error' : undefined} help={(grams[dish] ?? 0) < MIN_GRAMS ? `每道菜不少于 ${MIN_GRAMS} 克` : undefined}>
              <InputNumber id={`grams-${dish}`} min={1} precision={0} value={grams[dish]} onChange={(g) => setGrams((x) => ({ ...x, [dish]: g }))} />
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </>
  );
}
