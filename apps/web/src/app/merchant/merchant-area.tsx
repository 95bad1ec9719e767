import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Select, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Route, Routes } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { ConsoleFrame } from '../console/console-frame';
import { useSession } from '../shell/session';
import { CertificationPage } from './certification-page';
import { NewProductPage } from './new-product-page';
import { ProductDetailPage } from './product-detail-page';
import { ProductsPage } from './products-page';
import { TOWNS } from './towns';
import type { MerchantView } from './types';

export type { MerchantView } from './types';

const STATUS_COLOR: Record<string, string> = { pending: 'processing', approved: 'success', rejected: 'error' };

interface RegistrationForm {
  name: string;
  creditCode: string;
  licenceDocument: string;
  town: string;
  contactName: string;
  contactPhone: string;
}

/** Register an enterprise; the operator reviews it within 2 working days. */
function RegisterEnterprise({ onDone }: { onDone(): void }) {
  const { message } = App.useApp();
  const { reload } = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(values: RegistrationForm) {
    setBusy(true);
    setError(undefined);
    try {
      await api('catalog', '/merchants', {
        body: {
          name: values.name.trim(),
          creditCode: values.creditCode.trim(),
          licenceDocument: values.licenceDocument.trim(),
          town: values.town,
          contact: { name: values.contactName.trim(), phone: values.contactPhone.trim() },
        },
      });
      // The session learns the new enterprise, so certification accepts this account's calls for it.
      await reload({ refresh: true });
      message.success('已提交入驻申请，请等待审核（2 个工作日内）');
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '提交失败，请重试');
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title="登记企业（入驻申请）" style={{ maxWidth: 640 }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<RegistrationForm> layout="vertical" onFinish={(v) => void submit(v)} requiredMark>
        <Form.Item label="企业名称" name="name" rules={[{ required: true, message: '请填写企业名称' }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item label="统一社会信用代码" name="creditCode" rules={[{ required: true, len: 18, message: '统一社会信用代码为 18 位' }]}>
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item label="营业执照（文件编号或存储地址）" name="licenceDocument" rules={[{ required: true, message: '请提供营业执照' }]}>
          <Input maxLength={300} placeholder="doc:licences/2026/xxx.pdf" />
        </Form.Item>
        <Form.Item label="所在镇（街）" name="town" rules={[{ required: true, message: '请选择所在镇（街）' }]}>
          <Select options={TOWNS.map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item label="联系人" name="contactName" rules={[{ required: true, message: '请填写联系人' }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item label="联系电话" name="contactPhone" rules={[{ required: true, pattern: /^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, message: '请填写手机或座机号码' }]}>
          <Input maxLength={20} inputMode="tel" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          提交入驻申请
        </Button>
      </Form>
    </Card>
  );
}

function MerchantHome() {
  const mine = useApi<MerchantView[]>('catalog', '/merchants/mine');
  const [registering, setRegistering] = useState(false);
  return (
    <>
      <Typography.Title level={2}>我的企业</Typography.Title>
      {mine.error && <Alert type="error" showIcon title={mine.error.message} />}
      {mine.loading && !mine.data && <Spin />}
      {mine.data?.length === 0 && !registering && <Empty description="尚未登记企业" />}
      {mine.data?.map((m) => (
        <Card key={m.id} title={m.name} extra={<Tag color={STATUS_COLOR[m.status]}>{m.statusZh ?? m.status}</Tag>} style={{ marginBottom: 16 }} data-merchant={m.id}>
          <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
            <Descriptions.Item label="统一社会信用代码">{m.creditCode}</Descriptions.Item>
            <Descriptions.Item label="提交时间">{new Date(m.submittedAt).toLocaleString('zh-CN', { hour12: false })}</Descriptions.Item>
            {m.reviewDueBy && <Descriptions.Item label="预计审核完成">{new Date(m.reviewDueBy).toLocaleString('zh-CN', { hour12: false })} 前</Descriptions.Item>}
            {m.rejectionReason && <Descriptions.Item label="驳回理由">{m.rejectionReason}</Descriptions.Item>}
          </Descriptions>
        </Card>
      ))}
      {registering ? (
        <RegisterEnterprise
          onDone={() => {
            setRegistering(false);
            mine.reload();
          }}
        />
      ) : (
        <Button type="primary" onClick={() => setRegistering(true)}>
          登记新企业
        </Button>
      )}
    </>
  );
}

export default function MerchantArea() {
  return (
    <ConsoleFrame
      title="商家中心"
      links={[
        { to: '/merchant', label: '我的企业' },
        { to: '/merchant/products', label: '产品与库存' },
        { to: '/merchant/certification', label: '认证与证书' },
      ]}
    >
      <Routes>
        <Route index element={<MerchantHome />} />
        <Route path="products" element={<ProductsPage />} />
        <Route path="products/new" element={<NewProductPage />} />
        <Route path="products/:productId" element={<ProductDetailPage />} />
        <Route path="certification" element={<CertificationPage />} />
      </Routes>
    </ConsoleFrame>
  );
}
