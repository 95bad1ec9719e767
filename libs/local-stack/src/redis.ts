import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisOptions {
  /** Keep data here with append-only persistence; omitted = a throw-away directory, no persistence. */
  dataDir?: string;
  port?: number;
  /** The redis-server executable (default: `redis-server` from PATH). */
  binary?: string;
  /** Own process group: a terminal's Ctrl-C then reaches only the launcher, which stops redis last. */
  detached?: boolean;
}

export interface RunningRedis {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export const REDIS_INSTALL_HINT =
  'redis-server was not found. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`) or set REDIS_URL to a running Redis.';

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a redis-server from the OS on 127.0.0.1. Resolves when it accepts connections; `stop()`
 * shuts it down (and removes a throw-away data directory).
 */
export async function startRedis(options: RedisOptions = {}): Promise<RunningRedis> {
  const port = options.port ?? (await freePort());
  const throwAway = !options.dataDir;
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'techan-redis-'));
  mkdirSync(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--protected-mode', 'yes'];
  args.push(...(throwAway ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'everysec']));
  const child: ChildProcess = spawn(options.binary ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });

  await new Promise<void>((resolve, reject) => {
    let output = '';
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new Error(REDIS_INSTALL_HINT) : error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`redis-server exited with code ${code}:\n${output}`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!ready && output.includes('Ready to accept connections')) {
        ready = true;
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          if (throwAway) rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        // SIGINT: redis-server reliably runs its shutdown on it here (SIGTERM was seen ignored right after start).
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(killer);
          done();
        });
        child.kill('SIGINT');
      }),
  };
}
