import { Alert, App, Button, Card, Descriptions, Flex, Input, InputNumber, Modal, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Route, Routes } from 'react-router';
import { api } from '../api/client';
import { useApi } from '../api/use-api';
import { ConsoleFrame } from '../console/console-frame';
import { projector, ROUTE_COLOURS } from './route-plot';

type TemperatureClass = 'frozen' | 'chilled' | 'ambient' | 'hot';
const CLASS_ZH: Record<TemperatureClass, string> = { frozen: '冷冻', chilled: '冷藏', ambient: '常温', hot: '热链' };
const STATUS_ZH: Record<string, string> = { pending: '待排线', planned: '已排线', dispatched: '配送中', arrived: '已到达', delivered: '已签收', withdrawn: '已撤回' };
const PLAN_STATUS_ZH: Record<string, string> = { queued: '排队中', running: '计算中', done: '已完成', failed: '失败', cancelled: '已取消', published: '已发布' };

interface Depot {
  id: string;
  nameZh: string;
  lat: number;
  lng: number;
}
interface Shipment {
  id: string;
  requestId: string;
  orderId: string;
  channel: string;
  status: string;
  address: { text: string; lat: number; lng: number };
  windowFrom: string;
  windowUntil: string;
  vehicleId?: string;
  maxRideMinutes?: number;
  lines: { lineId: string; nameZh: string; quantity: number; temperatureClass: TemperatureClass; holdStatus?: string }[];
}
interface RouteView {
  vehicleId: string;
  departure: string;
  distanceKm: number;
  stops: { shipmentId: string; arrival: string }[];
}
interface Plan {
  id: string;
  status: string;
  timeLimitMs: number;
  progress: { elapsedMs: number; bestCost: number | null; vehicles: number; distanceKm: number }[];
  routes?: RouteView[];
  unserved?: { shipmentId: string; reasonZh: string }[];
  edits: { locks: Record<string, string> };
  cost?: number;
  distanceKm?: number;
  error?: string;
}
interface Vehicle {
  _id: string;
  plate: string;
  compartments: { temperatureClass: TemperatureClass; capacityKg: number }[];
}

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const hhmm = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });

function useDepot(): [string | undefined, (id: string) => void, Depot[] | undefined] {
  const depots = useApi<{ items: Depot[] }>('logistics', '/depots');
  const [chosen, setChosen] = useState<string>();
  return [chosen ?? depots.data?.items[0]?.id, setChosen, depots.data?.items];
}

function DepotPicker({ depot, setDepot, depots }: { depot?: string; setDepot: (id: string) => void; depots?: Depot[] }) {
  return (
    <label>
      配送中心{' '}
      <Select aria-label="配送中心" style={{ minWidth: 200 }} value={depot} onChange={setDepot} options={(depots ?? []).map((d) => ({ value: d.id, label: d.nameZh }))} />
    </label>
  );
}

/** The stops of a plan as SVG: the depot, every stop, each route as a coloured line in visiting order. */
function RoutePlot({ depot, shipments, plan }: { depot: Depot; shipments: Shipment[]; plan: Plan }) {
  const byId = new Map(shipments.map((s) => [s.id, s]));
  const points = [{ lat: depot.lat, lng: depot.lng }, ...shipments.map((s) => s.address)];
  const project = projector(points, 640, 420);
  const d = project(depot);
  return (
    <svg viewBox="0 0 640 420" width="100%" role="img" aria-label="路线图" style={{ background: '#f7f9fc', border: '1px solid #e5e5e5', maxWidth: 640 }}>
      {(plan.routes ?? []).map((r, i) => {
        const path = [d, ...r.stops.map((s) => byId.get(s.shipmentId)).filter((s): s is Shipment => !!s).map((s) => project(s.address)), d];
        return <polyline key={r.vehicleId} data-vehicle={r.vehicleId} points={path.map((p) => `${p.x},${p.y}`).join(' ')} fill="none" stroke={ROUTE_COLOURS[i % ROUTE_COLOURS.length]} strokeWidth={2} />;
      })}
      {shipments.map((s) => {
        const p = project(s.address);
        const hot = s.lines.some((l) => l.temperatureClass === 'hot');
        return (
          <circle key={s.id} data-stop={s.id} cx={p.x} cy={p.y} r={5} fill={hot ? '#fa541c' : '#1677ff'} stroke="#fff">
            <title>{`${s.address.text}（${hhmm(s.windowFrom)}–${hhmm(s.windowUntil)}）`}</title>
          </circle>
        );
      })}
      <rect x={d.x - 7} y={d.y - 7} width={14} height={14} fill="#222">
        <title>{depot.nameZh}</title>
      </rect>
    </svg>
  );
}

function PlanBoard() {
  const { message } = App.useApp();
  const [depot, setDepot, depots] = useDepot();
  const [date, setDate] = useState(chinaToday());
  const [seconds, setSeconds] = useState(10);
  const [planId, setPlanId] = useState<string>();
  const [plan, setPlan] = useState<Plan>();
  const shipments = useApi<{ items: Shipment[]; total: number }>('logistics', depot ? `/depots/${depot}/shipments` : undefined, { date, limit: 500 });
  const vehicles = useApi<{ items: Vehicle[] }>('logistics', depot ? `/depots/${depot}/vehicles` : undefined);
  const plans = useApi<{ items: Plan[] }>('logistics', depot ? `/depots/${depot}/plans` : undefined, { date });

  // Follow the chosen plan: poll while it runs (a progress bar of time used and best cost so far).
  const currentId = planId ?? plans.data?.items[0]?.id;
  useEffect(() => {
    if (!currentId) return;
    let stop = false;
    const tick = async () => {
      try {
        const p = await api<Plan>('logistics', `/plans/${currentId}`);
        if (stop) return;
        setPlan(p);
        if (p.status === 'queued' || p.status === 'running') setTimeout(() => void tick(), 1000);
        else shipments.reload();
      } catch {
        if (!stop) setTimeout(() => void tick(), 2000);
      }
    };
    void tick();
    return () => {
      stop = true;
    };
  }, [currentId, shipments.reload]);

  const act = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
      message.success(what);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const start = () => act('已开始排线', async () => setPlanId((await api<Plan>('logistics', `/depots/${depot}/plans`, { body: { date, timeLimitSeconds: seconds } })).id));
  const replan = () => act('已按调整重新排线', async () => setPlanId((await api<Plan>('logistics', `/plans/${plan?.id}/replan`, { body: { timeLimitSeconds: seconds } })).id));
  const move = (shipmentId: string, vehicleId: string | null) =>
    act(vehicleId ? '已锁定到车辆，请重新排线' : '已解除锁定', async () => setPlan(await api<Plan>('logistics', `/plans/${plan?.id}/locks`, { body: { shipmentId, vehicleId } })));

  const running = plan && (plan.status === 'queued' || plan.status === 'running');
  const last = plan?.progress.at(-1);
  const percent = plan ? (running ? Math.min(99, Math.round(((last?.elapsedMs ?? 0) / plan.timeLimitMs) * 100)) : 100) : 0;
  const depotDoc = depots?.find((d) => d.id === depot);
  const byId = useMemo(() => new Map((shipments.data?.items ?? []).map((s) => [s.id, s])), [shipments.data]);
  const plates = new Map((vehicles.data?.items ?? []).map((v) => [v._id, v.plate]));

  return (
    <>
      <Typography.Title level={2}>今日调度</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <DepotPicker depot={depot} setDepot={setDepot} depots={depots} />
        {/* The inputs carry their names (aria-label): antd controls are not seen by jsx-a11y inside a <label>. */}
        <span>
          日期 <Input aria-label="日期" type="date" value={date} onChange={(e) => setDate(e.target.value)} style={{ width: 160 }} />
        </span>
        <span>
          计算时间（秒） <InputNumber aria-label="计算时间（秒）" min={1} max={300} value={seconds} onChange={(v) => setSeconds(v ?? 10)} />
        </span>
        <Button type="primary" onClick={start} disabled={!depot || !!running}>
          开始排线
        </Button>
      </Space>
      {shipments.error && <Alert type="error" showIcon title={shipments.error.message} />}
      {plan && (
        <Card title={`排线方案 ${plan.id}`} style={{ marginBottom: 16 }} extra={<Tag>{PLAN_STATUS_ZH[plan.status] ?? plan.status}</Tag>}>
          <Progress percent={percent} status={running ? 'active' : plan.status === 'failed' ? 'exception' : 'success'} aria-label="排线进度" />
          <Descriptions size="small" column={4}>
            <Descriptions.Item label="当前最优成本">{last?.bestCost ?? plan.cost ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="车辆数">{plan.routes?.length ?? last?.vehicles ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="里程（公里）">{plan.distanceKm ?? last?.distanceKm ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="进度点">{plan.progress.length}</Descriptions.Item>
          </Descriptions>
          {plan.error && <Alert type="error" showIcon title={plan.error} />}
          <Space wrap>
            {running && <Button onClick={() => act('已取消', () => api('logistics', `/plans/${plan.id}/cancel`, { body: {} }))}>取消</Button>}
            {!running && plan.status !== 'published' && plan.routes && (
              <>
                <Button onClick={replan}>按调整重新排线</Button>
                <Button type="primary" onClick={() => act('方案已发布，运单已下发司机', async () => setPlan(await api<Plan>('logistics', `/plans/${plan.id}/publish`, { body: {} })))}>
                  发布方案
                </Button>
              </>
            )}
          </Space>
          {!running && depotDoc && plan.routes && (
            <Flex gap={16} wrap style={{ marginTop: 16 }}>
              <RoutePlot depot={depotDoc} shipments={shipments.data?.items ?? []} plan={plan} />
              <div style={{ flex: 1, minWidth: 320 }}>
                {plan.routes.map((r, i) => (
                  <Card
                    key={r.vehicleId}
                    size="small"
                    data-route={r.vehicleId}
                    title={<span style={{ color: ROUTE_COLOURS[i % ROUTE_COLOURS.length] }}>{`${plates.get(r.vehicleId) ?? r.vehicleId} · ${hhmm(r.departure)} 出发 · ${r.distanceKm} 公里`}</span>}
                    style={{ marginBottom: 8 }}
                    onDragOver={(e) => e.preventDefault()}
                    onDrop={(e) => void move(e.dataTransfer.getData('text/plain'), r.vehicleId)}
                    extra={
                      plan.status === 'published' ? (
                        <Button size="small" onClick={() => act('车辆已发车', () => api('logistics', `/plans/${plan.id}/routes/${r.vehicleId}/dispatch`, { body: {} }))}>
                          发车
                        </Button>
                      ) : undefined
                    }
                  >
                    <ol style={{ margin: 0, paddingLeft: 20 }}>
                      {r.stops.map((s) => {
                        const sh = byId.get(s.shipmentId);
                        return (
                          // Dragging is a mouse shortcut; the Select below moves the stop by keyboard.
                          // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
                          <li key={s.shipmentId} draggable onDragStart={(e) => e.dataTransfer.setData('text/plain', s.shipmentId)} data-stop-item={s.shipmentId}>
                            {hhmm(s.arrival)} {sh?.address.text ?? s.shipmentId} {sh?.lines.some((l) => l.temperatureClass === 'hot') && <Tag color="volcano">热餐</Tag>}
                            {plan.edits.locks[s.shipmentId] && <Tag color="blue">已锁定</Tag>}{' '}
                            <Select
                              size="small"
                              aria-label={`移动 ${s.shipmentId}`}
                              placeholder="移到车辆"
                              style={{ width: 130 }}
                              value={null}
                              onChange={(v: string) => void move(s.shipmentId, v)}
                              options={(vehicles.data?.items ?? []).map((v) => ({ value: v._id, label: v.plate }))}
                            />
                          </li>
                        );
                      })}
                    </ol>
                  </Card>
                ))}
                {(plan.unserved ?? []).length > 0 && (
                  <Alert type="warning" showIcon title="未能排入的站点" description={<ul>{plan.unserved?.map((u) => <li key={u.shipmentId}>{`${byId.get(u.shipmentId)?.address.text ?? u.shipmentId}：${u.reasonZh}`}</li>)}</ul>} />
                )}
              </div>
            </Flex>
          )}
        </Card>
      )}
      <Table<Shipment>
        rowKey="id"
        loading={shipments.loading}
        dataSource={shipments.data?.items}
        pagination={{ pageSize: 50 }}
        locale={{ emptyText: '当天没有运单' }}
        columns={[
          { title: '订单', dataIndex: 'orderId' },
          { title: '地址', render: (_, s) => s.address.text },
          { title: '时间窗', render: (_, s) => `${hhmm(s.windowFrom)}–${hhmm(s.windowUntil)}` },
          { title: '货物', render: (_, s) => s.lines.map((l) => <Tag key={l.lineId} color={l.holdStatus === 'held' ? 'red' : undefined}>{`${l.nameZh} ×${l.quantity}（${CLASS_ZH[l.temperatureClass]}）`}</Tag>) },
          { title: '车辆', render: (_, s) => (s.vehicleId ? (plates.get(s.vehicleId) ?? s.vehicleId) : '—') },
          { title: '状态', render: (_, s) => STATUS_ZH[s.status] ?? s.status },
        ]}
      />
    </>
  );
}

interface Compartment {
  deviceId: string;
  vehicleId: string;
  temperatureClass: TemperatureClass;
  limits: { minC?: number; maxC?: number };
  latest: { at: string; c: number } | null;
  outOfRangeSince: string | null;
  excursionId: string | null;
}

function Temperatures() {
  const [depot, setDepot, depots] = useDepot();
  const live = useApi<{ items: Compartment[] }>('logistics', depot ? `/depots/${depot}/temperatures` : undefined);
  useEffect(() => {
    const t = setInterval(live.reload, 5000);
    return () => clearInterval(t);
  }, [live.reload]);
  const limits = (c: Compartment) => (c.limits.minC !== undefined && c.limits.maxC !== undefined ? `${c.limits.minC}–${c.limits.maxC} °C` : c.limits.maxC !== undefined ? `≤ ${c.limits.maxC} °C` : c.limits.minC !== undefined ? `≥ ${c.limits.minC} °C` : '不监控');
  return (
    <>
      <Typography.Title level={2}>车厢温度</Typography.Title>
      <DepotPicker depot={depot} setDepot={setDepot} depots={depots} />
      {live.error && <Alert type="error" showIcon title={live.error.message} />}
      <Table<Compartment>
        rowKey="deviceId"
        style={{ marginTop: 16 }}
        dataSource={live.data?.items}
        pagination={false}
        columns={[
          { title: '车辆', dataIndex: 'vehicleId' },
          { title: '温区', render: (_, c) => CLASS_ZH[c.temperatureClass] },
          { title: '阈值', render: (_, c) => limits(c) },
          { title: '当前温度', render: (_, c) => (c.latest ? `${c.latest.c.toFixed(1)} °C（${hhmm(c.latest.at)}）` : '无数据') },
          { title: '状态', render: (_, c) => (c.excursionId ? <Tag color="red">温度异常</Tag> : c.outOfRangeSince ? <Tag color="orange">超出阈值</Tag> : <Tag color="green">正常</Tag>) },
        ]}
      />
    </>
  );
}

interface Hold {
  _id: string;
  shipmentId: string;
  orderId: string;
  nameZh: string;
  quantity: number;
  cause: 'excursion' | 'recall';
  status: string;
  heldAt: string;
  reason?: string;
  decidedBy?: string;
}

function Exceptions() {
  const { message } = App.useApp();
  const held = useApi<{ items: Hold[] }>('logistics', '/holds', { status: 'held', limit: 200 });
  const recalls = useApi<{ items: Hold[] }>('logistics', '/holds', { cause: 'recall', limit: 200 });
  const decided = useApi<{ items: Hold[] }>('logistics', '/holds', { cause: 'excursion', limit: 200 });
  const [deciding, setDeciding] = useState<{ hold: Hold; decision: 'release' | 'reject' }>();
  const [reason, setReason] = useState('');
  const submit = async () => {
    if (!deciding) return;
    try {
      await api('logistics', `/holds/${deciding.hold._id}/decision`, { body: { decision: deciding.decision, reason } });
      message.success(deciding.decision === 'release' ? '已放行' : '已拒收，已通知订单退款或补发');
      setDeciding(undefined);
      setReason('');
      held.reload();
      decided.reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <>
      <Typography.Title level={2}>异常与召回</Typography.Title>
      {held.error && <Alert type="error" showIcon title={held.error.message} />}
      <Typography.Title level={4}>待质检（温度异常扣留）</Typography.Title>
      <Table<Hold>
        rowKey="_id"
        dataSource={held.data?.items.filter((h) => h.cause === 'excursion')}
        pagination={false}
        locale={{ emptyText: '没有待质检的货物' }}
        columns={[
          { title: '货物', render: (_, h) => `${h.nameZh} ×${h.quantity}` },
          { title: '订单', dataIndex: 'orderId' },
          { title: '扣留时间', render: (_, h) => new Date(h.heldAt).toLocaleString('zh-CN') },
          {
            title: '质检结论',
            render: (_, h) => (
              <Space>
                <Button onClick={() => setDeciding({ hold: h, decision: 'release' })}>放行</Button>
                <Button danger onClick={() => setDeciding({ hold: h, decision: 'reject' })}>拒收</Button>
              </Space>
            ),
          },
        ]}
      />
      <Typography.Title level={4}>已处理</Typography.Title>
      <Table<Hold>
        rowKey="_id"
        dataSource={decided.data?.items.filter((h) => h.status !== 'held')}
        pagination={false}
        columns={[
          { title: '货物', render: (_, h) => `${h.nameZh} ×${h.quantity}` },
          { title: '结论', render: (_, h) => (h.status === 'released' ? <Tag color="green">放行</Tag> : <Tag color="red">拒收</Tag>) },
          { title: '理由', dataIndex: 'reason' },
          { title: '决定人', dataIndex: 'decidedBy' },
        ]}
      />
      <Typography.Title level={4}>召回</Typography.Title>
      <Table<Hold>
        rowKey="_id"
        dataSource={recalls.data?.items}
        pagination={false}
        locale={{ emptyText: '没有召回' }}
        columns={[
          { title: '货物', render: (_, h) => `${h.nameZh} ×${h.quantity}` },
          { title: '订单', dataIndex: 'orderId' },
          { title: '原因', dataIndex: 'reason' },
          { title: '时间', render: (_, h) => new Date(h.heldAt).toLocaleString('zh-CN') },
        ]}
      />
      <Modal title={deciding?.decision === 'release' ? '放行' : '拒收'} open={!!deciding} onOk={() => void submit()} onCancel={() => setDeciding(undefined)} okText="确定" cancelText="取消">
        <p>{deciding && `${deciding.hold.nameZh} ×${deciding.hold.quantity}`}</p>
        <div>
          理由
          <Input.TextArea aria-label="理由" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
        </div>
      </Modal>
    </>
  );
}

export default function DispatchArea() {
  return (
    <ConsoleFrame
      title="物流调度"
      links={[
        { to: '/dispatch', label: '今日调度' },
        { to: '/dispatch/temperatures', label: '车厢温度' },
        { to: '/dispatch/exceptions', label: '异常与召回' },
      ]}
    >
      <Routes>
        <Route index element={<PlanBoard />} />
        <Route path="temperatures" element={<Temperatures />} />
        <Route path="exceptions" element={<Exceptions />} />
      </Routes>
    </ConsoleFrame>
  );
}
