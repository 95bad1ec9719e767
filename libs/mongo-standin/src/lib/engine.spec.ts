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

  it('narrows prefix regexes and $all through an index', () => {
    expect([...(planCandidates(coll(), { sku: /^sku-1234/ }) ?? [])]).toHaveLength(11);
    expect(engine.select('db', 'items', { sku: { $regex: '^sku-1999', $options: '' } }, {})).toHaveLength(11);
    expect(engine.select('db', 'items', { sku: /^sku-12345$/ }, {})).toHaveLength(1);
    expect(planCandidates(coll(), { sku: /^sku-1/i })).toBeUndefined();
    expect(planCandidates(coll(), { sku: /1234/ })).toBeUndefined();
    expect(planCandidates(coll(), { sku: /^sku-1|5$/ })).toBeUndefined();
    expect(engine.select('db', 'items', { sku: /^sku-12345?$/ }, {})).toHaveLength(2); // sku-1234, sku-12345
    expect(engine.select('db', 'items', { sku: /^sku-1{2}$/ }, {})).toHaveLength(1);
    expect(engine.select('db', 'items', { sku: /^SKU/i }, {})).toHaveLength(20_000);
  });

  it('falls back to a scan for unindexed fields and serves sorts from an index', () => {
    expect(planCandidates(coll(), { hall: 'h1' })).toBeUndefined();
    const top = engine.select('db', 'items', { hall: 'h9' }, {}, { sort: [['price', -1]], limit: 3 });
    expect(top.map(([, d]) => d['price'])).toEqual([999, 999, 999]);
  });
});

describe('index-ordered reads', () => {
  it('serves equality on an index prefix plus a sort on the rest in index order', () => {
    const engine = new Engine();
    seed(engine, 3_000);
    engine.createIndex('db', 'items', { key: { hall: 1, price: -1 }, name: 'hall_1_price_-1' });
    const viaIndex = engine.select('db', 'items', { hall: 'h3' }, {}, { sort: [['price', -1]], limit: 5, skip: 2 });
    const all = engine
      .select('db', 'items', { hall: 'h3', sku: { $exists: true } }, {})
      .map(([, d]) => d['price'] as number)
      .sort((a, b) => b - a);
    expect(viaIndex.map(([, d]) => d['price'])).toEqual(all.slice(2, 7));
  });
});

describe('snapshot history', () => {
  it('keeps old versions only while an open snapshot can see them', () => {
    const engine = new Engine();
    const id = keyString('hot');
    engine.write('db', 'c', id, { _id: 'hot', v: 0 }, {}, 'insert');
    const reader = engine.startTransaction('reader', 1);
    for (let v = 1; v <= 50; v++) engine.write('db', 'c', id, { _id: 'hot', v }, {}, 'update');
    const coll = engine.getCollection('db', 'c');
    expect(engine.read(coll, 'db.c', id, { txn: reader })?.['v']).toBe(0);
    expect(engine.read(coll, 'db.c', id, {})?.['v']).toBe(50);
    const later = engine.startTransaction('later', 1);
    engine.abortTransaction(reader);
    expect(coll?.recent).toHaveLength(0);
    expect(engine.read(coll, 'db.c', id, { txn: later })?.['v']).toBe(50);
    let depth = 0;
    for (let v = coll?.records.get(id); v; v = v.prev) depth++;
    expect(depth).toBe(1);
  });
});
