import { createConnection } from 'node:net';
import { startRedis } from './redis';

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      resolve(d.toString().trim());
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe('startRedis', () => {
  it('starts a throw-away redis-server on a free loopback port and stops it', async () => {
    const redis = await startRedis();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await ping(redis.port)).toBe('+PONG');
    await redis.stop();
    await expect(ping(redis.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('explains how to install redis-server when it is missing', async () => {
    await expect(startRedis({ binary: '/nonexistent/redis-server' })).rejects.toThrow(/apt-get install -y redis-server/);
  });
});
