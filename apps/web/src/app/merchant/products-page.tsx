import { Alert, App, Button, Empty, Image, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useApi } from '../api/use-api';
import { imageSrc, yuan } from '../hall/format';
import type { MerchantView, OwnProduct } from './types';
import { WithApprovedMerchant } from './use-merchant';

/** Turns a product's sale on or off (the catalog publishes the change to the other services). */
export function ListedSwitch({ product, onChanged }: { product: OwnProduct; onChanged(): void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  async function toggle(listed: boolean) {
    setBusy(true);
    try {
      await api('catalog', `/products/${product.id}/listed`, { method: 'PUT', body: { listed } });
      message.success(listed ? `「${product.name}」已上架` : `「${product.name}」已下架`);
      onChanged();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败，请重试');
    } finally {
      setBusy(false);
    }
  }
  return (
    <Switch
      checked={product.listed}
      loading={busy}
      checkedChildren="在售"
      unCheckedChildren="已下架"
      aria-label={`${product.name} 上架状态`}
      onChange={(v) => void toggle(v)}
    />
  );
}

function ProductTable({ merchant }: { merchant: MerchantView }) {
  const products = useApi<OwnProduct[]>('catalog', `/merchants/${merchant.id}/products`);
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Link to="/merchant/products/new">
          <Button type="primary">新建产品</Button>
        </Link>
      </Space>
      {products.error && <Alert type="error" showIcon title={products.error.message} />}
      {products.data?.length === 0 ? (
        <Empty description="还没有产品，先新建一个吧" />
      ) : (
        <Table<OwnProduct>
          rowKey="id"
          loading={products.loading}
          dataSource={products.data}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 800 }}
          columns={[
            {
              title: '图片',
              key: 'image',
              width: 96,
              render: (_, p) =>
                p.images[0] ? <Image src={imageSrc(p.images[0], 320)} preview={{ src: imageSrc(p.images[0], 800) }} width={72} alt={p.name} /> : <Tag>无图片</Tag>,
            },
            { title: '产品', dataIndex: 'name', render: (name: string, p) => <Link to={`/merchant/products/${p.id}`}>{name}</Link> },
            {
              title: '规格 · 价格 · 库存',
              key: 'skus',
              render: (_, p) => (
                <Space orientation="vertical" size={0}>
                  {p.skus.map((s) => (
                    <span key={s.skuId}>
                      {s.specZh} · {yuan(s.priceFen)}/{s.unit} · 库存 {s.available}
                    </span>
                  ))}
                </Space>
              ),
            },
            { title: '认证', dataIndex: 'starLevel', width: 90, render: (level: number) => (level ? `${'★'.repeat(level)}` : <Tag>未认证</Tag>) },
            { title: '上架', key: 'listed', width: 110, render: (_, p) => <ListedSwitch product={p} onChanged={products.reload} /> },
            { title: '操作', key: 'actions', width: 90, render: (_, p) => <Link to={`/merchant/products/${p.id}`}>管理</Link> },
          ]}
        />
      )}
    </>
  );
}

export function ProductsPage() {
  return (
    <>
      <Typography.Title level={2}>产品与库存</Typography.Title>
      <WithApprovedMerchant>{(m) => <ProductTable merchant={m} />}</WithApprovedMerchant>
    </>
  );
}
