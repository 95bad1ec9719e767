import { Alert, App, Button, DatePicker, Form, Input, Modal, Radio, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { CERTIFICATE_STATUS_ZH, dateOnly, dateTime, markLabel } from '../certification-labels';
import type { CertificateView } from './types';

type Action = 'inspection' | 'yellow' | 'red' | 'retest' | 'suspend' | 'revoke';

const ACTIONS: Record<Action, { label: string; allowed: string[] }> = {
  inspection: { label: '记录年检', allowed: ['inspection_due', 'yellow_warning', 'suspended'] },
  yellow: { label: '黄色警示', allowed: ['active', 'inspection_due'] },
  red: { label: '红色警示', allowed: ['active', 'inspection_due', 'yellow_warning', 'suspended'] },
  retest: { label: '记录复检', allowed: ['red_warning'] },
  suspend: { label: '暂停证书', allowed: ['active', 'inspection_due', 'yellow_warning'] },
  revoke: { label: '撤销证书', allowed: ['active', 'inspection_due', 'yellow_warning', 'red_warning', 'suspended'] },
};

/** Annual inspections and warnings need attention soonest: these statuses come first. */
const ATTENTION = ['inspection_due', 'yellow_warning', 'red_warning', 'suspended'];

/** The deadline that matters for a certificate now: the inspection window, the yellow grace, or the next inspection. */
function deadline(c: CertificateView) {
  if (c.status === 'inspection_due') return <Tag color="processing">年检截止 {dateOnly(c.inspectionDeadline)}</Tag>;
  if (c.status === 'yellow_warning') return <Tag color="warning">整改期限 {dateOnly(c.graceUntil)}</Tag>;
  if (c.status === 'active' && c.nextInspectionAt) return <span>下次年检 {dateOnly(c.nextInspectionAt)}</span>;
  return '—';
}

export function CertificatesPage() {
  const [scope, setScope] = useState<'attention' | 'all'>('attention');
  const list = useApi<CertificateView[]>('certification', '/certificates');
  const { message } = App.useApp();
  const [acting, setActing] = useState<{ certificate: CertificateView; action: Action }>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();

  const rows = (list.data ?? [])
    .filter((c) => scope === 'all' || ATTENTION.includes(c.status))
    .sort((a, b) => (a.inspectionDeadline ?? a.graceUntil ?? a.validUntil).localeCompare(b.inspectionDeadline ?? b.graceUntil ?? b.validUntil));

  async function submit(values: { passed?: boolean; findings?: string; reason?: string; deadline?: { toDate(): Date } }) {
    if (!acting) return;
    const { certificate, action } = acting;
    const base = `/certificates/${encodeURIComponent(certificate.id)}`;
    const call: Record<Action, [string, unknown]> = {
      inspection: [`${base}/annual-inspections`, { passed: values.passed, ...(values.findings?.trim() ? { findings: values.findings.trim() } : {}) }],
      retest: [`${base}/retests`, { passed: values.passed, ...(values.findings?.trim() ? { findings: values.findings.trim() } : {}) }],
      yellow: [`${base}/warnings/yellow`, { reason: values.reason, deadline: values.deadline?.toDate().toISOString() }],
      // A red warning concerns the product: every live certificate of it, one event.
      red: [`/products/${encodeURIComponent(certificate.productId)}/warnings/red`, { reason: values.reason }],
      suspend: [`${base}/suspension`, { reason: values.reason }],
      revoke: [`${base}/revocation`, { reason: values.reason }],
    };
    setBusy(true);
    try {
      await api('certification', call[action][0], { body: call[action][1] });
      message.success(`${ACTIONS[action].label}：已完成`);
      setActing(undefined);
      form.resetFields();
      list.reload();
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '操作失败');
    } finally {
      setBusy(false);
    }
  }

  const action = acting?.action;
  return (
    <>
      <Typography.Title level={2}>证书与警示</Typography.Title>
      <Typography.Paragraph type="secondary">
        年检到期、警示中和已暂停的证书排在前面，按期限先后排列。黄色警示期间产品仍可销售，逾期未整改将自动暂停；红色警示和暂停后产品不可购买。
      </Typography.Paragraph>
      <Segmented
        aria-label="显示范围"
        value={scope}
        onChange={(v) => setScope(v as 'attention' | 'all')}
        options={[
          { value: 'attention', label: '需处理' },
          { value: 'all', label: '全部证书' },
        ]}
        style={{ marginBottom: 16 }}
      />
      {list.error && <Alert type="error" showIcon title={list.error.message} />}
      <Table<CertificateView>
        rowKey="id"
        loading={list.loading}
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 1100 }}
        locale={{ emptyText: scope === 'attention' ? '没有需要处理的证书' : '暂无证书' }}
        expandable={{
          rowExpandable: (c) => c.warnings.length > 0,
          expandedRowRender: (c) => (
            <ul>
              {c.warnings.map((w, i) => (
                <li key={i}>
                  <Tag color={w.colour === 'red' ? 'error' : 'warning'}>{w.colour === 'red' ? '红色警示' : '黄色警示'}</Tag>
                  {dateTime(w.raisedAt)} {w.reason}
                  {w.clearedAt ? `（已于 ${dateTime(w.clearedAt)} 解除）` : ''}
                </li>
              ))}
            </ul>
          ),
        }}
        columns={[
          { title: '产品', dataIndex: 'productId' },
          { title: '标识', render: (_, c) => markLabel(c) },
          { title: '证书编号', render: (_, c) => c.number ?? c.id },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={CERTIFICATE_STATUS_ZH[s]?.color}>{CERTIFICATE_STATUS_ZH[s]?.text ?? s}</Tag> },
          { title: '期限', render: (_, c) => deadline(c) },
          { title: '有效期至', dataIndex: 'validUntil', render: (t: string) => dateOnly(t) },
          {
            title: '操作',
            render: (_, c) => {
              const allowed = (Object.keys(ACTIONS) as Action[]).filter((a) => ACTIONS[a].allowed.includes(c.status));
              if (allowed.length === 0) return '—';
              return (
                <Space wrap size={4}>
                  {allowed.map((a) => (
                    <Button key={a} size="small" danger={a === 'red' || a === 'revoke'} onClick={() => setActing({ certificate: c, action: a })} aria-label={`${ACTIONS[a].label} ${c.productId}`}>
                      {ACTIONS[a].label}
                    </Button>
                  ))}
                </Space>
              );
            },
          },
        ]}
      />
      <Modal
        title={acting ? `${ACTIONS[acting.action].label}：${acting.certificate.productId}（${markLabel(acting.certificate)}）` : ''}
        open={!!acting}
        okText={acting ? ACTIONS[acting.action].label : '确认'}
        okButtonProps={{ danger: action === 'red' || action === 'revoke' || action === 'suspend', loading: busy }}
        onOk={() => form.submit()}
        onCancel={() => setActing(undefined)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
          {(action === 'inspection' || action === 'retest') && (
            <>
              <Form.Item name="passed" label="结果" rules={[{ required: true, message: '请选择结果' }]}>
                <Radio.Group
                  options={[
                    { value: true, label: '合格' },
                    { value: false, label: '不合格' },
                  ]}
                />
              </Form.Item>
              <Form.Item name="findings" label="检查说明（不合格时必填）">
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
              {action === 'inspection' && (
                <Typography.Paragraph type="secondary">年检不合格：待年检的证书转为黄色警示，一个月内整改；黄色警示或暂停中再次不合格则暂停。</Typography.Paragraph>
              )}
            </>
          )}
          {(action === 'yellow' || action === 'red' || action === 'suspend' || action === 'revoke') && (
            <Form.Item name="reason" label={action === 'red' ? '质量风险说明（消费者会看到）' : '理由'} rules={[{ required: true, whitespace: true, message: '请填写理由' }]}>
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
          )}
          {action === 'yellow' && (
            <Form.Item name="deadline" label="整改期限" rules={[{ required: true, message: '请选择整改期限' }]}>
              <DatePicker showTime />
            </Form.Item>
          )}
          {action === 'red' && <Typography.Paragraph type="warning">红色警示作用于该产品的全部有效证书，产品立即停止销售，复检合格后恢复。</Typography.Paragraph>}
        </Form>
      </Modal>
    </>
  );
}
