import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import sharp from 'sharp';
import { EVENT_TYPES, type ProductUpsertedV1 } from '@techan/common';
import { call, startHarness, type Harness } from './harness';

const registration = (name: string, creditCode: string) => ({
  name,
  creditCode,
  licenceDocument: 'doc:licences/2026/x.pdf',
  town: 'magang',
  contact: { name: '关伟强', phone: '13702201188' },
});
const gooseBody = {
  nameZh: '马冈鹅（整只，冰鲜）',
  descriptionZh: '黑鬃乌喙乌脚，放养一百天以上。',
  categoryId: 'agri.goose',
  town: 'magang',
  tier: 'premium',
  originDegree: 'fully_local',
  temperatureClass: 'chilled',
  shelfLifeDays: 4,
  skus: [{ code: 'W30', specZh: '整只约3千克', unit: '只', netContent: { value: 3000, unit: 'g' }, priceFen: 26800, stock: 10 }],
};

/** A real photo-sized JPEG (the test makes it with the same library the service decodes with). */
function jpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 180, g: 40, b: 30 } } }).jpeg().toBuffer();
}

async function upload(h: Harness, productId: string, token: string | undefined, bytes: Buffer, opts: { name?: string; type?: string; field?: string } = {}) {
  const form = new FormData();
  form.append(opts.field ?? 'file', new Blob([new Uint8Array(bytes)], { type: opts.type ?? 'image/jpeg' }), opts.name ?? 'goose.jpg');
  const res = await fetch(`${h.svc.url}/catalog/products/${productId}/images`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

describe('product images over HTTP (GridFS on the MongoDB stand-in)', () => {
  let h: Harness;
  let merchant: string;
  let rival: string;
  let merchantId: string;
  let productId: string;
  let rivalProductId: string;
  let imageId: string;
  const storedFiles = () => h.app.get<Connection>(getConnectionToken()).collection('images.files').countDocuments();

  beforeAll(async () => {
    h = await startHarness();
    merchant = h.token('acct-guan', ['merchant']);
    rival = h.token('acct-rival', ['merchant']);
    const operator = h.token('op-1', ['operator']);
    const own = await call(h, 'POST', '/catalog/merchants', { token: merchant, body: registration('开平市马冈优品鹅业有限公司', '91440783MA4UK7R28A') });
    const other = await call(h, 'POST', '/catalog/merchants', { token: rival, body: registration('开平市大沙茶业发展有限公司', '91440783MA51C3P85U') });
    expect([own.status, other.status]).toEqual([201, 201]);
    for (const m of [own.body.id, other.body.id]) {
      expect((await call(h, 'POST', `/catalog/review/merchants/${m}`, { token: operator, body: { decision: 'approve' } })).status).toBe(200);
    }
    merchantId = own.body.id;
    productId = (await call(h, 'POST', `/catalog/merchants/${own.body.id}/products`, { token: merchant, body: gooseBody })).body.id;
    rivalProductId = (await call(h, 'POST', `/catalog/merchants/${other.body.id}/products`, { token: rival, body: { ...gooseBody, nameZh: '大沙茶' } })).body.id;
    expect(productId).toMatch(/^p_/);
    expect(rivalProductId).toMatch(/^p_/);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('uploads a photo for an own product, resized to the widths the hall asks for', async () => {
    const r = await upload(h, productId, merchant, await jpeg(1600, 1200), { name: 'whatever.txt', type: 'text/plain' });
    expect(r.status).toBe(201);
    imageId = r.body.id;
    expect(r.body).toEqual({
      id: expect.stringMatching(/^img_[a-z0-9]+$/),
      uploaded: true,
      urls: { w320: `/api/catalog/images/${imageId}?w=320`, w800: `/api/catalog/images/${imageId}?w=800` },
    });
    for (const w of [320, 800]) {
      const res = await fetch(`${h.svc.url}/catalog/images/${imageId}?w=${w}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/webp');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: w, height: (w * 3) / 4 });
    }
    // No ?w= → the largest
    expect((await sharp(Buffer.from(await (await fetch(`${h.svc.url}/catalog/images/${imageId}`)).arrayBuffer())).metadata()).width).toBe(800);
  });

  it('never enlarges a small photo', async () => {
    const r = await upload(h, productId, merchant, await jpeg(400, 300));
    expect(r.status).toBe(201);
    const res = await fetch(`${h.svc.url}/catalog/images/${r.body.id}?w=800`);
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(400);
    expect((await call(h, 'DELETE', `/catalog/products/${productId}/images/${r.body.id}`, { token: merchant })).status).toBe(204);
  });

  it('puts the image on the product page, the search card and the product-upserted event', async () => {
    const page = await call(h, 'GET', `/catalog/products/${productId}`);
    expect(page.body.images).toEqual([imageId]);
    const upserts = h.events.ofType(EVENT_TYPES.ProductUpserted).filter((e) => e.subject === productId);
    expect((upserts.at(-1)?.data as ProductUpsertedV1).imageUrl).toBe(`/api/catalog/images/${imageId}?w=320`);
    const list = await call(h, 'GET', `/catalog/products/${productId}/images`, { token: merchant });
    expect(list).toMatchObject({ status: 200, body: [{ id: imageId, uploaded: true }] });
    // The console's product list carries the images and each SKU's sellable stock.
    const own = await call(h, 'GET', `/catalog/merchants/${merchantId}/products`, { token: merchant });
    expect(own.body).toEqual([expect.objectContaining({ id: productId, images: [imageId], skus: [expect.objectContaining({ code: 'W30', priceFen: 26800, available: 10 })] })]);
  });

  it("refuses another merchant's product (403) and an unknown one (404), storing nothing", async () => {
    const before = await storedFiles();
    const photo = await jpeg(800, 600);
    const foreign = await upload(h, rivalProductId, merchant, photo);
    expect(foreign).toMatchObject({ status: 403, body: { message: '只能管理自己企业的产品' } });
    expect((await upload(h, 'p_doesnotexist', merchant, photo)).status).toBe(404);
    expect((await upload(h, productId, undefined, photo)).status).toBe(401);
    expect((await upload(h, productId, h.token('shopper-1', ['shopper']), photo)).status).toBe(403);
    expect((await call(h, 'GET', `/catalog/products/${rivalProductId}/images`, { token: merchant })).status).toBe(403);
    expect((await call(h, 'DELETE', `/catalog/products/${productId}/images/${imageId}`, { token: rival })).status).toBe(403);
    expect(await storedFiles()).toBe(before);
  });

  it('refuses bytes that are not an image whatever the name says, over 5 MB, or not a photo, in Chinese', async () => {
    const before = await storedFiles();
    const text = await upload(h, productId, merchant, Buffer.from('这不是图片'.repeat(100)), { name: 'goose.jpg', type: 'image/jpeg' });
    expect(text).toMatchObject({ status: 400, body: { field: 'file', message: 'file: 文件不是可识别的图片，请上传 JPEG、PNG 或 WebP 图片' } });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><script>alert(1)</script><rect width="400" height="400"/></svg>');
    const svgUpload = await upload(h, productId, merchant, svg, { name: 'a.png', type: 'image/png' });
    expect(svgUpload).toMatchObject({ status: 400, body: { message: 'file: 不支持的图片格式（svg），请上传 JPEG、PNG、WebP、AVIF、HEIF、GIF 或 TIFF 图片' } });
    const huge = Buffer.concat([await jpeg(800, 600), Buffer.alloc(5 * 1024 * 1024)]);
    expect(await upload(h, productId, merchant, huge)).toMatchObject({ status: 413, body: { field: 'file', message: '图片不能超过 5 MB' } });
    const tiny = await upload(h, productId, merchant, await jpeg(40, 40));
    expect(tiny).toMatchObject({ status: 400, body: { message: 'file: 图片太小，宽和高都至少需要 100 像素' } });
    const truncated = (await jpeg(800, 600)).subarray(0, 200);
    expect((await upload(h, productId, merchant, truncated)).status).toBe(400);
    expect(await upload(h, productId, merchant, await jpeg(800, 600), { field: 'photo' })).toMatchObject({ status: 400, body: { message: '图片应放在表单字段 file 中' } });
    const json = await call(h, 'POST', `/catalog/products/${productId}/images`, { token: merchant, body: { file: 'x' } });
    expect(json).toMatchObject({ status: 400, body: { message: 'file: 请选择要上传的图片（表单字段 file）' } });
    expect(await storedFiles()).toBe(before);
    expect((await call(h, 'GET', `/catalog/products/${productId}`)).body.images).toEqual([imageId]);
  });

  it('serves only known ids and widths', async () => {
    expect(await call(h, 'GET', `/catalog/images/${imageId}?w=500`)).toMatchObject({ status: 400, body: { field: 'w', message: 'w: 图片宽度只能是 320 或 800' } });
    expect(await call(h, 'GET', '/catalog/images/img_unknown0000?w=320')).toMatchObject({ status: 404, body: { message: '图片不存在' } });
    expect((await call(h, 'GET', '/catalog/images/..%2Fetc?w=320')).status).toBe(404);
  });

  it('removes an image: gone from the product, the event and the store', async () => {
    expect((await call(h, 'DELETE', `/catalog/products/${productId}/images/img_notonthisproduct`, { token: merchant })).status).toBe(404);
    expect((await call(h, 'DELETE', `/catalog/products/${productId}/images/${imageId}`, { token: merchant })).status).toBe(204);
    expect((await call(h, 'GET', `/catalog/products/${productId}`)).body.images).toEqual([]);
    expect((await fetch(`${h.svc.url}/catalog/images/${imageId}?w=320`)).status).toBe(404);
    expect(await storedFiles()).toBe(0);
    expect(await h.app.get<Connection>(getConnectionToken()).collection('images.chunks').countDocuments()).toBe(0);
    const last = h.events.ofType(EVENT_TYPES.ProductUpserted).filter((e) => e.subject === productId).at(-1)?.data as ProductUpsertedV1;
    expect(last.imageUrl).toBeUndefined();
  });
});
