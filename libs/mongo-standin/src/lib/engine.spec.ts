import { ObjectId } from 'bson';
import { Engine, planCandidates } from './engine';
import { keyString } from './values';

function seed(engine: Engine, n: number): void {
  engine.createIndex('db', 'items', { key: { sku: 1 }, name: 'sku_1', unique: true });
  engine.createIndex('db', 'items', { key: { price: -1 }, name: 'price_-1' });
  for (let i = 0; i < n; i++) {
    const _id = new ObjectId();
    engine.write('db', 'items', keyString(_id), { _id, sku: `sku-${i}`, price: i % 1000, hall: `h${i % 10}` }, {}, 'insert');
  }
}

describe('query planning', () => {
  const engine = new Engine();
  beforeAll(() => seed(engine, 20_000));
  const coll = () => {
    const c = engine.getCollection('db', 'items');
    if (!c) throw new Error('missing collection');
    return c;
  };

  it('uses the unique index for equality: one candidate out of 20 000', () => {
    expect([...(planCandidates(coll(), { sku: 'sku-12345' }) ?? [])]).toHaveLength(1);
    expect(engine.select('db', 'items', { sku: 'sku-12345' }, {}).map(([, d]) => d['price'])).toEqual([345]);
  });

  it('uses a descending index for ranges and $in', () => {
    expect([...(planCandidates(coll(), { price: { $gte: 10, $lt: 12 } }) ?? [])]).toHaveLength(40);
    expect([...(planCandidates(coll(), { price: { $in: [1, 2, 2] } }) ?? [])]).toHaveLength(40);
    expect(engine.select('db', 'items', { price: { $gt: 997 } }, {})).toHaveLength(40);
  });

  it('falls back to a scan for unindexed fields and serves sorts from an index', () => {
    expect(planCandidates(coll(), { hall: 'h1' })).toBeUndefined();
    const top = engine.select('db', 'items', { hall: 'h9' }, {}, { sort: [['price', -1]], limit: 3 });
    expect(top.map(([, d]) => d['price'])).toEqual([999, 999, 999]);
  });
});
