import mongoose, { Schema, Types } from 'mongoose';
import { useFreshConnection } from './harness';

const { Double, Int32, Long } = mongoose.mongo.BSON;

describe('queries, updates and aggregation used by the services', () => {
  const conn = useFreshConnection('queries');

  it('updates array elements with the positional operator and arrayFilters', async () => {
    const Order = conn().model('Order', new Schema({ no: String, lines: [{ sku: String, qty: Number, status: String }] }));
    await Order.create({
      no: 'O-1',
      lines: [
        { sku: 'goose', qty: 1, status: 'open' },
        { sku: 'rice', qty: 2, status: 'open' },
        { sku: 'tea', qty: 5, status: 'open' },
      ],
    });
    await Order.updateOne({ no: 'O-1', 'lines.sku': 'rice' }, { $inc: { 'lines.$.qty': 3 } });
    await Order.updateOne({ no: 'O-1' }, { $set: { 'lines.$[big].status': 'bulk' } }, { arrayFilters: [{ 'big.qty': { $gte: 5 } }] });
    await Order.updateOne({ no: 'O-1' }, { $set: { 'lines.$[].checked': true } }, { strict: false });
    const order = await Order.findOne({ no: 'O-1' }).lean();
    expect(order?.lines.map((l) => [l.sku, l.qty, l.status])).toEqual([
      ['goose', 1, 'open'],
      ['rice', 5, 'bulk'],
      ['tea', 5, 'bulk'],
    ]);
    expect(order?.lines.every((l) => (l as { checked?: boolean }).checked === true)).toBe(true);
  });

  it('runs bulkWrite with mixed operations', async () => {
    const Item = conn().model('BulkItem', new Schema({ sku: { type: String, unique: true }, stock: Number, touched: Boolean }));
    await Item.init();
    await Item.create([{ sku: 'a', stock: 1 }, { sku: 'b', stock: 2 }, { sku: 'c', stock: 3 }]);
    const result = await Item.bulkWrite([
      { insertOne: { document: { sku: 'd', stock: 4 } } },
      { updateOne: { filter: { sku: 'a' }, update: { $inc: { stock: 10 } } } },
      { updateMany: { filter: { stock: { $gte: 2 } }, update: { $set: { touched: true } } } },
      { replaceOne: { filter: { sku: 'b' }, replacement: { sku: 'b', stock: 20 } } },
      { deleteOne: { filter: { sku: 'c' } } },
      { updateOne: { filter: { sku: 'e' }, update: { $set: { stock: 5 } }, upsert: true } },
    ]);
    expect(result.insertedCount).toBe(1);
    expect(result.deletedCount).toBe(1);
    expect(result.upsertedCount).toBe(1);
    expect(result.matchedCount).toBe(6); // a, then a b c d, then b
    const items = await Item.find().sort({ sku: 1 }).lean();
    expect(items.map((i) => [i.sku, i.stock])).toEqual([
      ['a', 11],
      ['b', 20],
      ['d', 4],
      ['e', 5],
    ]);
  });

  it('populates references', async () => {
    const Farm = conn().model('PopFarm', new Schema({ name: String }));
    const Batch = conn().model('PopBatch', new Schema({ code: String, farm: { type: Schema.Types.ObjectId, ref: 'PopFarm' } }));
    const farm = await Farm.create({ name: '开平一号农场' });
    await Batch.create([{ code: 'B1', farm: farm._id }, { code: 'B2', farm: farm._id }]);
    const batches = await Batch.find().sort({ code: 1 }).populate<{ farm: { name: string } }>('farm').lean();
    expect(batches.map((b) => [b.code, b.farm.name])).toEqual([
      ['B1', '开平一号农场'],
      ['B2', '开平一号农场'],
    ]);
  });

  it('aggregates with $lookup, $facet and $group', async () => {
    const Seller = conn().model('AggSeller', new Schema({ code: String, county: String }));
    const Sale = conn().model('AggSale', new Schema({ seller: String, fen: Number }));
    await Seller.create([{ code: 's1', county: '开平' }, { code: 's2', county: '台山' }]);
    await Sale.create([{ seller: 's1', fen: 100 }, { seller: 's1', fen: 250 }, { seller: 's2', fen: 70 }]);
    const joined = await Sale.aggregate([
      { $lookup: { from: Seller.collection.name, localField: 'seller', foreignField: 'code', as: 'sellerDoc' } },
      { $unwind: '$sellerDoc' },
      { $group: { _id: '$sellerDoc.county', total: { $sum: '$fen' }, n: { $sum: 1 } } },
      { $sort: { total: -1 } },
    ]);
    expect(joined).toEqual([
      { _id: '开平', total: 350, n: 2 },
      { _id: '台山', total: 70, n: 1 },
    ]);
    const [facets] = await Sale.aggregate([
      { $facet: { count: [{ $count: 'n' }], top: [{ $sort: { fen: -1 } }, { $limit: 1 }, { $project: { _id: 0, fen: 1 } }] } },
    ]);
    expect(facets).toEqual({ count: [{ n: 3 }], top: [{ fen: 250 }] });
    const [projected] = await Sale.aggregate([{ $sort: { fen: 1 } }, { $limit: 1 }, { $project: { fen: 1, seller: 1 } }]);
    expect(Object.keys(projected)[0]).toBe('_id');
    expect(Object.keys(projected).sort()).toEqual(['_id', 'fen', 'seller']);
    const found = await Sale.findOne({ fen: 70 }, { fen: 1, seller: 1 }).lean();
    expect(Object.keys(found ?? {})).toEqual(['_id', 'seller', 'fen']); // stored order, not projection order
    // The source documents are untouched by the pipeline.
    expect(await Sale.countDocuments({ sellerDoc: { $exists: true } })).toBe(0);
  });

  it('keeps int32, int64 and double types as stored', async () => {
    const raw = conn().getClient().db(conn().name).collection('numbers');
    await raw.insertOne({ _id: 'n' as never, i: new Int32(5), l: Long.fromNumber(5), d: new Double(5), f: 2.5, big: 3_000_000_000 });
    const doc = await raw.findOne({ _id: 'n' as never }, { promoteValues: false });
    expect(doc?.['i']).toBeInstanceOf(Int32);
    expect(doc?.['l']).toBeInstanceOf(Long);
    expect(doc?.['d']).toBeInstanceOf(Double);
    expect(doc?.['f']).toBeInstanceOf(Double);
    expect(doc?.['big']).toBeInstanceOf(Double);
    await raw.updateOne({ _id: 'n' as never }, { $inc: { l: 1, i: 1 }, $set: { d2: new Double(7) } });
    const after = await raw.findOne({ _id: 'n' as never }, { promoteValues: false });
    expect(after?.['l']).toEqual(Long.fromNumber(6));
    expect(after?.['i']).toEqual(new Int32(6));
    expect(after?.['d2']).toBeInstanceOf(Double);
    expect(await raw.countDocuments({ l: { $type: 'long' } })).toBe(1);
    expect(await raw.countDocuments({ i: { $type: 'long' } })).toBe(0);
    expect(await raw.countDocuments({ i: { $type: 'int' }, d: { $type: 'double' }, big: { $type: 1 } })).toBe(1);
    expect(await raw.countDocuments({ d: { $type: 'int' } })).toBe(0);
    expect(await raw.countDocuments({ _id: { $type: 'string' }, l: { $type: 'number' } })).toBe(1);
    await raw.insertOne({ _id: 'o' as never, ref: new mongoose.Types.ObjectId(), list: [1, 'x'] });
    expect(await raw.countDocuments({ ref: { $type: 'objectId' } })).toBe(1);
    expect(await raw.countDocuments({ list: { $type: 'string' } })).toBe(1);
    expect(await raw.countDocuments({ list: { $type: 'array' } })).toBe(1);
    expect(await raw.countDocuments({ l: 6, i: 6, d: 5 })).toBe(1);
    await raw.updateOne({ _id: 'n' as never }, { $inc: { i: 2_147_483_647 } });
    const overflowed = await raw.findOne({ _id: 'n' as never }, { promoteValues: false });
    expect(overflowed?.['i']).toEqual(Long.fromNumber(2_147_483_653)); // int32 overflow promotes to int64
    await raw.updateOne({ _id: 'n' as never }, { $inc: { big: 1, f: 1 }, $mul: { l: 2 } });
    const promoted = await raw.findOne({ _id: 'n' as never }, { promoteValues: false });
    expect(promoted?.['big']).toEqual(new Double(3_000_000_001));
    expect(promoted?.['f']).toEqual(new Double(3.5));
    expect(promoted?.['l']).toEqual(Long.fromNumber(12));
    const bigintDoc = await raw.findOne({ _id: 'n' as never }, { useBigInt64: true });
    expect(bigintDoc?.['l']).toBe(12n);
  });

  it('answers equality, range and sorted queries on indexed fields', async () => {
    const schema = new Schema({ seq: Number, bucket: String, tags: [String], at: Date });
    schema.index({ seq: 1 });
    schema.index({ bucket: 1, seq: -1 });
    schema.index({ tags: 1 });
    schema.index({ at: -1 });
    const Event = conn().model('IndexedEvent', schema);
    await Event.init();
    const base = Date.UTC(2026, 0, 1);
    await Event.insertMany(
      Array.from({ length: 500 }, (_, seq) => ({ seq, bucket: `b${seq % 7}`, tags: [`t${seq % 3}`, `u${seq % 5}`], at: new Date(base + seq * 1000) })),
    );
    expect(await Event.countDocuments({ seq: { $gte: 100, $lt: 110 } })).toBe(10);
    expect(await Event.countDocuments({ seq: { $in: [1, 2, 3, 1000] } })).toBe(3);
    expect((await Event.find({ bucket: 'b3' }).sort({ seq: -1 }).limit(2).lean()).map((e) => e.seq)).toEqual([493, 486]);
    expect(await Event.countDocuments({ tags: 't1', seq: { $lt: 30 } })).toBe(10);
    expect(await Event.countDocuments({ tags: { $all: ['t1', 'u1'] } })).toBe(34);
    expect(await Event.countDocuments({ bucket: /^b[34]/ })).toBe(142);
    expect(await Event.countDocuments({ bucket: { $regex: '^b3' } })).toBe(71);
    const latest = await Event.find({ at: { $lte: new Date(base + 10_000) } }).sort({ at: -1 }).limit(3).lean();
    expect(latest.map((e) => e.seq)).toEqual([10, 9, 8]);
    expect((await Event.find().sort({ seq: -1 }).skip(5).limit(2).lean()).map((e) => e.seq)).toEqual([494, 493]);
    expect(await Event.countDocuments({ seq: { $gt: 498 } })).toBe(1);
    await Event.updateMany({ seq: { $lt: 5 } }, { $set: { seq: 1000 } });
    expect(await Event.countDocuments({ seq: 1000 })).toBe(5);
    expect(await Event.countDocuments({ seq: { $lt: 5 } })).toBe(0);
  });

  it('matches arrays by element against range conditions like MongoDB', async () => {
    const schema = new Schema({ scores: [Number] });
    schema.index({ scores: 1 });
    const Score = conn().model('Score', schema);
    await Score.init();
    await Score.create([{ scores: [0, 9] }, { scores: [3] }, { scores: [] }]);
    expect(await Score.countDocuments({ scores: { $gt: 1, $lt: 5 } })).toBe(2);
    expect(await Score.countDocuments({ scores: { $elemMatch: { $gt: 1, $lt: 5 } } })).toBe(1);
    expect(await Score.countDocuments({ scores: { $size: 0 } })).toBe(1);
  });

  it('rejects updates that change _id', async () => {
    const Thing = conn().model('Thing', new Schema({ name: String }));
    const thing = await Thing.create({ name: 'x' });
    await expect(Thing.collection.updateOne({ _id: thing._id }, { $set: { _id: new Types.ObjectId() } })).rejects.toMatchObject({ code: 66 });
  });
});
