import { Alert, App, Button, Card, Empty, Form, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, apiUrl } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { CERTIFICATE_STATUS_ZH, dateZh } from '../hall/format';
import { APPLICATION_STATUS_ZH, markLabel, targetLabel } from '../certification-labels';
import { deadlineText, EVIDENCE_FOR_LEVEL, WARNING_SOURCE_ZH } from './format';
import type { ApplicationView, CertificateView, MerchantView, OwnProduct } from './types';
import { WithApprovedMerchant } from './use-merchant';

const STATUS_COLOUR: Record<string, string> = { active: 'success', inspection_due: 'warning', yellow_warning: 'gold', red_warning: 'error', suspended: 'error', revoked: 'default', expired: 'default' };

interface Records {
  evidence: { kind: string; reference: string; validUntil?: string }[];
  traceability?: string;
}

/** Seed 001's traceability levels, weakest first; a star level needs at least its own (1★ 企业, 2-3★ 产品, 4★ 生产环境, 5★ 生产与流通). */
const TRACEABILITY = [
  { value: 'enterprise', label: '企业可追溯' },
  { value: 'product', label: '产品可追溯' },
  { value: 'production_environment', label: '生产环境可追溯' },
  { value: 'production_and_circulation', label: '生产与流通全程可追溯' },
];

type Level = 1 | 2 | 3 | 4 | 5;

/**
 * Apply for an OTOP star level: file the documents the level needs on the enterprise's record
 * (certification keeps them per enterprise), then submit the application for the product.
 */
function ApplyForm({ merchant, products, onSubmitted }: { merchant: MerchantView; products: OwnProduct[]; onSubmitted(): void }) {
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const records = useApi<Records>('certification', `/merchants/${merchant.id}/records`);
  const [form] = Form.useForm();
  const level = (Form.useWatch('level', form) ?? 1) as Level;
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const filed = (kind: string) => records.data?.evidence.find((d) => d.kind === kind);

  async function submit(v: { productId: string; level: Level; traceability?: string; documents?: Record<string, string | undefined> }) {
    setBusy(true);
    setError(undefined);
    try {
      if (v.traceability && v.traceability !== records.data?.traceability) {
        await api('certification', `/merchants/${merchant.id}/records/traceability`, { method: 'PUT', body: { traceability: v.traceability } });
      }
      for (const { kind } of EVIDENCE_FOR_LEVEL[v.level]) {
        const reference = v.documents?.[kind]?.trim();
        if (reference) await api('certification', `/merchants/${merchant.id}/records/evidence`, { body: { kind, reference } });
      }
      await api('certification', '/applications', { body: { productId: v.productId, target: { scheme: 'otop', level: v.level } } });
      message.success('认证申请已提交，请留意评定中心的寄样通知');
      form.resetFields(['documents']);
      records.reload();
      onSubmitted();
    } catch (e) {
      const text = e instanceof ApiError ? e.message : '提交失败，请重试';
      // A product created a moment ago may not have reached certification yet (it learns products from events).
      setError(e instanceof ApiError && e.status === 404 && /未登记/.test(text) ? `${text}：新建的产品需要几秒钟同步到评定中心，请稍后再提交` : text);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="申请一乡一品星级认证" style={{ marginBottom: 16, maxWidth: 880 }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ level: 1, productId: params.get('product') ?? undefined }}>
        <Space wrap size={16} align="start">
          <Form.Item label="产品" name="productId" rules={[{ required: true, message: '请选择要认证的产品' }]}>
            <Select style={{ width: 320 }} options={products.map((p) => ({ value: p.id, label: p.name }))} showSearch optionFilterProp="label" />
          </Form.Item>
          <Form.Item label="申请星级" name="level" rules={[{ required: true }]}>
            <Select
              style={{ width: 200 }}
              options={([1, 2, 3, 4, 5] as const).map((l) => ({ value: l, label: `${'★'.repeat(l)} ${l <= 1 ? '初选' : l <= 3 ? '优选' : '臻选'}（${l}星）` }))}
            />
          </Form.Item>
        </Space>
        <Form.Item
          label="企业溯源能力"
          name="traceability"
          extra={records.data?.traceability ? `已登记：${TRACEABILITY.find((t) => t.value === records.data?.traceability)?.label ?? records.data.traceability}` : '1 星需企业可追溯，2-3 星需产品可追溯'}
          rules={records.data?.traceability ? [] : [{ required: true, message: '请选择企业的溯源能力' }]}
        >
          <Select style={{ width: 280 }} options={TRACEABILITY} allowClear />
        </Form.Item>
        <Typography.Title level={5}>申请材料（{level}星需要）</Typography.Title>
        <Typography.Paragraph type="secondary">填写文件编号或存储地址；已提交过的材料无需重复填写。所有星级都需要寄送样品，3 星及以上还需现场评审。</Typography.Paragraph>
        {EVIDENCE_FOR_LEVEL[level].map(({ kind, label }) => {
          const existing = filed(kind);
          return (
            <Form.Item
              key={kind}
              label={label}
              name={['documents', kind]}
              extra={existing ? `已提交：${existing.reference}` : undefined}
              rules={existing ? [] : [{ required: true, message: `请提供${label}` }]}
            >
              <Input maxLength={500} placeholder={`doc:${kind}/2026/…`} />
            </Form.Item>
          );
        })}
        <Button type="primary" htmlType="submit" loading={busy}>
          提交认证申请
        </Button>
      </Form>
    </Card>
  );
}

/** The merchant's own steps in an application: confirm the sample was mailed, say evidence was supplemented. */
function ApplicationActions({ application, onDone }: { application: ApplicationView; onDone(): void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  async function run(path: string, body: unknown, done: string) {
    setBusy(true);
    try {
      await api('certification', `/applications/${application.id}/${path}`, { body });
      message.success(done);
      onDone();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败，请重试');
    } finally {
      setBusy(false);
    }
  }
  if (application.status === 'needs_more_evidence') {
    return (
      <Button size="small" loading={busy} onClick={() => void run('supplement', {}, '已通知评定中心重新审核材料')}>
        材料已补充
      </Button>
    );
  }
  if (application.status === 'sample_requested') {
    return (
      <Form layout="inline" onFinish={(v: { carrier: string; trackingNumber: string }) => void run('sample/mailed', v, '已登记寄样信息')}>
        <Form.Item name="carrier" rules={[{ required: true, message: '快递公司' }]}>
          <Input placeholder="快递公司" aria-label="快递公司" style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="trackingNumber" rules={[{ required: true, message: '快递单号' }]}>
          <Input placeholder="快递单号" aria-label="快递单号" style={{ width: 150 }} />
        </Form.Item>
        <Button htmlType="submit" size="small" loading={busy}>
          已寄出样品
        </Button>
      </Form>
    );
  }
  return null;
}

function Applications({ merchant, names }: { merchant: MerchantView; names: Map<string, string> }) {
  const applications = useApi<ApplicationView[]>('certification', '/applications', { merchantId: merchant.id });
  return (
    <Card title="我的认证申请" style={{ marginBottom: 16 }}>
      {applications.error && <Alert type="error" showIcon title={applications.error.message} />}
      <Table<ApplicationView>
        rowKey="id"
        loading={applications.loading}
        dataSource={applications.data}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description="还没有认证申请" /> }}
        scroll={{ x: 760 }}
        columns={[
          { title: '产品', dataIndex: 'productId', render: (id: string) => names.get(id) ?? id },
          { title: '申请', key: 'target', render: (_, a) => targetLabel(a.target) },
          { title: '提交时间', dataIndex: 'submittedAt', width: 130, render: (d: string) => dateZh(d) },
          {
            title: '状态',
            key: 'status',
            render: (_, a) => (
              <Space orientation="vertical" size={2}>
                <Tag color={a.status === 'approved' ? 'success' : a.status === 'rejected' ? 'error' : 'processing'}>{APPLICATION_STATUS_ZH[a.status] ?? a.status}</Tag>
                {a.shortfalls?.map((s) => (
                  <Typography.Text key={s.message} type="warning">
                    {s.message}
                  </Typography.Text>
                ))}
                {a.status === 'sample_requested' && a.sample?.instructions && <Typography.Text>寄样说明：{a.sample.instructions}</Typography.Text>}
                {a.decision && !a.decision.approved && <Typography.Text type="danger">{a.decision.reasons.join('；')}</Typography.Text>}
              </Space>
            ),
          },
          { title: '操作', key: 'actions', render: (_, a) => <ApplicationActions application={a} onDone={applications.reload} /> },
        ]}
      />
    </Card>
  );
}

function Certificates({ merchant, names }: { merchant: MerchantView; names: Map<string, string> }) {
  const certificates = useApi<CertificateView[]>('certification', '/certificates', { merchantId: merchant.id });
  return (
    <Card title="证书、警示与期限">
      {certificates.error && <Alert type="error" showIcon title={certificates.error.message} />}
      <List<CertificateView>
        loading={certificates.loading}
        dataSource={certificates.data ?? []}
        locale={{ emptyText: <Empty description="还没有证书。评定通过后证书、追溯二维码和星级徽章会出现在这里" /> }}
        renderItem={(c) => {
          const openWarnings = c.warnings.filter((w) => !w.clearedAt);
          return (
            <List.Item key={c.id} data-certificate={c.id}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{names.get(c.productId) ?? c.productId}</Typography.Text>
                  <span>
                    {markLabel(c)}
                  </span>
                  {c.number && <Typography.Text type="secondary">证书编号 {c.number}</Typography.Text>}
                  <Tag color={STATUS_COLOUR[c.status]}>{CERTIFICATE_STATUS_ZH[c.status] ?? c.status}</Tag>
                </Space>
                <Space wrap size={24}>
                  <span>
                    有效期 {dateZh(c.validFrom)} 至 {dateZh(c.validUntil)}（{deadlineText(c.validUntil)}）
                  </span>
                  {c.nextInspectionAt && <span>下次年检 {dateZh(c.nextInspectionAt)}</span>}
                  {c.inspectionDeadline && (
                    <span>
                      年检截止 {dateZh(c.inspectionDeadline)}（{deadlineText(c.inspectionDeadline)}）
                    </span>
                  )}
                  {c.graceUntil && (
                    <Typography.Text type="warning">
                      黄色警示整改期至 {dateZh(c.graceUntil)}（{deadlineText(c.graceUntil)}），逾期将暂停认证权益
                    </Typography.Text>
                  )}
                </Space>
                {openWarnings.map((w) => (
                  <Alert
                    key={`${w.colour}-${w.raisedAt}`}
                    type={w.colour === 'red' ? 'error' : 'warning'}
                    showIcon
                    title={`${w.colour === 'red' ? '红色警示' : '黄色警示'}：${WARNING_SOURCE_ZH[w.source] ?? w.source}`}
                    description={`${w.reason}（${dateZh(w.raisedAt)} 发出）`}
                  />
                ))}
                {c.origin === 'application' && (
                  <Space wrap>
                    <a href={apiUrl('certification', `/products/${c.productId}/qr.png`, { width: 1024 })} download>
                      下载追溯二维码（PNG）
                    </a>
                    <a href={apiUrl('certification', `/products/${c.productId}/qr.svg`)} download>
                      下载追溯二维码（SVG，印刷用）
                    </a>
                    <a href={apiUrl('certification', `/certificates/${c.id}/badge.svg`)} download>
                      下载星级徽章（SVG）
                    </a>
                  </Space>
                )}
              </Space>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}

function CertificationConsole({ merchant }: { merchant: MerchantView }) {
  const products = useApi<OwnProduct[]>('catalog', `/merchants/${merchant.id}/products`);
  const [version, setVersion] = useState(0);
  const names = new Map((products.data ?? []).map((p) => [p.id, p.name]));
  return (
    <>
      {products.error && <Alert type="error" showIcon title={products.error.message} />}
      <ApplyForm merchant={merchant} products={products.data ?? []} onSubmitted={() => setVersion((v) => v + 1)} />
      {/* remounted after a submission, so the list reloads */}
      <Applications key={version} merchant={merchant} names={names} />
      <Certificates merchant={merchant} names={names} />
    </>
  );
}

export function CertificationPage() {
  return (
    <>
      <Typography.Title level={2}>认证与证书</Typography.Title>
      <WithApprovedMerchant>{(m) => <CertificationConsole merchant={m} />}</WithApprovedMerchant>
    </>
  );
}
