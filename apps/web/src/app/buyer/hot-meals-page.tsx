import { Alert, App, Button, Form, Input, InputNumber, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { useBuyer } from './buyer-context';
import { addDays, CALL_OFF_STATUS, cutoffState, shanghaiTime, shanghaiToday, yuan } from './format';
import type { CallOff, Contract, Page } from './types';

interface HotMealForm {
  contractId: string;
  siteId: string;
  serviceDate: string;
  from: string;
  until: string;
  quantities: Record<string, number | null>;
}

/** 优餐: lunch portions ordered by the morning cut-off of the service day (e.g. 09:30), and the orders so far. */
export function HotMealsPage() {
  const { org, sites, siteName, can } = useBuyer();
  const { message } = App.useApp();
  const [form] = Form.useForm<HotMealForm>();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const contracts = useApi<Page<Contract>>('orders', '/institutional/contracts', { orgId: org._id, status: 'active', pageSize: 100 });
  const today = shanghaiToday();
  const orders = useApi<Page<CallOff>>('orders', '/institutional/call-offs', { orgId: org._id, channel: 'hot_meal', from: addDays(today, -14), pageSize: 200 });
  const withMeals = (contracts.data?.items ?? []).filter((c) => c.lines.some((l) => l.temperatureClass === 'hot'));
  const contractId = Form.useWatch('contractId', form) ?? withMeals[0]?._id;
  const contract = withMeals.find((c) => c._id === contractId);
  const hotLines = contract?.lines.filter((l) => l.temperatureClass === 'hot') ?? [];

  async function submit(v: HotMealForm) {
    setBusy(true);
    setRefusal(undefined);
    try {
      const lines = hotLines.map((l) => ({ lineId: l.lineId, quantity: v.quantities?.[l.lineId] ?? 0 })).filter((l) => l.quantity > 0);
      const created = await api<CallOff>('orders', `/institutional/organisations/${org._id}/hot-meals`, {
        body: { contractId: v.contractId, siteId: v.siteId, serviceDate: v.serviceDate, window: { from: v.from, until: v.until }, lines },
      });
      message.success(`已下单：${created.deliveryDate} 优餐 ${created.lines.map((l) => `${l.nameZh}×${l.quantity}`).join('，')}`);
      orders.reload();
    } catch (error) {
      const text = error instanceof ApiError ? error.message : '下单失败，请重试';
      setRefusal(text);
      message.error(text);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Typography.Title level={2}>优餐订餐</Typography.Title>
      <Typography.Paragraph type="secondary">
        热链配送的营养午餐：送餐当天 {contract?.hotMealCutoff ?? '09:30'} 前下单；中央厨房出餐后保温（中心温度 ≥ 60 °C）送达，学校和医院的每批餐都会生成留样任务。
      </Typography.Paragraph>
      {contracts.error && <Alert type="error" showIcon title={contracts.error.message} />}
      {!can('orderer', 'buyer_admin') && <Alert type="info" showIcon title="只有订货员或采购管理员可以订餐。" />}
      {contracts.data && withMeals.length === 0 && <Alert type="info" showIcon title="本单位的合同中没有优餐商品。" />}
      {withMeals.length > 0 && can('orderer', 'buyer_admin') && (
        <Form<HotMealForm>
          form={form}
          layout="inline"
          onFinish={submit}
          initialValues={{ contractId: withMeals[0]._id, siteId: sites[0]?._id, serviceDate: addDays(today, 1), from: '11:30', until: '12:15' }}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item label="合同" name="contractId" rules={[{ required: true, message: '请选择合同' }]}>
            <Select style={{ minWidth: 220 }} options={withMeals.map((c) => ({ value: c._id, label: c.number }))} />
          </Form.Item>
          <Form.Item label="收货点" name="siteId" rules={[{ required: true, message: '请选择收货点' }]}>
            <Select style={{ minWidth: 180 }} options={sites.map((s) => ({ value: s._id, label: s.name }))} />
          </Form.Item>
          <Form.Item label="送餐日期" name="serviceDate" rules={[{ required: true, message: '请选择日期' }]}>
            <Input type="date" />
          </Form.Item>
          <Form.Item label="送达自" name="from" rules={[{ required: true, message: '请填写时间' }]}>
            <Input type="time" />
          </Form.Item>
          <Form.Item label="至" name="until" rules={[{ required: true, message: '请填写时间' }]}>
            <Input type="time" />
          </Form.Item>
          {hotLines.map((l) => (
            <Form.Item
              key={l.lineId}
              label={`${l.nameZh}（${yuan(l.unitPriceFen)}/${l.specZh}）份数`}
              name={['quantities', l.lineId]}
              rules={[{ type: 'number', min: l.minQuantity, max: l.maxQuantity, message: `合同约定每次 ${l.minQuantity}–${l.maxQuantity} 份` }]}
            >
              <InputNumber min={0} precision={0} placeholder={`${l.minQuantity}–${l.maxQuantity}`} />
            </Form.Item>
          ))}
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              下单
            </Button>
          </Form.Item>
        </Form>
      )}
      {refusal && <Alert type="error" showIcon closable title={refusal} role="alert" style={{ marginBottom: 12 }} />}
      <Typography.Title level={3}>近期优餐订单</Typography.Title>
      {orders.error && <Alert type="error" showIcon title={orders.error.message} />}
      <Table<CallOff>
        rowKey="_id"
        loading={orders.loading}
        dataSource={orders.data?.items}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: '暂无优餐订单' }}
        columns={[
          { title: '送餐日期', dataIndex: 'deliveryDate', render: (d: string, co) => <Link to={`/buyer/calendar/${co._id}`}>{d}</Link> },
          { title: '收货点', dataIndex: 'siteId', render: siteName },
          { title: '份数', render: (_, co) => co.lines.map((l) => `${l.nameZh}×${l.quantity}`).join('，') },
          { title: '截单', dataIndex: 'cutoffAt', render: (c: string) => cutoffState(c).text },
          { title: '出餐', render: (_, co) => (co.batch ? `${shanghaiTime(co.batch.cookedAt)}（车程 ≤ ${co.batch.maxRideMinutes} 分钟）` : '—') },
          { title: '状态', dataIndex: 'status', render: (s: CallOff['status']) => <Tag color={CALL_OFF_STATUS[s].color}>{CALL_OFF_STATUS[s].text}</Tag> },
        ]}
      />
    </>
  );
}
