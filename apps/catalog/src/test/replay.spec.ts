import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { consumerGroupOf, createEvent, EVENT_TYPES, resetProjection, topicOf, type ProductStatusChangedV1 } from '@techan/common';
import { busOptionsFrom, publishTestEvent } from '@techan/common/testing';
import { testBusEnv } from '@techan/local-stack';
import { SeedService, demoProductId } from '../catalog/seed.service';
import { call, startHarness, type Harness } from './harness';

/**
 * Issue 10: an operator rebuilds catalog's certification projection by replaying certification's
 * status topic (`tools/bus/replay.ts` → `resetProjection`), which also clears a wedged projection.
 */
describe('catalog: rebuilding the certification projection by replaying the status topic', () => {
  let h: Harness | undefined;
  afterAll(() => h?.close());
  const tea = demoProductId('tea-black');
  const type = EVENT_TYPES.ProductStatusChanged;

  const status = (version: number, active: boolean): ProductStatusChangedV1 =>
    ({
      productId: tea,
      merchantId: 'm_demodashatea',
      version,
      certificates: [
        {
          certificateId: 'cert-replay',
          mark: 'dasha',
          status: active ? 'active' : 'red_warning',
          colour: active ? 'green' : 'red',
          validFrom: new Date(Date.now() - 86_400_000).toISOString(),
          validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        },
      ],
      purchasable: active,
      changedAt: new Date().toISOString(),
    }) as ProductStatusChangedV1;
  const buyable = async (harness: Harness) => (await call(harness, 'GET', `/catalog/products/${tea}`)).body.availability?.buyable as boolean;
  async function until(what: string, fn: () => Promise<boolean>, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await fn())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('a projection wedged at a bogus version ignores certification; after the reset and a restart it follows the topic again', async () => {
    h = await startHarness(new Date().toISOString());
    await h.app.get(SeedService).seed();
    const env = { MONGO_URL: h.svc.config.MONGO_URL, MONGO_DB: h.svc.config.MONGO_DB, EVENT_PREFIX: h.svc.config.EVENT_PREFIX };
    const prefix = env.EVENT_PREFIX;
    const certification = testBusEnv('certification');
    const db = h.app.get<Connection>(getConnectionToken());
    const consumed = async (eventId: string) => (await db.collection('inbox').countDocuments({ _id: new RegExp(eventId) } as never)) === 1;
    const red = createEvent(type, tea, status(10, false), { source: 'certification' });
    await publishTestEvent(certification, prefix, red);
    // Not "not buyable": a product without any status is not buyable either, before the warning arrives.
    await until('the red warning to be consumed', () => consumed(red.id));
    expect(await buyable(h)).toBe(false);

    // Wedged (as a bad event or a bug could leave it): the projection claims a version certification never wrote.
    await db.collection('certification_status').updateOne({ _id: tea } as never, { $set: { version: 999 } });
    await db.collection('products').updateOne({ _id: tea } as never, { $set: { certVersion: 999 } });
    const reinstated = createEvent(type, tea, status(11, true), { source: 'certification' });
    await publishTestEvent(certification, prefix, reinstated);
    await until('the reinstatement to be consumed', () => consumed(reinstated.id));
    expect(await buyable(h)).toBe(false); // the wedge: certification's real v11 was ignored

    // The operator's procedure: a running service is refused, a stopped one is reset and replays.
    const admin = busOptionsFrom(testBusEnv('admin'), prefix, 'replay');
    const reset = { group: consumerGroupOf('catalog', type, prefix), topic: topicOf(type, prefix), type, mongoUrl: env.MONGO_URL, database: env.MONGO_DB, dropCollection: 'certification_status' };
    await expect(resetProjection(admin, reset)).rejects.toThrow(/live member\(s\): stop the service first/);
    await h.close();
    h = undefined;
    const done = await resetProjection(admin, reset);
    expect(done.join('\n')).toMatch(/reset to the earliest[\s\S]*certification_status dropped[\s\S]*inbox entries/);

    h = await startHarness(new Date().toISOString(), env);
    await until('the replayed reinstatement', async () => (await buyable(h!)) === true);
    const rebuilt = await h.app.get<Connection>(getConnectionToken()).collection('certification_status').findOne({ _id: tea } as never);
    expect(rebuilt?.['version']).toBe(11);
  });
});
