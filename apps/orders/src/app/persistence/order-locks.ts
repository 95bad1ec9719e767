import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { KeyedLock } from './keyed-lock';

interface LeaseDoc {
  _id: string;
  owner: string;
  until: Date;
}

export class OrderBusy extends Error {}

/**
 * One payment step or refund of an order at a time, across every orders process (k8s runs two or
 * more): two refunds of one order computed side by side would each see the other's money as still
 * there, and a capture racing a cancellation wastes Stripe calls on idempotency conflicts. Callers in
 * this process queue in memory; between processes a lease document in MongoDB (`order_leases`) is the
 * lock. A lease outlives a crashed holder by at most LEASE_MS, after which another process takes it;
 * work longer than that is still safe (compare-and-set moves, Stripe idempotency keys), only no longer
 * exclusive. MongoDB has no lock primitive, and a Redis lock (Redlock) would add a second store to
 * every payment step; the order's own database is the one that must be up for the work anyway.
 */
@Injectable()
export class OrderLocks {
  static readonly LEASE_MS = 60_000;
  static readonly WAIT_MS = 30_000;
  private readonly logger = new Logger(OrderLocks.name);
  private readonly local = new KeyedLock();
  private readonly leases: Collection<LeaseDoc>;

  constructor(@InjectConnection() connection: Connection) {
    this.leases = connection.collection<LeaseDoc>('order_leases');
  }

  run<T>(orderId: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(orderId, async () => {
      const owner = await this.acquire(orderId);
      try {
        return await work();
      } finally {
        await this.leases.deleteOne({ _id: orderId, owner }).catch((e: unknown) => this.logger.warn(`lease of ${orderId} not released (it lapses by itself): ${String(e)}`));
      }
    });
  }

  private async acquire(orderId: string): Promise<string> {
    const owner = randomUUID();
    const deadline = Date.now() + OrderLocks.WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      const now = new Date();
      try {
        // Takes a free or lapsed lease; a live one makes the upsert collide with its _id (E11000).
        const held = await this.leases.findOneAndUpdate(
          { _id: orderId, until: { $lt: now } },
          { $set: { owner, until: new Date(now.getTime() + OrderLocks.LEASE_MS) } },
          { upsert: true, returnDocument: 'after' },
        );
        if (held?.owner === owner) return owner;
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
      }
      if (Date.now() > deadline) throw new OrderBusy(`order ${orderId} is busy in another process; try again`);
      await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** Math.min(attempt, 5))));
    }
  }
}
