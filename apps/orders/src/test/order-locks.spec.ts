import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { startTestService, type TestService } from '@techan/common/testing';
import { testServiceEnv } from '@techan/local-stack';
import { AppModule } from '../app/app.module';
import { OrderLocks } from '../app/persistence/order-locks';
import { ORDERS_SERVICE } from '../service';

jest.setTimeout(60_000);

/** Two orders processes (here: two OrderLocks on one database, as two pods share it) never run one order's steps at once. */
describe('OrderLocks across processes', () => {
  let svc: TestService;
  let conn: Connection;
  beforeAll(async () => {
    svc = await startTestService(ORDERS_SERVICE, AppModule, testServiceEnv('orders'));
    conn = svc.app.get<Connection>(getConnectionToken());
  });
  afterAll(() => svc?.stop());

  it('lets one holder in at a time per order, and different orders side by side', async () => {
    const podA = new OrderLocks(conn);
    const podB = new OrderLocks(conn);
    let inside = 0;
    let most = 0;
    const step = (locks: OrderLocks, orderId: string) =>
      locks.run(orderId, async () => {
        inside++;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 30));
        inside--;
      });
    await Promise.all([...Array.from({ length: 6 }, () => step(podA, 'o-lock-1')), ...Array.from({ length: 6 }, () => step(podB, 'o-lock-1'))]);
    expect(most).toBe(1);

    const started: number[] = [];
    const t0 = Date.now();
    await Promise.all(
      ['o-lock-2', 'o-lock-3'].map((id, i) =>
        (i ? podB : podA).run(id, async () => {
          started.push(Date.now() - t0);
          await new Promise((r) => setTimeout(r, 300));
        }),
      ),
    );
    expect(Math.max(...started)).toBeLessThan(250); // neither waited for the other
    expect(await conn.collection('order_leases').countDocuments({})).toBe(0); // released
  });

  it("takes over a lapsed lease of a crashed process, and waits for a live one", async () => {
    const leases = conn.collection('order_leases');
    await leases.insertOne({ _id: 'o-crashed' as never, owner: 'dead-pod', until: new Date(Date.now() - 1) });
    const locks = new OrderLocks(conn);
    expect(await locks.run('o-crashed', async () => 'ran')).toBe('ran');

    await leases.insertOne({ _id: 'o-held' as never, owner: 'live-pod', until: new Date(Date.now() + 60_000) });
    let ran = false;
    const waiting = locks.run('o-held', async () => void (ran = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(ran).toBe(false);
    await leases.deleteOne({ _id: 'o-held' as never });
    await waiting;
    expect(ran).toBe(true);
  });
});
