import mongoose, { Schema } from 'mongoose';

const { MongoServerError } = mongoose.mongo;
import { useFreshConnection } from './harness';

describe('transactions', () => {
  const conn = useFreshConnection('txn');
  const accountSchema = new Schema({ owner: { type: String, unique: true }, balanceFen: Number });
  const Account = () => conn().models['Account'] ?? conn().model('Account', accountSchema);
  const Ledger = () => conn().models['Ledger'] ?? conn().model('Ledger', new Schema({ from: String, to: String, fen: Number }));

  beforeAll(async () => {
    await Account().init();
    await Ledger().createCollection();
    await Account().create([{ owner: 'buyer', balanceFen: 10000 }, { owner: 'farm', balanceFen: 0 }]);
  });

  it('commits writes across collections atomically', async () => {
    await conn().transaction(async (session) => {
      await Account().updateOne({ owner: 'buyer' }, { $inc: { balanceFen: -3000 } }, { session });
      await Account().updateOne({ owner: 'farm' }, { $inc: { balanceFen: 3000 } }, { session });
      await Ledger().create([{ from: 'buyer', to: 'farm', fen: 3000 }], { session });
    });
    expect((await Account().findOne({ owner: 'buyer' }).lean())?.balanceFen).toBe(7000);
    expect((await Account().findOne({ owner: 'farm' }).lean())?.balanceFen).toBe(3000);
    expect(await Ledger().countDocuments()).toBe(1);
  });

  it('leaves no trace when aborted', async () => {
    await expect(
      conn().transaction(async (session) => {
        await Account().updateOne({ owner: 'buyer' }, { $inc: { balanceFen: -1 } }, { session });
        await Ledger().create([{ from: 'buyer', to: 'farm', fen: 1 }], { session });
        await Account().create([{ owner: 'ghost', balanceFen: 1 }], { session });
        await conn().collection('never_created').insertOne({ a: 1 }, { session });
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    expect((await Account().findOne({ owner: 'buyer' }).lean())?.balanceFen).toBe(7000);
    expect(await Ledger().countDocuments()).toBe(1);
    expect(await Account().findOne({ owner: 'ghost' })).toBeNull();
    const collections = await conn().listCollections();
    expect(collections.map((c) => c.name)).not.toContain('never_created');
  });

  it('reads its own writes and hides them from others until commit', async () => {
    const session = await conn().startSession();
    try {
      session.startTransaction();
      await Account().updateOne({ owner: 'farm' }, { $inc: { balanceFen: 500 } }, { session });
      expect((await Account().findOne({ owner: 'farm' }).session(session).lean())?.balanceFen).toBe(3500);
      expect((await Account().findOne({ owner: 'farm' }).lean())?.balanceFen).toBe(3000);
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect((await Account().findOne({ owner: 'farm' }).lean())?.balanceFen).toBe(3500);
  });

  it('reads from a snapshot: later outside commits are invisible inside', async () => {
    const session = await conn().startSession();
    try {
      session.startTransaction({ readConcern: { level: 'snapshot' } });
      expect((await Account().findOne({ owner: 'buyer' }).session(session).lean())?.balanceFen).toBe(7000);
      await Account().updateOne({ owner: 'buyer' }, { $inc: { balanceFen: 1 } });
      await Account().create({ owner: 'late', balanceFen: 1 });
      expect((await Account().findOne({ owner: 'buyer' }).session(session).lean())?.balanceFen).toBe(7000);
      expect(await Account().countDocuments({}).session(session)).toBe(2);
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect((await Account().findOne({ owner: 'buyer' }).lean())?.balanceFen).toBe(7001);
    await Account().deleteOne({ owner: 'late' });
  });

  it('reports a write conflict with code 112 and the TransientTransactionError label', async () => {
    const first = await conn().startSession();
    const second = await conn().startSession();
    try {
      first.startTransaction();
      second.startTransaction();
      await Account().updateOne({ owner: 'farm' }, { $inc: { balanceFen: 1 } }, { session: first });
      const conflict = await Account()
        .updateOne({ owner: 'farm' }, { $inc: { balanceFen: 2 } }, { session: second })
        .then(() => undefined, (e: unknown) => e);
      expect(conflict).toBeInstanceOf(MongoServerError);
      expect((conflict as InstanceType<typeof MongoServerError>).code).toBe(112);
      expect((conflict as InstanceType<typeof MongoServerError>).hasErrorLabel('TransientTransactionError')).toBe(true);
      await first.commitTransaction();
      await second.abortTransaction().catch(() => undefined);
    } finally {
      await first.endSession();
      await second.endSession();
    }
    expect((await Account().findOne({ owner: 'farm' }).lean())?.balanceFen).toBe(3501);
  });

  it('withTransaction retries a transaction that hit a write conflict', async () => {
    let attempts = 0;
    const blocker = await conn().startSession();
    blocker.startTransaction();
    await Account().updateOne({ owner: 'buyer' }, { $inc: { balanceFen: 1 } }, { session: blocker });
    const session = await conn().startSession();
    try {
      await session.withTransaction(async () => {
        attempts++;
        if (attempts === 2) await blocker.commitTransaction(); // lets the retry through
        await Account().updateOne({ owner: 'buyer' }, { $inc: { balanceFen: -1 } }, { session });
      });
    } finally {
      await session.endSession();
      await blocker.endSession();
    }
    expect(attempts).toBe(2);
    expect((await Account().findOne({ owner: 'buyer' }).lean())?.balanceFen).toBe(7001);
  });

  it('makes a plain write to a document held by a transaction wait for its commit', async () => {
    const session = await conn().startSession();
    try {
      session.startTransaction();
      await Account().updateOne({ owner: 'farm' }, { $inc: { balanceFen: 100 } }, { session });
      let plainDone = false;
      const plain = Account()
        .updateOne({ owner: 'farm' }, { $inc: { balanceFen: 1 } })
        .then(() => (plainDone = true));
      // The plain write cannot finish while the transaction holds the document...
      expect((await Account().findOne({ owner: 'farm' }).lean())?.balanceFen).toBe(3501);
      expect(plainDone).toBe(false);
      await session.commitTransaction(); // ...and does not make the transaction fail.
      await plain;
    } finally {
      await session.endSession();
    }
    expect((await Account().findOne({ owner: 'farm' }).lean())?.balanceFen).toBe(3602);
  });

  it('keeps unique indexes inside transactions', async () => {
    await expect(
      conn().transaction(async (session) => {
        await Account().create([{ owner: 'dup', balanceFen: 0 }], { session });
        await Account().create([{ owner: 'dup', balanceFen: 0 }], { session });
      }),
    ).rejects.toMatchObject({ code: 11000 });
    expect(await Account().countDocuments({ owner: 'dup' })).toBe(0);
  });
});
