import { Alert, App, Button, Card, Descriptions, Image, Input, InputNumber, Popconfirm, Space, Spin, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { yuan } from '../hall/format';
import { fenToYuanText, yuanToFen } from './format';
import { ListedSwitch } from './products-page';
import type { MerchantView, OwnProduct, OwnSku, ProductImage } from './types';
import { WithApprovedMerchant } from './use-merchant';

const MAX_BYTES = 5 * 1024 * 1024;

/** One SKU's price (typed in 元, sent in 分) and stock, saved together. */
function SkuRow({ productId, sku, onSaved }: { productId: string; sku: OwnSku; onSaved(): void }) {
  const { message } = App.useApp();
  const [price, setPrice] = useState(fenToYuanText(sku.priceFen));
  const [stock, setStock] = useState<number | null>(sku.available);
  const [busy, setBusy] = useState(false);
  const priceFen = yuanToFen(price);
  const changed = priceFen !== sku.priceFen || stock !== sku.available;
  async function save() {
    if (priceFen === undefined || priceFen <= 0) return void message.error('价格应为大于 0 的金额，最多两位小数');
    setBusy(true);
    try {
      await api('catalog', `/products/${productId}/skus/${sku.skuId}`, {
        method: 'PATCH',
        body: { ...(priceFen !== sku.priceFen ? { priceFen } : {}), ...(stock !== null && stock !== sku.available ? { stock } : {}) },
      });
      message.success(`「${sku.specZh}」已保存`);
      onSaved();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setBusy(false);
    }
  }
  return (
    <Space wrap>
      <Input prefix="¥" value={price} onChange={(e) => setPrice(e.target.value)} aria-label={`${sku.specZh} 价格（元）`} style={{ width: 140 }} status={priceFen === undefined ? 'error' : undefined} inputMode="decimal" />
      <InputNumber min={0} max={10_000_000} precision={0} value={stock} onChange={setStock} aria-label={`${sku.specZh} 库存`} addonAfter={sku.unit} />
      <Button type="primary" disabled={!changed} loading={busy} onClick={() => void save()}>
        保存
      </Button>
    </Space>
  );
}

/** Upload (checked by the catalog from the bytes: image, ≤ 5 MB), preview at 800 px, remove. */
function ProductImages({ product }: { product: OwnProduct }) {
  const { message } = App.useApp();
  const images = useApi<ProductImage[]>('catalog', `/products/${product.id}/images`);
  const [uploading, setUploading] = useState(false);
  async function remove(id: string) {
    try {
      await api('catalog', `/products/${product.id}/images/${id}`, { method: 'DELETE' });
      message.success('图片已删除');
      images.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '删除失败，请重试');
    }
  }
  return (
    <Card title="产品图片" style={{ marginBottom: 16 }}>
      {images.error && <Alert type="error" showIcon title={images.error.message} style={{ marginBottom: 12 }} />}
      <Image.PreviewGroup>
        <Space wrap size={16} style={{ marginBottom: 16 }}>
          {images.data?.map((img, i) => (
            <div key={img.id} className="merchant-image" data-image={img.id}>
              <Image src={img.urls.w320} preview={{ src: img.urls.w800 }} width={160} alt={`${product.name} 图片 ${i + 1}`} />
              <div>
                <Popconfirm title="删除这张图片？" okText="删除" cancelText="取消" onConfirm={() => void remove(img.id)}>
                  <Button type="link" danger size="small">
                    删除
                  </Button>
                </Popconfirm>
              </div>
            </div>
          ))}
          {images.data?.length === 0 && <Typography.Text type="secondary">还没有图片。有图片的产品在品牌馆里更醒目。</Typography.Text>}
        </Space>
      </Image.PreviewGroup>
      <Upload
        accept="image/jpeg,image/png,image/webp,image/avif,image/heic,image/heif"
        showUploadList={false}
        disabled={uploading}
        beforeUpload={(file) => {
          if (file.size > MAX_BYTES) {
            message.error('图片不能超过 5 MB');
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        customRequest={async ({ file, onSuccess, onError }) => {
          const form = new FormData();
          form.append('file', file as Blob);
          setUploading(true);
          try {
            const result = await api<ProductImage>('catalog', `/products/${product.id}/images`, { body: form });
            message.success('图片已上传');
            onSuccess?.(result);
            images.reload();
          } catch (e) {
            message.error(e instanceof ApiError ? e.message : '上传失败，请重试');
            onError?.(e as Error);
          } finally {
            setUploading(false);
          }
        }}
      >
        <Button loading={uploading}>上传图片</Button>
      </Upload>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        支持 JPEG、PNG、WebP 等格式，单张不超过 5 MB，宽高至少 100 像素；系统会自动生成适合手机和电脑的尺寸。
      </Typography.Paragraph>
    </Card>
  );
}

function ProductDetail({ merchant, productId }: { merchant: MerchantView; productId: string }) {
  const products = useApi<OwnProduct[]>('catalog', `/merchants/${merchant.id}/products`);
  const [params] = useSearchParams();
  const product = products.data?.find((p) => p.id === productId);
  if (products.error) return <Alert type="error" showIcon title={products.error.message} />;
  if (!products.data) return <Spin />;
  if (!product) return <Alert type="warning" showIcon title="没有找到这个产品" description={<Link to="/merchant/products">返回产品列表</Link>} />;
  return (
    <>
      <Typography.Title level={2}>{product.name}</Typography.Title>
      {params.get('created') && <Alert type="success" showIcon title="产品已创建并上架，可以上传图片，再申请认证（通过认证后消费者才能购买）" style={{ marginBottom: 16 }} />}
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 3 }}>
          <Descriptions.Item label="上架">
            <ListedSwitch product={product} onChanged={products.reload} />
          </Descriptions.Item>
          <Descriptions.Item label="认证">{product.starLevel ? '★'.repeat(product.starLevel) : '未认证'}</Descriptions.Item>
          <Descriptions.Item label="起售价">{yuan(product.minPriceFen)}</Descriptions.Item>
        </Descriptions>
        <Link to={`/merchant/certification?product=${product.id}`}>申请认证 →</Link>
      </Card>
      <ProductImages product={product} />
      <Card title="规格、价格与库存">
        <Table<OwnSku>
          rowKey="skuId"
          dataSource={product.skus}
          pagination={false}
          scroll={{ x: 640 }}
          columns={[
            { title: '编码', dataIndex: 'code', width: 100 },
            { title: '规格', dataIndex: 'specZh' },
            { title: '当前', key: 'now', width: 160, render: (_, s) => `${yuan(s.priceFen)}/${s.unit} · 库存 ${s.available}` },
            { title: '修改价格与库存', key: 'edit', render: (_, s) => <SkuRow key={`${s.priceFen}-${s.available}`} productId={product.id} sku={s} onSaved={products.reload} /> },
          ]}
        />
      </Card>
    </>
  );
}

export function ProductDetailPage() {
  const { productId = '' } = useParams();
  return <WithApprovedMerchant>{(m) => <ProductDetail merchant={m} productId={productId} />}</WithApprovedMerchant>;
}
