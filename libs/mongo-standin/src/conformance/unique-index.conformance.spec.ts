import { Schema } from 'mongoose';
import { useFreshConnection } from './harness';

/** The duplicate-key error as both mongod and the stand-in report it. */
async function expectDuplicate(promise: Promise<unknown>, keyPattern: object, keyValue: object): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code: 11000, keyPattern, keyValue });
}

describe('unique indexes', () => {
  const conn = useFreshConnection('unique');

  it('rejects a duplicate single-field key with code 11000, keyPattern and keyValue', async () => {
    const Farm = conn().model('Farm', new Schema({ code: { type: String, unique: true }, name: String }));
    await Farm.init();
    await Farm.create({ code: 'KP-001', name: '开平一号农场' });
    await expectDuplicate(Farm.create({ code: 'KP-001', name: 'copy' }), { code: 1 }, { code: 'KP-001' });
    await expect(Farm.create({ code: 'KP-001', name: 'x' })).rejects.toThrow(/E11000 duplicate key error/);
    const insertMany = Farm.insertMany([{ code: 'KP-002' }, { code: 'KP-001' }, { code: 'KP-003' }], { ordered: false });
    await expect(insertMany).rejects.toMatchObject({ code: 11000 });
    expect((await Farm.find().lean()).map((f) => f.code).sort()).toEqual(['KP-001', 'KP-002', 'KP-003']);
    await Farm.create({ code: 'KP-004' });
    await expectDuplicate(Farm.updateOne({ code: 'KP-004' }, { $set: { code: 'KP-002' } }), { code: 1 }, { code: 'KP-002' });
    await expectDuplicate(
      Farm.findOneAndUpdate({ code: 'KP-004' }, { $set: { code: 'KP-003' } }),
      { code: 1 },
      { code: 'KP-003' },
    );
  });

  it('enforces compound unique keys', async () => {
    const schema = new Schema({ batch: String, seq: Number });
    schema.index({ batch: 1, seq: 1 }, { unique: true });
    const Cert = conn().model('Cert', schema);
    await Cert.init();
    await Cert.create([{ batch: 'A', seq: 1 }, { batch: 'A', seq: 2 }, { batch: 'B', seq: 1 }]);
    await expectDuplicate(Cert.create({ batch: 'A', seq: 2 }), { batch: 1, seq: 1 }, { batch: 'A', seq: 2 });
  });

  it('enforces unique keys on each element of an array field', async () => {
    const schema = new Schema({ owner: String, codes: [String] });
    schema.index({ codes: 1 }, { unique: true });
    const Tag = conn().model('Tag', schema);
    await Tag.init();
    await Tag.create({ owner: 'a', codes: ['x1', 'x2'] });
    await Tag.create({ owner: 'b', codes: ['y1', 'y1'] }); // repeats inside one document are allowed
    await expectDuplicate(Tag.create({ owner: 'c', codes: ['z1', 'x2'] }), { codes: 1 }, { codes: 'x2' });
  });

  it('honours partialFilterExpression', async () => {
    const schema = new Schema({ phone: String, active: Boolean });
    schema.index({ phone: 1 }, { unique: true, partialFilterExpression: { active: true } });
    const Account = conn().model('Account', schema);
    await Account.init();
    await Account.create([{ phone: '138', active: false }, { phone: '138', active: false }, { phone: '138', active: true }]);
    await expectDuplicate(Account.create({ phone: '138', active: true }), { phone: 1 }, { phone: '138' });
  });

  it('refuses to build a unique index over existing duplicates', async () => {
    const Raw = conn().model('RawDup', new Schema({ k: String }, { autoIndex: false }));
    await Raw.create([{ k: 'same' }, { k: 'same' }]);
    await expect(Raw.collection.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
  });
});
