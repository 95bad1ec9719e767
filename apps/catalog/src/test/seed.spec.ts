import { freshMongoUri } from '@techan/mongo-standin';
import mongoose from 'mongoose';
import { DEMO_USERS, EVENT_TYPES } from '@techan/common';
import { DEMO_PRODUCTS } from '../domain';
import { runSeed } from '../seed';
import { call, startHarness, type Harness } from './harness';
import { seedWithStatus } from './demo-status';
import { demoProductId } from '../catalog/seed.service';

describe('seed command', () => {
  it('loads 50+ demo products once (idempotent), announcing them through the outbox', async () => {
    const uri = freshMongoUri('catalog_seed');
    const dbName = new URL(uri).pathname.slice(1);
    const first = await runSeed(uri, dbName);
    expect(first.products).toBe(DEMO_PRODUCTS.length);
    expect(first.products).toBeGreaterThanOrEqual(50);
    expect(first.merchants).toBe(12);
    const second = await runSeed(uri, dbName);
    expect(second).toEqual({ merchants: 0, products: 0 });
    const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
    expect(await conn.collection('outbox').countDocuments({ type: EVENT_TYPES.ProductUpserted, status: 'pending' })).toBe(DEMO_PRODUCTS.length);
    expect(await conn.collection('products').countDocuments()).toBe(DEMO_PRODUCTS.length);
    // Other services learn the demo enterprises' members from events (server-side membership).
    expect(await conn.collection('outbox').countDocuments({ type: EVENT_TYPES.MerchantUpserted })).toBe(12);
    // Status is certification's: the catalogue's seed loads none (it arrives as status events).
    expect(await conn.collection('certification_status').countDocuments()).toBe(0);
    expect(await conn.collection('price_changes').countDocuments({ categoryId: 'agri.goose' })).toBeGreaterThan(30 * 10);
    await conn.close();
  }, 300_000);
});

describe('seeded hall', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedWithStatus(h.app, h.clock.now());
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('shows only purchasable demo products and explains the blocked ones', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await call(h, 'GET', `/catalog/search?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      all.push(...r.body.items.map((i: { id: string }) => i.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    const blocked = ['guilinggao', 'garlic', 'sugar-apple'].map(demoProductId);
    for (const id of blocked) expect(all).not.toContain(id);
    expect(all).toContain(demoProductId('veg-gangling')); // yellow warning: still buyable
    expect(all.length).toBe(DEMO_PRODUCTS.length - blocked.length);
    const garlic = await call(h, 'GET', `/catalog/products/${demoProductId('garlic')}`);
    expect(garlic.body.availability).toMatchObject({ buyable: false, reason: 'red_warning' });
    const fruit = await call(h, 'GET', `/catalog/products/${demoProductId('sugar-apple')}`);
    expect(fruit.body.availability.messageZh).toMatch(/^该产品“马冈优品”认证已于\d{4}年\d{1,2}月\d{1,2}日到期，续证前暂停销售。$/);
  });

  it("gives the demo merchant token's account its demo enterprise", async () => {
    const mine = await call(h, 'GET', '/catalog/merchants/mine', { token: h.svc.token(DEMO_USERS['merchant']) });
    expect(mine.status).toBe(200);
    expect(mine.body.map((m: { id: string; name: string }) => [m.id, m.name])).toEqual([['m_demomaganggoose', '开平市马冈优品鹅业有限公司']]);
  });

  it('pages through price order without gaps or repeats', async () => {
    const prices: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await call(h, 'GET', `/catalog/search?category=agri&sort=price_asc&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      prices.push(...r.body.items.map((i: { priceFen: number }) => i.priceFen));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const agri = DEMO_PRODUCTS.filter((p) => p.categoryId.startsWith('agri.') && p.certificates.every((c) => !c.status || c.status === 'active' || c.status === 'yellow_warning'));
    expect(prices).toHaveLength(agri.length);
  });

  it('ranks 马冈鹅 first for the query 马冈鹅 and finds goose products for 鹅', async () => {
    const r = await call(h, 'GET', `/catalog/search?q=${encodeURIComponent('马冈鹅')}`);
    expect(r.body.items[0].name).toBe('马冈鹅（整只，冰鲜）');
    const goose = await call(h, 'GET', `/catalog/search?q=${encodeURIComponent('鹅')}&limit=50`);
    expect(goose.body.items.length).toBeGreaterThanOrEqual(10);
  });

  it('serves a 30-day price index for each main product', async () => {
    for (const group of ['magang_goose', 'dasha_tea', 'simiao_rice', 'poultry_eggs']) {
      const r = await call(h, 'GET', `/catalog/price-index?group=${group}`);
      expect(r.status).toBe(200);
      expect(r.body.points).toHaveLength(30);
      expect(r.body.points[0].index).toBe(100);
      expect(r.body.points.slice(1).every((p: { matchedCount: number }) => p.matchedCount > 0)).toBe(true);
    }
  });
});
