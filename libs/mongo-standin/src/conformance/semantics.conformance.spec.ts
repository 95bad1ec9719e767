import mongoose, { Schema, Types } from 'mongoose';
import { useFreshConnection } from './harness';

const { Binary, DBRef, ObjectId, UUID } = mongoose.mongo.BSON;

/**
 * The defects an independent client test suite found (issue 16), each checked with the raw driver
 * and with mongoose. Everything here is what mongod does, so the file also passes against MONGO_URL.
 */
describe('MongoDB semantics the stand-in used to get wrong', () => {
  const conn = useFreshConnection('semantics');
  const raw = (name: string) => conn().getClient().db(conn().name).collection<Record<string, unknown>>(name);
  const codeOf = (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: number }) => e.code);
  let n = 0;
  const mixed = () => conn().model(`Mixed${++n}`, new Schema({ _id: Schema.Types.Mixed, a: Schema.Types.Mixed, arr: Schema.Types.Mixed, n: String }, { strict: false }));

  it('1. $pull with $or / $and removes the matching sub-documents', async () => {
    const c = raw('pull');
    await c.insertOne({ _id: 1 as never, arr: [{ a: 1 }, { b: 2 }, { c: 3 }, { a: 1, z: 1 }] });
    await c.updateOne({ _id: 1 as never }, { $pull: { arr: { $or: [{ a: 1 }, { b: 2 }] } } as never });
    expect((await c.findOne({ _id: 1 as never }))?.['arr']).toEqual([{ c: 3 }]);
    await c.insertOne({ _id: 2 as never, arr: [{ a: 1 }, { a: 1, z: 1 }] });
    await c.updateOne({ _id: 2 as never }, { $pull: { arr: { $and: [{ a: 1 }, { z: 1 }] } } as never });
    expect((await c.findOne({ _id: 2 as never }))?.['arr']).toEqual([{ a: 1 }]);

    const Model = mixed();
    await Model.create({ _id: 'm', arr: [{ a: 1 }, { b: 2 }, { c: 3 }] });
    await Model.updateOne({ _id: 'm' }, { $pull: { arr: { $or: [{ a: 1 }, { c: 3 }] } } });
    expect((await Model.findById('m').lean<{ arr: unknown }>())?.arr).toEqual([{ b: 2 }]);
  });

  it('2. a projection of only {arr: {$slice: n}} keeps the other fields', async () => {
    const c = raw('slice');
    await c.insertOne({ _id: 1 as never, arr: [1, 2, 3, 4], n: 'keep', sub: { x: 1 } });
    expect(await c.findOne({ _id: 1 as never }, { projection: { arr: { $slice: 2 } } })).toEqual({ _id: 1, arr: [1, 2], n: 'keep', sub: { x: 1 } });
    expect(await c.findOne({ _id: 1 as never }, { projection: { arr: { $slice: -1 } } })).toEqual({ _id: 1, arr: [4], n: 'keep', sub: { x: 1 } });
    expect(await c.findOne({ _id: 1 as never }, { projection: { arr: { $slice: [1, 2] } } })).toEqual({ _id: 1, arr: [2, 3], n: 'keep', sub: { x: 1 } });

    const Model = mixed();
    await Model.create({ _id: 's', arr: [1, 2, 3], n: 'keep' });
    expect(await Model.findById('s').slice('arr', 1).lean()).toEqual({ _id: 's', arr: [1], n: 'keep', __v: 0 });
  });

  it('3. $all matches a non-array field equal to its single value', async () => {
    const c = raw('all');
    await c.insertMany([{ _id: 1 as never, a: 5 }, { _id: 2 as never, a: [5, 6] }, { _id: 3 as never, a: 6 }]);
    expect((await c.find({ a: { $all: [5] } }).toArray()).map((d) => d['_id'])).toEqual([1, 2]);
    expect((await c.find({ a: { $all: [5, 6] } }).toArray()).map((d) => d['_id'])).toEqual([2]);
    expect(await c.countDocuments({ a: { $all: [] } })).toBe(0);

    const Model = conn().model('AllScalar', new Schema({ tag: String }));
    await Model.create([{ tag: '马冈鹅' }, { tag: '大沙茶' }]);
    expect((await Model.find({ tag: { $all: ['马冈鹅'] } }).lean()).map((d) => d.tag)).toEqual(['马冈鹅']);
  });

  it('4. type-mismatched updates fail with mongod codes and change nothing', async () => {
    const c = raw('mismatch');
    await c.insertOne({ _id: 1 as never, num: 3, str: 'x', arr: [1, 2] });
    expect(await codeOf(c.updateOne({ _id: 1 as never }, { $push: { num: 4 } } as never))).toBe(2);
    expect(await codeOf(c.updateOne({ _id: 1 as never }, { $inc: { str: 1 } } as never))).toBe(14);
    expect(await codeOf(c.updateOne({ _id: 1 as never }, { $set: { 'arr.b': 1 } }))).toBe(28);
    expect(await codeOf(c.updateOne({ _id: 1 as never }, { $addToSet: { str: 'y' } } as never))).toBe(2);
    expect(await codeOf(c.updateOne({ _id: 1 as never }, { $pop: { num: 1 } } as never))).toBe(14);
    expect(await codeOf(c.updateOne({ _id: 1 as never }, { $inc: { num: 'one' } } as never))).toBe(14);
    expect(await c.findOne({ _id: 1 as never })).toEqual({ _id: 1, num: 3, str: 'x', arr: [1, 2] });

    const Model = mixed();
    await Model.create({ _id: 't', a: 5, arr: ['x'] });
    expect(await codeOf(Model.updateOne({ _id: 't' }, { $push: { a: 6 } }).exec())).toBe(2);
    expect(await codeOf(Model.updateOne({ _id: 't' }, { $set: { 'arr.name': 'y' } }).exec())).toBe(28);
    expect((await Model.findById('t').lean<{ a: unknown; arr: unknown }>())).toMatchObject({ a: 5, arr: ['x'] });
  });

  it('5. documents over 16 MB are refused', async () => {
    const c = raw('big');
    const big = 'x'.repeat(16 * 1024 * 1024 + 512 * 1024); // over 16 MB + 16 KB, under the driver's 17 MB buffer
    expect(await codeOf(c.insertOne({ _id: 1 as never, big }))).toBe(10334);
    expect(await c.countDocuments()).toBe(0);
    const nine = 'y'.repeat(9 * 1024 * 1024);
    await c.insertOne({ _id: 2 as never, a: nine });
    expect(await codeOf(c.updateOne({ _id: 2 as never }, { $set: { b: nine } }))).toBe(17419);
    expect(Object.keys((await c.findOne({ _id: 2 as never })) ?? {})).toEqual(['_id', 'a']);

    const Model = conn().model('Big', new Schema({ body: String }));
    expect(await codeOf(Model.create({ body: big }))).toBe(10334);
  });

  it('6. a Binary subtype is part of the value for updates and queries', async () => {
    const c = raw('binary');
    const bytes = Buffer.from([1, 2, 3]);
    await c.insertOne({ _id: 1 as never, b: new Binary(bytes, 0) });
    expect(await c.countDocuments({ b: new Binary(bytes, 4) })).toBe(0);
    const result = await c.updateOne({ _id: 1 as never }, { $set: { b: new Binary(bytes, 4) } });
    expect(result.modifiedCount).toBe(1);
    const stored = (await c.findOne({ _id: 1 as never }))?.['b'] as InstanceType<typeof Binary>;
    expect(stored.sub_type).toBe(4);
    expect(await c.countDocuments({ b: new Binary(bytes, 0) })).toBe(0);
    expect(await c.countDocuments({ b: new Binary(bytes, 4) })).toBe(1);

    const Model = mixed();
    await Model.create({ _id: 'b', a: new Binary(bytes, 0) });
    expect(await Model.countDocuments({ a: new Binary(bytes, 5) })).toBe(0);
    expect(await Model.countDocuments({ a: new Binary(bytes, 0) })).toBe(1);
  });

  it('7. $bits* operators match BinData and UUID values', async () => {
    const c = raw('bits');
    const uuid = new UUID('01234567-89ab-cdef-0123-456789abcdef');
    await c.insertMany([{ _id: 1 as never, b: new Binary(Buffer.from([0b101]), 0) }, { _id: 2 as never, b: uuid }]);
    expect(await c.countDocuments({ _id: 1 as never, b: { $bitsAllSet: [0, 2] } })).toBe(1);
    expect(await c.countDocuments({ _id: 1 as never, b: { $bitsAllSet: [1] } })).toBe(0);
    expect(await c.countDocuments({ _id: 1 as never, b: { $bitsAnySet: [1, 2] } })).toBe(1);
    expect(await c.countDocuments({ _id: 1 as never, b: { $bitsAllClear: [1, 3] } })).toBe(1);
    expect(await c.countDocuments({ _id: 1 as never, b: { $bitsAnyClear: 5 } })).toBe(0);
    expect(await c.countDocuments({ _id: 2 as never, b: { $bitsAllSet: new Binary(Buffer.from([0x01, 0x23])) } })).toBe(1);
    expect(await c.countDocuments({ _id: 2 as never, b: { $bitsAllSet: [1] } })).toBe(0);

    const Model = mixed();
    await Model.create({ _id: 'u', a: uuid });
    expect(await Model.countDocuments({ a: { $bitsAnySet: [0] } })).toBe(1);
  });

  it('8. a hint naming no existing index is an error', async () => {
    const c = raw('hint');
    await c.createIndex({ sku: 1 }, { name: 'sku_1' });
    await c.insertMany([{ sku: 'b' }, { sku: 'a' }]);
    expect(await codeOf(c.find({}).hint('nope_1').toArray())).toBe(2);
    expect(await codeOf(c.find({}).hint({ nope: 1 }).toArray())).toBe(2);
    expect(await codeOf(c.updateOne({ sku: 'a' }, { $set: { x: 1 } }, { hint: 'nope_1' }))).toBe(2);
    expect(await codeOf(c.deleteOne({ sku: 'a' }, { hint: { nope: 1 } }))).toBe(2);
    expect(await codeOf(c.countDocuments({}, { hint: 'nope_1' }))).toBe(2);
    expect((await c.find({}, { projection: { _id: 0 } }).hint({ sku: 1 }).toArray()).map((d) => d['sku'])).toEqual(['a', 'b']);
    expect(await c.countDocuments({}, { hint: 'sku_1' })).toBe(2);

    const Model = conn().model('Hinted', new Schema({ sku: String }));
    await Model.create({ sku: 'x' });
    expect(await codeOf(Model.find().hint({ nope: 1 }).exec())).toBe(2);
  });

  it('9. an own __proto__ key inside $set is stored', async () => {
    const c = raw('proto');
    await c.insertOne({ _id: 1 as never });
    const set: Record<string, unknown> = {};
    Object.defineProperty(set, '__proto__', { value: { x: 1 }, enumerable: true, configurable: true, writable: true });
    await c.updateOne({ _id: 1 as never }, { $set: set });
    const doc = await c.findOne({ _id: 1 as never });
    expect(Object.prototype.hasOwnProperty.call(doc, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(doc, '__proto__')?.value).toEqual({ x: 1 });

    const Model = mixed();
    await Model.create({ _id: 'p' });
    await Model.collection.updateOne({ _id: 'p' as never }, { $set: set });
    expect(await Model.countDocuments({ '__proto__.x': 1 })).toBe(1);
  });

  it('10. an invalid query operator fails even against a collection that does not exist', async () => {
    const c = raw('never_created');
    expect(await codeOf(c.find({ a: { $foo: 1 } }).toArray())).toBe(2);
    const Model = conn().model('NeverThere', new Schema({ a: Number }));
    expect(await codeOf(Model.aggregate([{ $match: { a: { $foo: 1 } } }]).exec())).toBe(2);
  });

  it('11. two positional paths into one array in one update (subdocument timestamps)', async () => {
    const c = raw('positional');
    await c.insertOne({ _id: 1 as never, children: [{ k: 'a' }, { k: 'b', tags: [] }] });
    const at = new Date('2026-11-29T12:00:00Z');
    await c.updateOne({ _id: 1 as never, 'children.k': 'b' }, { $set: { 'children.$.name': '马冈鹅', 'children.$.updatedAt': at }, $addToSet: { 'children.$.tags': '开平' } as never });
    expect((await c.findOne({ _id: 1 as never }))?.['children']).toEqual([{ k: 'a' }, { k: 'b', tags: ['开平'], name: '马冈鹅', updatedAt: at }]);
    expect(await codeOf(c.updateOne({ _id: 1 as never, 'children.k': 'b' }, { $set: { 'children.$': {}, 'children.$.name': 'x' } }))).toBe(40);

    const Child = new Schema({ name: String }, { timestamps: true });
    const Parent = conn().model('TimestampParent', new Schema({ children: [Child] }));
    const parent = await Parent.create({ children: [{ name: '大沙茶' }, { name: '丝苗米' }] });
    const childId = parent.children[1]._id as Types.ObjectId;
    await Parent.updateOne({ _id: parent._id, 'children._id': childId }, { $set: { 'children.$.name': '丝苗米（新）' } });
    const after = await Parent.findById(parent._id).lean();
    expect(after?.children.map((ch) => ch.name)).toEqual(['大沙茶', '丝苗米（新）']);
  });

  it('12. $set of _id to the value it already has is allowed (also in upserts and bulk writes)', async () => {
    const c = raw('sameid');
    await c.insertOne({ _id: 1 as never, a: 1 });
    await c.updateOne({ _id: 1 as never }, { $set: { _id: 1, a: 2 } as never });
    await c.updateOne({ _id: 5 as never }, { $set: { _id: 5, a: 5 } as never }, { upsert: true });
    await c.bulkWrite([{ updateOne: { filter: { _id: 1 as never }, update: { $set: { _id: 1, a: 3 } as never } } }]);
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, a: 3 }, { _id: 5, a: 5 }]);
    expect(await codeOf(c.updateOne({ _id: 1 as never }, { $set: { _id: 2 } as never }))).toBe(66);

    const Model = mixed();
    const id = new ObjectId();
    await Model.create({ _id: id, a: 1 });
    await Model.updateOne({ _id: id }, { $set: { _id: id, a: 2 } });
    await Model.bulkWrite([{ updateOne: { filter: { _id: id }, update: { $set: { _id: id, a: 3 } } } }]);
    expect((await Model.findById(id).lean<{ a: number }>())?.a).toBe(3);
  });

  it('13. operators inside an $elemMatch projection', async () => {
    const c = raw('elemmatch');
    await c.insertOne({ _id: 1 as never, n: 'x', arr: [{ x: 1 }, { x: 3, y: 1 }, { x: 3 }] });
    expect(await c.findOne({ _id: 1 as never }, { projection: { arr: { $elemMatch: { x: { $in: [2, 3] } } } } })).toEqual({ _id: 1, arr: [{ x: 3, y: 1 }] });
    expect(await c.findOne({ _id: 1 as never }, { projection: { arr: { $elemMatch: { x: { $gt: 5 } } } } })).toEqual({ _id: 1 });

    const Model = conn().model('ElemMatch', new Schema({ n: String, lines: [{ sku: String, qty: Number }] }));
    await Model.create({ n: 'o', lines: [{ sku: 'goose', qty: 1 }, { sku: 'tea', qty: 4 }] });
    const found = await Model.findOne({ n: 'o' }, { lines: { $elemMatch: { qty: { $gte: 2 }, sku: { $in: ['tea', 'rice'] } } } }).lean();
    expect(found?.lines.map((l) => l.sku)).toEqual(['tea']);
    expect(found).not.toHaveProperty('n');
  });

  it('14. $slice with exclusions, DBRef $id in queries, $-prefixed fields where MongoDB 5+ takes them, unknown stages', async () => {
    const c = raw('misc');
    await c.insertOne({ _id: 1 as never, arr: [1, 2, 3], n: 'x', m: 'y' });
    expect(await c.findOne({ _id: 1 as never }, { projection: { arr: { $slice: 1 }, n: 0 } })).toEqual({ _id: 1, arr: [1], m: 'y' });

    const farm = new ObjectId();
    await c.insertOne({ _id: 2 as never, ref: new DBRef('farms', farm) });
    expect(await c.countDocuments({ 'ref.$id': farm })).toBe(1);
    expect(await c.countDocuments({ ref: new DBRef('farms', farm) })).toBe(1);
    expect(await c.countDocuments({ 'ref.$ref': 'farms' })).toBe(1);

    await c.updateOne({ date: '2021-07-07' }, { $set: { phone: 25, $hotel: 320 } as never }, { upsert: true });
    expect(await c.findOne({ date: '2021-07-07' }, { projection: { _id: 0 } })).toEqual({ date: '2021-07-07', $hotel: 320, phone: 25 });
    expect(await codeOf(c.updateOne({ date: '2021-07-07' }, { $set: { $hotel: 1 } as never }))).not.toBe('no error');
    await c.updateOne({ _id: 1 as never }, [{ $replaceWith: { $setField: { field: { $literal: '$price' }, input: '$$ROOT', value: 100 } } }]);
    expect(await c.countDocuments({ $expr: { $eq: [{ $getField: { $literal: '$price' } }, 100] } })).toBe(1);

    const error = await c.aggregate([{ $nosuchstage: {} }]).toArray().then(() => undefined, (e: Error & { code?: number }) => e);
    expect(error?.code).toBe(40324);
    expect(error?.message).toMatch(/Unrecognized pipeline stage name: '\$nosuchstage'/);

    const Model = mixed();
    await Model.create({ _id: 'e', arr: [1, 2, 3], n: 'x' });
    expect(await Model.findById('e').select({ arr: { $slice: -1 }, n: 0 }).lean()).toEqual({ _id: 'e', arr: [3], __v: 0 });
  });

  it('adds new fields in lexicographic order of the update paths, across operators (MongoDB 5.0+)', async () => {
    const c = raw('order');
    await c.insertOne({ _id: 1 as never, m: 0 });
    await c.updateOne({ _id: 1 as never }, { $set: { d: 1, b: 1 }, $inc: { c: 1, a: 1 } } as never);
    expect(Object.keys((await c.findOne({ _id: 1 as never })) ?? {})).toEqual(['_id', 'm', 'a', 'b', 'c', 'd']);
  });
});
