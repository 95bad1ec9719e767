import { Alert, App, Button, Card, Checkbox, DatePicker, Descriptions, Form, Input, List, Modal, Space, Steps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { useUser } from '../shell/session';
import { APPLICATION_STATUS_ZH, dateTime, targetLabel } from '../certification-labels';
import type { ApplicationView, ReviewChecklist } from './types';

const FLOW = ['submitted', 'evidence_accepted', 'sample_requested', 'sample_mailed', 'sample_received', 'review_scheduled', 'approved'];

/** One application: the checklist from its star criteria, its samples and review, and the next step the certifier may take. */
export function ApplicationReview() {
  const { id = '' } = useParams();
  const application = useApi<ApplicationView>('certification', `/applications/${encodeURIComponent(id)}`);
  const checklist = useApi<ReviewChecklist>('certification', `/applications/${encodeURIComponent(id)}/checklist`);
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');

  async function step(path: string, body: unknown, done: string): Promise<boolean> {
    setBusy(true);
    try {
      await api('certification', `/applications/${encodeURIComponent(id)}/${path}`, { body: body ?? {} });
      message.success(done);
      application.reload();
      return true;
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '操作失败');
      return false;
    } finally {
      setBusy(false);
    }
  }

  const a = application.data;
  const list = checklist.data;
  const open = a && !['approved', 'rejected', 'withdrawn'].includes(a.status);
  return (
    <>
      <Typography.Paragraph>
        <Link to="/certifier">← 返回申请列表</Link>
      </Typography.Paragraph>
      <Typography.Title level={2}>评审申请 {id}</Typography.Title>
      {application.error && <Alert type="error" showIcon title={application.error.message} />}
      {a && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Card>
            <Descriptions column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label="产品">{a.productId}</Descriptions.Item>
              <Descriptions.Item label="企业">{a.merchantId}</Descriptions.Item>
              <Descriptions.Item label="申请等级">{targetLabel(a.target)}</Descriptions.Item>
              <Descriptions.Item label="状态">
                <Tag color={a.status === 'approved' ? 'success' : a.status === 'rejected' ? 'error' : 'processing'} data-testid="application-status">
                  {APPLICATION_STATUS_ZH[a.status] ?? a.status}
                </Tag>
              </Descriptions.Item>
              <Descriptions.Item label="提交时间">{dateTime(a.submittedAt)}</Descriptions.Item>
              {a.certificateId && <Descriptions.Item label="证书">{a.certificateId}</Descriptions.Item>}
            </Descriptions>
            <Steps
              size="small"
              current={Math.max(0, FLOW.indexOf(a.status === 'needs_more_evidence' ? 'submitted' : a.status))}
              status={a.status === 'rejected' || a.status === 'withdrawn' ? 'error' : undefined}
              items={FLOW.map((s) => ({ title: APPLICATION_STATUS_ZH[s] }))}
              style={{ marginTop: 16 }}
              responsive
            />
          </Card>

          {list && (
            <Card title={`评审清单：${list.label}（${list.reviewMethodName}）`}>
              <Typography.Title level={4}>申请条件</Typography.Title>
              <List size="small" dataSource={list.requirements} renderItem={(r) => <List.Item>{r.text}</List.Item>} />
              <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                须评审项目 {list.checks.length} 项；{list.sampleRequired ? '须寄送样品；' : ''}
                {list.numberedCertificate ? '通过后颁发编号星级证书；' : ''}证书有效期 {list.validityMonths} 个月，每 {list.annualInspectionMonths} 个月年检一次。
              </Typography.Paragraph>
            </Card>
          )}

          {a.shortfalls && a.shortfalls.length > 0 && (
            <Alert type="warning" showIcon title="不满足的条件" description={<ul>{a.shortfalls.map((s, i) => <li key={i}>{s.message}</li>)}</ul>} />
          )}

          {a.sample && (
            <Card title="样品">
              <Descriptions column={1} size="small">
                <Descriptions.Item label="寄样要求">{a.sample.instructions}</Descriptions.Item>
                <Descriptions.Item label="快递">{a.sample.carrier ? `${a.sample.carrier} ${a.sample.trackingNumber}` : '企业尚未寄出'}</Descriptions.Item>
                <Descriptions.Item label="签收">{a.sample.receivedAt ? `${dateTime(a.sample.receivedAt)}（${a.sample.receivedBy}）` : '未签收'}</Descriptions.Item>
              </Descriptions>
            </Card>
          )}

          {a.review && (
            <Card title="评审安排">
              <Descriptions column={1} size="small">
                <Descriptions.Item label="方式">{{ online: '线上评价', third_party: '第三方委托评价', expert_on_site: '专家现场评价' }[a.review.method]}</Descriptions.Item>
                {a.review.agency && <Descriptions.Item label="委托机构">{`${a.review.agency}（${a.review.reference}）`}</Descriptions.Item>}
                {a.review.inspectorId && <Descriptions.Item label="现场评审">{`${a.review.inspectorId}，${dateTime(a.review.scheduledFor)}`}</Descriptions.Item>}
                {a.review.reviewedAt && <Descriptions.Item label="评审完成">{`${dateTime(a.review.reviewedAt)}（${a.review.reviewedBy}）`}</Descriptions.Item>}
              </Descriptions>
              {a.review.checks && (
                <List
                  size="small"
                  dataSource={a.review.checks}
                  renderItem={(c) => (
                    <List.Item>
                      <Tag color={c.passed ? 'success' : 'error'}>{c.passed ? '通过' : '不通过'}</Tag>
                      {list?.checks.find((k) => k.check === c.check)?.name ?? c.check}
                      {c.note ? `：${c.note}` : ''}
                    </List.Item>
                  )}
                />
              )}
            </Card>
          )}

          {a.decision && (
            <Alert
              type={a.decision.approved ? 'success' : 'error'}
              showIcon
              title={a.decision.approved ? `评定通过：${targetLabel(a.target)}` : '评定未通过'}
              description={a.decision.reasons.length > 0 ? a.decision.reasons.join('；') : undefined}
            />
          )}

          {open && (
            <Card title="下一步">
              <NextStep application={a} checklist={list} busy={busy} step={step} />
              <Button danger style={{ marginTop: 16 }} onClick={() => setRejecting(true)} disabled={busy}>
                驳回申请
              </Button>
            </Card>
          )}
        </Space>
      )}
      <Modal
        title="驳回申请"
        open={rejecting}
        okText="驳回"
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: busy }}
        onOk={async () => {
          if (await step('reject', { reasons: [reason.trim()] }, '已驳回申请')) {
            setRejecting(false);
            setReason('');
          }
        }}
        onCancel={() => setRejecting(false)}
      >
        <label htmlFor="application-reject-reason">驳回理由（企业会看到）</label>
        <Input.TextArea id="application-reject-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={3} />
      </Modal>
    </>
  );
}

type Step = (path: string, body: unknown, done: string) => Promise<boolean>;

function NextStep({ application, checklist, busy, step }: { application: ApplicationView; checklist: ReviewChecklist | undefined; busy: boolean; step: Step }) {
  const user = useUser();
  switch (application.status) {
    case 'submitted':
      return (
        <Space orientation="vertical">
          <Typography.Text>核对企业的材料、投诉记录、溯源与保险是否满足上面的申请条件。</Typography.Text>
          <Button type="primary" loading={busy} onClick={() => void step('evidence-check', {}, '材料审核已完成')}>
            审核材料
          </Button>
        </Space>
      );
    case 'needs_more_evidence':
      return <Typography.Text>等待企业补充材料。</Typography.Text>;
    case 'evidence_accepted':
      return (
        <Form layout="vertical" onFinish={(v: { instructions: string }) => void step('sample/request', { instructions: v.instructions }, '已通知企业寄送样品')}>
          <Form.Item name="instructions" label="寄样要求" rules={[{ required: true, message: '请填写寄样要求' }]} initialValue="请寄送样品 2 份至开平市特产评定中心（开平市长沙街道幕沙路 1 号）">
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            要求寄样
          </Button>
        </Form>
      );
    case 'sample_requested':
      return <Typography.Text>等待企业寄出样品。</Typography.Text>;
    case 'sample_mailed':
      return (
        <Button type="primary" loading={busy} onClick={() => void step('sample/received', { receivedAt: new Date().toISOString() }, '已登记样品签收')}>
          确认收到样品
        </Button>
      );
    case 'sample_received':
      return <ScheduleReview method={checklist?.reviewMethod} userId={user.userId} busy={busy} step={step} />;
    case 'review_scheduled':
      return checklist ? <RecordReview application={application} checklist={checklist} busy={busy} step={step} /> : null;
    default:
      return null;
  }
}

function ScheduleReview({ method, userId, busy, step }: { method: ReviewChecklist['reviewMethod'] | undefined; userId: string; busy: boolean; step: Step }) {
  if (!method) return null;
  if (method === 'online')
    return (
      <Button type="primary" loading={busy} onClick={() => void step('review', { method, reviewerId: userId }, '已安排线上评价')}>
        由我进行线上评价
      </Button>
    );
  if (method === 'third_party')
    return (
      <Form layout="vertical" onFinish={(v: { agency: string; reference: string }) => void step('review', { method, ...v }, '已委托第三方评价')}>
        <Form.Item name="agency" label="委托机构" rules={[{ required: true, message: '请填写委托机构' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="reference" label="委托编号" rules={[{ required: true, message: '请填写委托编号' }]}>
          <Input maxLength={120} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          委托评价
        </Button>
      </Form>
    );
  return (
    <Form
      layout="vertical"
      onFinish={(v: { inspectorId: string; scheduledFor: { toDate(): Date } }) =>
        void step('review', { method, inspectorId: v.inspectorId, scheduledFor: v.scheduledFor.toDate().toISOString() }, '已安排专家现场评价')
      }
    >
      <Form.Item name="inspectorId" label="现场评审专家（用户编号）" rules={[{ required: true, message: '请填写评审专家' }]} initialValue="u-inspector">
        <Input maxLength={120} />
      </Form.Item>
      <Form.Item name="scheduledFor" label="现场评审时间" rules={[{ required: true, message: '请选择时间' }]}>
        <DatePicker showTime />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        安排现场评审
      </Button>
    </Form>
  );
}

/** The checklist as checkboxes: all passed approves at the level applied for (and issues the certificate); any failed rejects. */
function RecordReview({ application, checklist, busy, step }: { application: ApplicationView; checklist: ReviewChecklist; busy: boolean; step: Step }) {
  const [passed, setPassed] = useState<Record<string, boolean>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const allPassed = checklist.checks.every((c) => passed[c.check]);
  const submit = () =>
    void step(
      'review/result',
      { checks: checklist.checks.map((c) => ({ check: c.check, passed: !!passed[c.check], ...(notes[c.check]?.trim() ? { note: notes[c.check].trim() } : {}) })) },
      allPassed ? `评定通过，授予${targetLabel(application.target)}` : '已记录评审结果',
    );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text>逐项记录评审结果（{checklist.reviewMethodName}）：</Typography.Text>
      {checklist.checks.map((c) => (
        <Space key={c.check} wrap>
          <Checkbox checked={!!passed[c.check]} onChange={(e) => setPassed((p) => ({ ...p, [c.check]: e.target.checked }))}>
            {c.name} 通过
          </Checkbox>
          <Input
            aria-label={`${c.name} 说明`}
            placeholder="说明（可选）"
            value={notes[c.check] ?? ''}
            onChange={(e) => setNotes((n) => ({ ...n, [c.check]: e.target.value }))}
            maxLength={500}
            style={{ width: 280 }}
          />
        </Space>
      ))}
      <Button type="primary" danger={!allPassed} loading={busy} onClick={submit}>
        {allPassed ? `评定通过，授予 ${targetLabel(application.target)}` : '提交评审结果（未通过）'}
      </Button>
    </Space>
  );
}
