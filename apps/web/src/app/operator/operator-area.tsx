import { Alert, App, Button, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Route, Routes } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { ConsoleFrame } from '../console/console-frame';
import { HallsPage } from './halls-page';
import { PriceIndexAdminPage } from './price-index-page';
import type { MerchantView } from '../merchant/merchant-area';

/** Due (2 working days after submission, computed by the catalog) → overdue / due today / on time. */
function dueTag(dueBy: string | undefined, now = Date.now()) {
  if (!dueBy) return '—';
  const due = new Date(dueBy).getTime();
  const text = new Date(dueBy).toLocaleString('zh-CN', { hour12: false });
  if (due < now) return <Tag color="error">已逾期 {text}</Tag>;
  if (due - now < 24 * 3600_000) return <Tag color="warning">即将到期 {text}</Tag>;
  return <Tag>{text}</Tag>;
}

function MerchantReviewQueue() {
  const queue = useApi<MerchantView[]>('catalog', '/review/merchants');
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string>();
  const [rejecting, setRejecting] = useState<MerchantView>();
  const [reason, setReason] = useState('');

  async function review(merchant: MerchantView, body: { decision: 'approve' } | { decision: 'reject'; reason: string }) {
    setBusy(merchant.id);
    try {
      await api('catalog', `/review/merchants/${merchant.id}`, { body });
      message.success(body.decision === 'approve' ? `已通过「${merchant.name}」的入驻申请` : `已驳回「${merchant.name}」`);
      setRejecting(undefined);
      setReason('');
      queue.reload();
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '操作失败');
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <>
      <Typography.Title level={2}>企业入驻审核</Typography.Title>
      <Typography.Paragraph type="secondary">按提交时间排列；入驻申请应在提交后 2 个工作日内审核完毕。</Typography.Paragraph>
      {queue.error && <Alert type="error" showIcon title={queue.error.message} />}
      <Table<MerchantView>
        rowKey="id"
        loading={queue.loading}
        dataSource={queue.data}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 800 }}
        locale={{ emptyText: '没有待审核的企业' }}
        columns={[
          { title: '企业名称', dataIndex: 'name' },
          { title: '统一社会信用代码', dataIndex: 'creditCode' },
          { title: '营业执照', dataIndex: 'licenceDocument' },
          { title: '提交时间', dataIndex: 'submittedAt', render: (t: string) => new Date(t).toLocaleString('zh-CN', { hour12: false }) },
          { title: '审核期限', dataIndex: 'reviewDueBy', render: (t?: string) => dueTag(t) },
          {
            title: '操作',
            render: (_, m) => (
              <Space>
                <Button type="primary" loading={busy === m.id} onClick={() => void review(m, { decision: 'approve' })} aria-label={`通过 ${m.name}`}>
                  通过
                </Button>
                <Button danger disabled={busy === m.id} onClick={() => setRejecting(m)} aria-label={`驳回 ${m.name}`}>
                  驳回
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        title={`驳回「${rejecting?.name ?? ''}」`}
        open={!!rejecting}
        okText="驳回"
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: !!busy }}
        onOk={() => rejecting && void review(rejecting, { decision: 'reject', reason: reason.trim() })}
        onCancel={() => setRejecting(undefined)}
      >
        <label htmlFor="reject-reason">驳回理由（企业会看到）</label>
        <Input.TextArea id="reject-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} rows={3} />
      </Modal>
    </>
  );
}

export default function OperatorArea() {
  return (
    <ConsoleFrame
      title="营运管理"
      links={[
        { to: '/operator', label: '入驻审核' },
        { to: '/operator/halls', label: '品牌馆' },
        { to: '/operator/price-index', label: '价格指数' },
      ]}
    >
      <Routes>
        <Route index element={<MerchantReviewQueue />} />
        <Route path="halls" element={<HallsPage />} />
        <Route path="price-index" element={<PriceIndexAdminPage />} />
      </Routes>
    </ConsoleFrame>
  );
}
