import { startRedis } from '@techan/local-stack';
import { RedisStreamsServer } from './redis-streams.server';
import { EVENT_TYPES } from '../contracts/registry';

describe('RedisStreamsServer shutdown', () => {
  it('never hangs on close when Redis has gone away: waits at most its close timeout', async () => {
    const redis = await startRedis();
    const server = new RedisStreamsServer({ redisUrl: redis.url, group: 'g', partitions: 2, prefix: 'gone', closeTimeoutMs: 2_000 });
    server.addHandler(EVENT_TYPES.ProductUpserted, async () => undefined, true);
    await new Promise<void>((resolve) => server.listen(() => resolve()));
    expect(server.isHealthy()).toBe(true);
    await redis.stop();
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(8_000); // 1 s liveness probe + 2 s close timeout + slack on a loaded CI
    expect(server.isHealthy()).toBe(false);
  });
});
