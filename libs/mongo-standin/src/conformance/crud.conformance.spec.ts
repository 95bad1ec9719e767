import { Schema, Types } from 'mongoose';
import { useFreshConnection } from './harness';

interface Product {
  sku: string;
  name: string;
  stock: number;
  priceFen: number;
  tags: string[];
  origin?: { city: string; county?: string };
}

const productSchema = new Schema<Product>({
  sku: { type: String, required: true, unique: true },
  name: String,
  stock: Number,
  priceFen: Number,
  tags: [String],
  origin: { city: String, county: String },
});

describe('CRUD through mongoose', () => {
  const conn = useFreshConnection('crud');
  const model = () => conn().models['Product'] ?? conn().model<Product>('Product', productSchema);

  beforeAll(async () => {
    await model().init();
    await model().insertMany([
      { sku: 'goose-1', name: '马冈鹅', stock: 10, priceFen: 16800, tags: ['禽类', '开平'], origin: { city: '江门', county: '开平' } },
      { sku: 'sauce-1', name: '大沙茶', stock: 50, priceFen: 2500, tags: ['调味'], origin: { city: '江门' } },
      { sku: 'rice-1', name: '丝苗米', stock: 200, priceFen: 5900, tags: ['粮油', '开平'] },
      { sku: 'rice-2', name: '丝苗米 5kg', stock: 0, priceFen: 12900, tags: ['粮油'] },
    ]);
  });

  it('lets the driver generate ObjectIds and finds by _id', async () => {
    const created = await model().create({ sku: 'extra-1', name: '开平优品礼盒', stock: 3, priceFen: 29900, tags: [] });
    expect(created._id).toBeInstanceOf(Types.ObjectId);
    const found = await model().findById(created._id).lean();
    expect(found?.name).toBe('开平优品礼盒');
    await model().deleteOne({ _id: created._id });
    expect(await model().findById(created._id)).toBeNull();
  });

  it('applies filters, sort, skip, limit and projection', async () => {
    const page = await model()
      .find({ tags: '开平' }, { name: 1, priceFen: 1, _id: 0 })
      .sort({ priceFen: -1 })
      .lean();
    expect(page).toEqual([
      { name: '马冈鹅', priceFen: 16800 },
      { name: '丝苗米', priceFen: 5900 },
    ]);
    const skipped = await model().find({}).sort({ sku: 1 }).skip(1).limit(2).select('sku').lean();
    expect(skipped.map((p) => p.sku)).toEqual(['rice-1', 'rice-2']);
    const nested = await model().find({ 'origin.city': '江门', stock: { $gte: 10, $lt: 50 } }).lean();
    expect(nested.map((p) => p.sku)).toEqual(['goose-1']);
    const excluded = await model().findOne({ sku: 'sauce-1' }).select('-tags -origin').lean();
    expect(excluded).not.toHaveProperty('tags');
    expect(excluded).toHaveProperty('stock', 50);
  });

  it('iterates a cursor across many getMore batches', async () => {
    const Log = conn().model('CursorLog', new Schema({ seq: Number }));
    await Log.insertMany(Array.from({ length: 1234 }, (_, seq) => ({ seq })));
    const seen: number[] = [];
    for await (const doc of Log.find().sort({ seq: 1 }).batchSize(100)) seen.push(doc.seq as number);
    expect(seen).toHaveLength(1234);
    expect(seen[0]).toBe(0);
    expect(seen[1233]).toBe(1233);
    const newest = await Log.find().sort({ $natural: -1 }).limit(2).lean();
    expect(newest.map((d) => d.seq)).toEqual([1233, 1232]);
    const cursor = Log.find().batchSize(10).cursor();
    await cursor.next();
    await cursor.close(); // killCursors on an open server cursor
  });

  it('supports the common update operators', async () => {
    await model().updateOne(
      { sku: 'sauce-1' },
      { $inc: { stock: -5 }, $push: { tags: '热销' }, $set: { 'origin.county': '台山' }, $unset: { name: '' } },
    );
    const sauce = await model().findOne({ sku: 'sauce-1' }).lean();
    expect(sauce).toMatchObject({ stock: 45, tags: ['调味', '热销'], origin: { city: '江门', county: '台山' } });
    expect(sauce).not.toHaveProperty('name');
    await model().updateOne({ sku: 'sauce-1' }, { $addToSet: { tags: '热销' }, $max: { priceFen: 3000 }, $min: { stock: 40 } });
    await model().updateOne({ sku: 'sauce-1' }, { $pull: { tags: '调味' }, $mul: { priceFen: 2 } });
    expect(await model().findOne({ sku: 'sauce-1' }).lean()).toMatchObject({ tags: ['热销'], priceFen: 6000, stock: 40 });
    const many = await model().updateMany({ tags: '粮油' }, { $set: { name: '丝苗米（新）' } });
    expect(many.matchedCount).toBe(2);
    expect(many.modifiedCount).toBe(2);
    const noop = await model().updateOne({ sku: 'rice-1' }, { $set: { name: '丝苗米（新）' } });
    expect(noop.matchedCount).toBe(1);
    expect(noop.modifiedCount).toBe(0);
  });

  it('upserts with $setOnInsert applied only on insert', async () => {
    const first = await model().updateOne(
      { sku: 'tea-1' },
      { $set: { stock: 7 }, $setOnInsert: { name: '开平绿茶', priceFen: 3800 } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBeInstanceOf(Types.ObjectId);
    await model().updateOne({ sku: 'tea-1' }, { $set: { stock: 8 }, $setOnInsert: { name: 'ignored' } }, { upsert: true });
    expect(await model().findOne({ sku: 'tea-1' }).lean()).toMatchObject({ sku: 'tea-1', name: '开平绿茶', stock: 8, priceFen: 3800 });
  });

  it('findOneAndUpdate is an atomic conditional update', async () => {
    const taken = await model().findOneAndUpdate(
      { sku: 'goose-1', stock: { $gte: 4 } },
      { $inc: { stock: -4 } },
      { returnDocument: 'after' },
    );
    expect(taken?.stock).toBe(6);
    const refused = await model().findOneAndUpdate({ sku: 'goose-1', stock: { $gte: 7 } }, { $inc: { stock: -7 } }, { returnDocument: 'after' });
    expect(refused).toBeNull();
    const before = await model().findOneAndUpdate({ sku: 'goose-1' }, { $inc: { stock: 1 } }, { returnDocument: 'before' }).lean();
    expect(before?.stock).toBe(6);
    const removed = await model().findOneAndDelete({ sku: 'rice-2' }).lean();
    expect(removed?.sku).toBe('rice-2');
    const upserted = await model().findOneAndUpdate({ sku: 'new-1' }, { $set: { stock: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
    expect(upserted).toMatchObject({ sku: 'new-1', stock: 1 });
  });

  it('counts, aggregates and returns distinct values', async () => {
    expect(await model().countDocuments({ stock: { $gt: 0 } })).toBe(await model().find({ stock: { $gt: 0 } }).countDocuments());
    expect(await model().countDocuments({ sku: /^rice/ })).toBe(1);
    expect(await model().estimatedDocumentCount()).toBe(await model().countDocuments());
    const byTag = await model().aggregate([
      { $unwind: '$tags' },
      { $group: { _id: '$tags', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(byTag).toEqual(expect.arrayContaining([{ _id: '开平', n: 2 }]));
    expect((await model().distinct('origin.city')).sort()).toEqual(['江门']);
  });

  it('deletes many', async () => {
    const result = await model().deleteMany({ stock: { $lte: 1 } });
    expect(result.deletedCount).toBeGreaterThanOrEqual(1);
    expect(await model().countDocuments({ stock: { $lte: 1 } })).toBe(0);
  });
});
