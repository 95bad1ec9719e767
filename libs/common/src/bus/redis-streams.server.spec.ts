import { startRedis } from '@techan/local-stack';
import { RedisStreamsServer } from './redis-streams.server';
import { EVENT_TYPES } from '../contracts/registry';

describe('RedisStreamsServer shutdown', () => {
  it('stops promptly even when Redis has gone away (no hang on a blocked read)', async () => {
    const redis = await startRedis();
    const server = new RedisStreamsServer({ redisUrl: redis.url, group: 'g', partitions: 2, prefix: 'gone' });
    server.addHandler(EVENT_TYPES.ProductUpserted, async () => undefined, true);
    await new Promise<void>((resolve) => server.listen(() => resolve()));
    expect(server.isHealthy()).toBe(true);
    await redis.stop();
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.isHealthy()).toBe(false);
  });
});
