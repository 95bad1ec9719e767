import { Schema } from 'mongoose';
import { useFreshConnection } from './harness';

describe('concurrency', () => {
  const conn = useFreshConnection('concurrency');

  it('100 concurrent conditional decrements on stock 10 give exactly 10 wins', async () => {
    const Stock = conn().model('Stock', new Schema({ sku: String, available: Number }));
    await Stock.create({ sku: 'goose-1', available: 10 });
    const attempts = await Promise.all(
      Array.from({ length: 100 }, () =>
        Stock.findOneAndUpdate({ sku: 'goose-1', available: { $gte: 1 } }, { $inc: { available: -1 } }, { returnDocument: 'after' }).lean(),
      ),
    );
    const wins = attempts.filter((r) => r !== null);
    expect(wins).toHaveLength(10);
    expect(new Set(wins.map((w) => w?.available))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect((await Stock.findOne({ sku: 'goose-1' }).lean())?.available).toBe(0);
  });

  it('20 concurrent transactions moving money keep the total constant', async () => {
    const Wallet = conn().model('Wallet', new Schema({ owner: String, fen: Number }));
    await Wallet.create([{ owner: 'a', fen: 1000 }, { owner: 'b', fen: 1000 }]);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        conn().transaction(async (session) => {
          const [from, to] = i % 2 ? ['a', 'b'] : ['b', 'a'];
          await Wallet.updateOne({ owner: from }, { $inc: { fen: -10 } }, { session });
          await Wallet.updateOne({ owner: to }, { $inc: { fen: 10 } }, { session });
        }),
      ),
    );
    const wallets = await Wallet.find().lean();
    expect(wallets.reduce((sum, w) => sum + (w.fen as number), 0)).toBe(2000);
  });
});
