import { Alert, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { TEMPERATURES } from '../hall/format';
import { yuanToFen } from './format';
import type { CategoryNode, MerchantView } from './types';
import { TOWNS } from './towns';
import { WithApprovedMerchant } from './use-merchant';

interface SkuForm {
  code: string;
  specZh: string;
  unit: string;
  netValue: number;
  netUnit: 'g' | 'ml' | 'piece';
  priceYuan: string;
  stock: number;
}

interface ProductForm {
  nameZh: string;
  descriptionZh: string;
  categoryId: string;
  town: string;
  tier: string;
  originDegree: string;
  temperatureClass: string;
  shelfLifeDays: number;
  skus: SkuForm[];
}

const TIER_OPTIONS = [
  { value: 'premium', label: '高端（旗舰）' },
  { value: 'mid', label: '中端（商务礼品）' },
  { value: 'mass', label: '大众（日常消费）' },
];
const ORIGIN_OPTIONS = [
  { value: 'fully_local', label: '全原产（三原）' },
  { value: 'partly_local', label: '部分原产' },
  { value: 'brand_licensed', label: '品牌授权生产' },
];

function categoryOptions(nodes: CategoryNode[]): { value: string; title: string; selectable: boolean; children: ReturnType<typeof categoryOptions> }[] {
  return nodes.map((n) => ({ value: n.id, title: n.nameZh, selectable: n.children.length === 0, children: categoryOptions(n.children) }));
}

/** The catalog's error names the field ("skus.0.priceFen: …"); the form shows the message as it is. */
function NewProductForm({ merchant }: { merchant: MerchantView }) {
  const navigate = useNavigate();
  const categories = useApi<CategoryNode[]>('catalog', '/categories');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(v: ProductForm) {
    setBusy(true);
    setError(undefined);
    try {
      const created = await api<{ id: string }>('catalog', `/merchants/${merchant.id}/products`, {
        body: {
          nameZh: v.nameZh.trim(),
          descriptionZh: v.descriptionZh.trim(),
          categoryId: v.categoryId,
          town: v.town,
          tier: v.tier,
          originDegree: v.originDegree,
          temperatureClass: v.temperatureClass,
          shelfLifeDays: v.shelfLifeDays,
          skus: v.skus.map((s) => ({
            code: s.code.trim(),
            specZh: s.specZh.trim(),
            unit: s.unit.trim(),
            netContent: { value: s.netValue, unit: s.netUnit },
            priceFen: yuanToFen(s.priceYuan),
            stock: s.stock,
          })),
        },
      });
      navigate(`/merchant/products/${created.id}?created=1`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '提交失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={`新建产品 · ${merchant.name}`} style={{ maxWidth: 960 }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<ProductForm>
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ town: merchant.town, tier: 'premium', originDegree: 'fully_local', temperatureClass: 'ambient', shelfLifeDays: 30, skus: [{ netUnit: 'g', stock: 0 }] }}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label="产品名称" name="nameZh" rules={[{ required: true, max: 40, message: '请填写产品名称（40 字以内）' }]}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label="品类" name="categoryId" rules={[{ required: true, message: '请选择具体的中类' }]}>
              <TreeSelect treeData={categoryOptions(categories.data ?? [])} loading={categories.loading} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="产品描述" name="descriptionZh" rules={[{ required: true, max: 2000, message: '请填写产品描述（2000 字以内）' }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item label="产地镇（街）" name="town" rules={[{ required: true, message: '请选择产地' }]}>
              <Select options={TOWNS.map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="品质档次" name="tier" rules={[{ required: true }]}>
              <Select options={TIER_OPTIONS} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="原产程度" name="originDegree" rules={[{ required: true }]}>
              <Select options={ORIGIN_OPTIONS} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="温区" name="temperatureClass" rules={[{ required: true }]}>
              <Select options={TEMPERATURES.map((t) => ({ value: t.id, label: t.label }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="保质期（天）" name="shelfLifeDays" rules={[{ required: true, message: '请填写保质期' }]}>
              <InputNumber min={0} max={3650} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={4}>规格（SKU）</Typography.Title>
        <Form.List name="skus">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Card key={field.key} size="small" title={`规格 ${i + 1}`} style={{ marginBottom: 12 }} extra={fields.length > 1 && <Button type="link" danger onClick={() => remove(field.name)}>删除</Button>}>
                  <Row gutter={12}>
                    <Col xs={12} md={4}>
                      <Form.Item label="SKU 编码" name={[field.name, 'code']} rules={[{ required: true, message: '请填写编码' }]}>
                        <Input maxLength={32} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item label="规格说明" name={[field.name, 'specZh']} rules={[{ required: true, message: '请填写规格' }]}>
                        <Input maxLength={40} placeholder="整只约3千克" />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={2}>
                      <Form.Item label="单位" name={[field.name, 'unit']} rules={[{ required: true, message: '单位' }]}>
                        <Input maxLength={8} placeholder="只" />
                      </Form.Item>
                    </Col>
                    <Col xs={16} md={4}>
                      <Form.Item label="净含量" required>
                        <Space.Compact>
                          <Form.Item name={[field.name, 'netValue']} noStyle rules={[{ required: true, message: '请填写净含量' }]}>
                            <InputNumber min={1} aria-label="净含量数值" />
                          </Form.Item>
                          <Form.Item name={[field.name, 'netUnit']} noStyle>
                            <Select aria-label="净含量单位" options={[{ value: 'g', label: '克' }, { value: 'ml', label: '毫升' }, { value: 'piece', label: '件' }]} style={{ width: 80 }} />
                          </Form.Item>
                        </Space.Compact>
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item
                        label="价格（元）"
                        name={[field.name, 'priceYuan']}
                        rules={[{ required: true, message: '请填写价格' }, { validator: (_, v) => (v === undefined || v === '' || (yuanToFen(v) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error('价格应为大于 0 的金额，最多两位小数'))) }]}
                      >
                        <Input prefix="¥" inputMode="decimal" />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item label="库存" name={[field.name, 'stock']} rules={[{ required: true, message: '请填写库存' }]}>
                        <InputNumber min={0} max={10_000_000} precision={0} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
              ))}
              {fields.length < 20 && (
                <Button onClick={() => add({ netUnit: 'g', stock: 0 })} style={{ marginBottom: 16 }}>
                  添加规格
                </Button>
              )}
            </>
          )}
        </Form.List>
        <div>
          <Button type="primary" htmlType="submit" loading={busy}>
            创建并上架
          </Button>
        </div>
      </Form>
    </Card>
  );
}

export function NewProductPage() {
  return (
    <>
      <Typography.Title level={2}>新建产品</Typography.Title>
      <WithApprovedMerchant>{(m) => <NewProductForm merchant={m} />}</WithApprovedMerchant>
    </>
  );
}
