import { Alert, App, Button, Card, Descriptions, Empty, InputNumber, Select, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { useBuyer } from './buyer-context';
import { ACTION_ZH, addDays, CALL_OFF_STATUS, cutoffState, isoWeekday, LINE_STATE, mayAmend, quantityProblem, shanghaiTime, shanghaiToday, weekdayZh, weekOf, yuan } from './format';
import type { CallOff, CallOffLine, Contract, Page } from './types';

function StatusTag({ co }: { co: CallOff }) {
  const s = CALL_OFF_STATUS[co.status];
  return <Tag color={s.color}>{s.text}</Tag>;
}

/** Lines that need the buyer admin: substitutes offered for a product that may not be bought. */
const pendingSubstitutes = (co: CallOff) => co.lines.filter((l) => l.state === 'substitute-offered');

/** The delivery calendar: a week of call-offs and hot-meal orders by date and site, with their cut-offs. */
export function CalendarPage() {
  const { org, sites, siteName } = useBuyer();
  const [anchor, setAnchor] = useState(() => shanghaiToday());
  const week = weekOf(anchor);
  const callOffs = useApi<Page<CallOff>>('orders', '/institutional/call-offs', { orgId: org._id, from: week[0], to: week[6], pageSize: 200 });
  const bySiteAndDate = useMemo(() => {
    const map = new Map<string, CallOff[]>();
    for (const co of callOffs.data?.items ?? []) map.set(`${co.siteId} ${co.deliveryDate}`, [...(map.get(`${co.siteId} ${co.deliveryDate}`) ?? []), co]);
    return map;
  }, [callOffs.data]);
  const siteIds = [...new Set([...sites.map((s) => s._id), ...(callOffs.data?.items ?? []).map((c) => c.siteId)])];
  const today = shanghaiToday();
  return (
    <>
      <Typography.Title level={2}>配送日历</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button onClick={() => setAnchor(addDays(week[0], -7))}>上一周</Button>
        <Button onClick={() => setAnchor(today)}>本周</Button>
        <Button onClick={() => setAnchor(addDays(week[0], 7))}>下一周</Button>
        <Typography.Text aria-live="polite">
          {week[0]} 至 {week[6]}
        </Typography.Text>
      </Space>
      {callOffs.error && <Alert type="error" showIcon title={callOffs.error.message} />}
      <Table<{ siteId: string }>
        rowKey="siteId"
        loading={callOffs.loading}
        dataSource={siteIds.map((siteId) => ({ siteId }))}
        pagination={false}
        scroll={{ x: 1100 }}
        bordered
        locale={{ emptyText: '没有收货点' }}
        columns={[
          { title: '收货点', dataIndex: 'siteId', fixed: 'left', width: 140, render: siteName },
          ...week.map((date) => ({
            title: (
              <span className={date === today ? 'buyer-today' : undefined}>
                {weekdayZh(isoWeekday(date))} {date.slice(5)}
                {date === today ? '（今天）' : ''}
              </span>
            ),
            key: date,
            width: 150,
            render: (_: unknown, row: { siteId: string }) => (
              <Space orientation="vertical" size={4}>
                {(bySiteAndDate.get(`${row.siteId} ${date}`) ?? []).map((co) => (
                  <Card key={co._id} size="small" className="buyer-call-off" data-call-off={co._id} data-date={date}>
                    <Link to={`/buyer/calendar/${co._id}`}>{co.channel === 'hot_meal' ? '优餐午餐' : '定期配送'}</Link> <StatusTag co={co} />
                    {co.demoHistory ? <Tag>演示历史</Tag> : null}
                    {pendingSubstitutes(co).length ? <Tag color="orange">替代品待确认</Tag> : null}
                    {co.lines.some((l) => l.state === 'unavailable') ? <Tag color="red">有不可采购商品</Tag> : null}
                    <div>
                      {co.lines
                        .filter((l) => l.quantity > 0)
                        .map((l) => `${l.state === 'substituted' && l.substitute ? l.substitute.nameZh : l.nameZh}×${l.quantity}`)
                        .join('，')}
                    </div>
                    <div>{yuan(co.totalFen)}</div>
                    <Typography.Text type={cutoffState(co.cutoffAt).open ? undefined : 'secondary'}>{cutoffState(co.cutoffAt).text}</Typography.Text>
                  </Card>
                ))}
              </Space>
            ),
          })),
        ]}
      />
    </>
  );
}

/** One call-off: amend quantities and add lines before cut-off, decide substitutes, approve an over-budget one. */
export function CallOffPage() {
  const { id } = useParams();
  const { siteName, can } = useBuyer();
  const { message } = App.useApp();
  const callOff = useApi<CallOff>('orders', `/institutional/call-offs/${id}`);
  const contract = useApi<Contract>('orders', callOff.data ? `/institutional/contracts/${callOff.data.contractId}` : undefined);
  const [edits, setEdits] = useState<Record<string, number | null>>({});
  const [adding, setAdding] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();

  if (callOff.error) return <Alert type="error" showIcon title={callOff.error.message} />;
  const co = callOff.data;
  if (!co) return <Spin description="正在加载配送单…" />;
  const contractLines = contract.data?.lines ?? [];
  const limits = (lineId: string) => contractLines.find((l) => l.lineId === lineId);
  const amendable = mayAmend(co.status, co.cutoffAt) && can('orderer', 'buyer_admin');
  const cutoff = cutoffState(co.cutoffAt);
  const addable = contractLines.filter((l) => !co.lines.some((x) => x.lineId === l.lineId) && !(l.lineId in edits) && (co.channel === 'hot_meal') === (l.temperatureClass === 'hot'));
  const newLines = contractLines.filter((l) => !co.lines.some((x) => x.lineId === l.lineId) && l.lineId in edits);
  const rows: CallOffLine[] = [
    ...co.lines,
    ...newLines.map((l) => ({ lineId: l.lineId, productId: l.productId, skuId: l.skuId, nameZh: l.nameZh, specZh: l.specZh, unitPriceFen: l.unitPriceFen, quantity: 0, state: 'ok' as const })),
  ];
  const changes = Object.entries(edits).filter(([lineId, q]) => q !== co.lines.find((l) => l.lineId === lineId)?.quantity);
  const problems = changes.map(([lineId, q]) => {
    const l = limits(lineId);
    return l ? quantityProblem(q, l) : undefined;
  });

  async function run(what: string, call: () => Promise<unknown>) {
    setBusy(true);
    setRefusal(undefined);
    try {
      await call();
      message.success(what);
      setEdits({});
      callOff.reload();
    } catch (error) {
      const text = error instanceof ApiError ? error.message : '操作失败，请重试';
      setRefusal(text);
      message.error(text);
      callOff.reload();
    } finally {
      setBusy(false);
    }
  }

  const save = () => run('已保存修改', () => api('orders', `/institutional/call-offs/${co._id}`, { method: 'PATCH', body: { lines: changes.map(([lineId, quantity]) => ({ lineId, quantity: quantity ?? 0 })) } }));
  const decide = (lineId: string, decision: 'approve' | 'decline') =>
    run(decision === 'approve' ? '已批准替代品' : '已拒绝替代品，该项本次不配送', () => api('orders', `/institutional/call-offs/${co._id}/lines/${lineId}/substitute`, { body: { decision } }));
  const approveBudget = () => run('已批准超预算配送，开始备货', () => api('orders', `/institutional/call-offs/${co._id}/approve-budget`, { body: {} }));

  return (
    <>
      <Typography.Title level={2}>
        {co.channel === 'hot_meal' ? '优餐订单' : '配送单'} {co.deliveryDate}（{weekdayZh(isoWeekday(co.deliveryDate))}）
      </Typography.Title>
      {co.demoHistory && <Alert type="warning" showIcon title="演示历史数据：这是系统上线前的配送记录，签收数字为演示值，没有物流签收凭证。" style={{ marginBottom: 12 }} />}
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="收货点">{siteName(co.siteId)}</Descriptions.Item>
        <Descriptions.Item label="状态">
          <StatusTag co={co} />
        </Descriptions.Item>
        <Descriptions.Item label="送达时段">
          {shanghaiTime(co.window.from)} – {shanghaiTime(co.window.until).slice(-5)}
        </Descriptions.Item>
        <Descriptions.Item label="截单时间">{cutoff.text}</Descriptions.Item>
        <Descriptions.Item label="合计">{yuan(co.totalFen)}</Descriptions.Item>
        <Descriptions.Item label="合同">{contract.data ? <Link to={`/buyer/contracts/${co.contractId}`}>{contract.data.number}</Link> : co.contractId}</Descriptions.Item>
        {co.batch && (
          <Descriptions.Item label="出餐">
            {shanghaiTime(co.batch.cookedAt)} 出餐（{co.batch.dishes.join('、')}），车程上限 {co.batch.maxRideMinutes} 分钟
          </Descriptions.Item>
        )}
      </Descriptions>

      {!mayAmend(co.status, co.cutoffAt) ? (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 12 }}
          title={(co.status === 'open' || co.status === 'awaiting-approval') && !cutoff.open ? '已过截单时间，本次配送不能再修改数量或添加商品。' : `本次配送${CALL_OFF_STATUS[co.status].text}，不能再修改。`}
        />
      ) : null}
      {mayAmend(co.status, co.cutoffAt) && !can('orderer', 'buyer_admin') ? <Alert type="info" showIcon style={{ marginTop: 12 }} title="只有订货员或采购管理员可以修改配送单。" /> : null}

      {co.status === 'awaiting-approval' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          title={`本单 ${yuan(co.totalFen)} 将超出合同月度预算（本月已用 ${yuan(co.budget.committedFen)}，上限 ${co.budget.capFen !== undefined ? yuan(co.budget.capFen) : '—'}），须采购管理员批准后才备货配送。`}
          action={
            can('buyer_admin') ? (
              <Button type="primary" loading={busy} onClick={approveBudget}>
                批准超预算配送
              </Button>
            ) : undefined
          }
        />
      )}
      {refusal && <Alert type="error" showIcon closable style={{ marginTop: 12 }} title={refusal} role="alert" />}

      <Typography.Title level={3}>明细</Typography.Title>
      <Table<CallOffLine>
        rowKey="lineId"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: '商品', render: (_, l) => `${l.nameZh}（${l.specZh}）` },
          { title: '合同单价', dataIndex: 'unitPriceFen', align: 'right', render: yuan },
          {
            title: '数量',
            render: (_, l) => {
              const lim = limits(l.lineId);
              const value = l.lineId in edits ? edits[l.lineId] : l.quantity;
              if (!amendable) return l.quantity;
              const problem = lim ? quantityProblem(value, lim) : undefined;
              return (
                <Space orientation="vertical" size={0}>
                  <InputNumber
                    aria-label={`${l.nameZh} 数量`}
                    min={0}
                    precision={0}
                    value={value}
                    status={problem ? 'error' : undefined}
                    onChange={(q) => setEdits((e) => ({ ...e, [l.lineId]: q }))}
                  />
                  <Typography.Text type={problem ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                    {problem ?? (lim ? `可订 ${lim.minQuantity}–${lim.maxQuantity}，0 表示取消` : '')}
                  </Typography.Text>
                </Space>
              );
            },
          },
          {
            title: '状态',
            render: (_, l) => (
              <Space orientation="vertical" size={2}>
                <Tag color={LINE_STATE[l.state].color}>{LINE_STATE[l.state].text}</Tag>
                {l.reasonZh ? <Typography.Text type="danger">{l.reasonZh}</Typography.Text> : null}
              </Space>
            ),
          },
          {
            title: '替代品',
            render: (_, l) =>
              l.substitute ? (
                <div className="buyer-substitute" data-line={l.lineId}>
                  <div>
                    {l.substitute.nameZh}（{l.substitute.specZh}）{yuan(l.substitute.unitPriceFen)}
                  </div>
                  {l.substitute.certificationZh ? <div>替代品认证：{l.substitute.certificationZh}</div> : null}
                  {l.substitute.originalCertificationZh ? <Typography.Text type="secondary">原商品认证：{l.substitute.originalCertificationZh}</Typography.Text> : null}
                  {l.state === 'substitute-offered' && can('buyer_admin') && cutoff.open ? (
                    <Space style={{ marginTop: 4 }}>
                      <Button type="primary" size="small" loading={busy} onClick={() => decide(l.lineId, 'approve')}>
                        批准替代
                      </Button>
                      <Button size="small" loading={busy} onClick={() => decide(l.lineId, 'decline')}>
                        拒绝
                      </Button>
                    </Space>
                  ) : null}
                  {l.state === 'substitute-offered' && !can('buyer_admin') ? <div>须采购管理员确认</div> : null}
                </div>
              ) : (
                '—'
              ),
          },
          ...(co.status === 'delivered'
            ? [{ title: '签收 / 拒收 / 短缺 / 召回', render: (_: unknown, l: CallOffLine) => `${l.accepted ?? 0} / ${l.rejected ?? 0} / ${l.short ?? 0} / ${l.recalled ?? 0}` }]
            : []),
        ]}
      />
      {amendable && (
        <Space wrap style={{ marginTop: 12 }}>
          {addable.length > 0 && (
            <>
              <Select
                aria-label="添加合同商品"
                placeholder="添加合同商品"
                style={{ minWidth: 220 }}
                value={adding}
                onChange={setAdding}
                options={addable.map((l) => ({ value: l.lineId, label: `${l.nameZh}（${l.specZh}）${yuan(l.unitPriceFen)}` }))}
              />
              <Button
                disabled={!adding}
                onClick={() => {
                  const l = adding && limits(adding);
                  if (l) setEdits((e) => ({ ...e, [l.lineId]: l.minQuantity }));
                  setAdding(undefined);
                }}
              >
                添加
              </Button>
            </>
          )}
          <Button type="primary" loading={busy} disabled={!changes.length || problems.some(Boolean)} onClick={save}>
            保存修改
          </Button>
          {changes.length ? <Button onClick={() => setEdits({})}>放弃修改</Button> : null}
        </Space>
      )}

      <Typography.Title level={3}>记录</Typography.Title>
      <Timeline items={co.history.map((h) => ({ content: `${shanghaiTime(h.at)} ${ACTION_ZH[h.action] ?? h.action}（${h.by}）${h.note ? `：${h.note}` : ''}` }))} />
    </>
  );
}

/** What waits for the buyer admin: substitutes to decide before cut-off and over-budget call-offs. */
export function ApprovalsPage() {
  const { org, siteName } = useBuyer();
  const today = shanghaiToday();
  const open = useApi<Page<CallOff>>('orders', '/institutional/call-offs', { orgId: org._id, status: 'open', from: today, pageSize: 200 });
  const held = useApi<Page<CallOff>>('orders', '/institutional/call-offs', { orgId: org._id, status: 'awaiting-approval', pageSize: 200 });
  const withSubstitutes = (open.data?.items ?? []).filter((co) => pendingSubstitutes(co).length > 0);
  const columns = [
    { title: '配送日期', dataIndex: 'deliveryDate', render: (d: string, co: CallOff) => <Link to={`/buyer/calendar/${co._id}`}>{d}</Link> },
    { title: '收货点', dataIndex: 'siteId', render: siteName },
    { title: '截单', dataIndex: 'cutoffAt', render: (c: string) => cutoffState(c).text },
    { title: '金额', dataIndex: 'totalFen', render: yuan },
  ];
  return (
    <>
      <Typography.Title level={2}>待审批</Typography.Title>
      {(open.error ?? held.error) && <Alert type="error" showIcon title={(open.error ?? held.error)?.message} />}
      <Typography.Title level={3}>替代品待确认（截单前未确认的，该项不配送）</Typography.Title>
      {withSubstitutes.length === 0 && !open.loading ? <Empty description="没有待确认的替代品" /> : null}
      {withSubstitutes.length > 0 && (
        <Table<CallOff>
          rowKey="_id"
          dataSource={withSubstitutes}
          pagination={false}
          scroll={{ x: 800 }}
          columns={[...columns, { title: '原商品 → 替代品', render: (_, co) => pendingSubstitutes(co).map((l) => `${l.nameZh} → ${l.substitute?.nameZh}（${l.reasonZh ?? ''}）`).join('；') }]}
        />
      )}
      <Typography.Title level={3}>超预算待批准</Typography.Title>
      {(held.data?.items.length ?? 0) === 0 && !held.loading ? <Empty description="没有超预算的配送单" /> : null}
      {(held.data?.items.length ?? 0) > 0 && <Table<CallOff> rowKey="_id" dataSource={held.data?.items} pagination={false} scroll={{ x: 800 }} columns={columns} />}
    </>
  );
}
