import type { INestApplication } from '@nestjs/common';
import { startRedis } from '@techan/local-stack';
import type { RunningRedis } from '@techan/local-stack';
import { freshMongoUri } from '@techan/mongo-standin';
import jwt from 'jsonwebtoken';
import type { Connection } from 'mongoose';
import { getConnectionToken } from '@nestjs/mongoose';
import { createCertificationApp } from '../app/bootstrap';
import type { CertificationSettings } from '../app/tokens';
import { ManualClock } from '../domain';

export const JWT_TEST_SECRET = 'test-secret-for-certification-api-0123456789';

export interface Principal {
  sub: string;
  roles: string[];
  merchantId?: string;
}

export const PRINCIPALS = {
  merchant: { sub: 'u-goose', roles: ['merchant'], merchantId: 'm-magang-goose' },
  otherMerchant: { sub: 'u-tea', roles: ['merchant'], merchantId: 'm-dasha-tea' },
  certifier: { sub: 'u-certifier', roles: ['certifier'] },
  inspector: { sub: 'u-inspector', roles: ['inspector'] },
  shopper: { sub: 'u-shopper', roles: ['shopper'] },
} satisfies Record<string, Principal>;

export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** The service on a real port over the local stack: mongo stand-in, a throw-away redis-server. */
export class ApiHarness {
  app!: INestApplication;
  redis!: RunningRedis;
  baseUrl = '';
  readonly clock = new ManualClock('2026-03-01T02:00:00.000Z');

  async start(settings: Partial<CertificationSettings> = {}): Promise<this> {
    this.redis = await startRedis();
    this.app = await createCertificationApp(
      {
        mongoUrl: freshMongoUri('certification'),
        redisUrl: this.redis.url,
        jwtSecret: JWT_TEST_SECRET,
        clock: this.clock,
        settings: {
          verifyBaseUrl: 'https://verify.techan.example',
          verifyCacheTtlSeconds: 300,
          sweepIntervalMs: 0, // tests drive the sweeper by hand with the manual clock
          verifyRateLimitPerMinute: 1000,
          ...settings,
        },
      },
      false,
    );
    await this.app.listen(0, '127.0.0.1');
    const address = this.app.getHttpServer().address() as { port: number };
    this.baseUrl = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.redis?.stop();
  }

  get<T>(type: abstract new (...args: never[]) => T): T;
  get<T>(token: string | symbol): T;
  get<T>(token: unknown): T {
    return this.app.get(token as never);
  }

  get connection(): Connection {
    return this.app.get(getConnectionToken());
  }

  token(principal: Principal): string {
    return jwt.sign(principal, JWT_TEST_SECRET, { algorithm: 'HS256', expiresIn: '1h' });
  }

  async request<T = any>(method: string, path: string, options: { as?: Principal; body?: unknown; raw?: string } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (options.as) headers['authorization'] = `Bearer ${this.token(options.as)}`;
    if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
    return { status: response.status, body: body as T, text, headers: response.headers };
  }

  /** Status events written to the outbox for a product, oldest first. */
  async statusEvents(productId: string): Promise<any[]> {
    const rows = await this.connection.collection('outbox').find({ subject: productId }).sort({ 'envelope.data.version': 1 }).toArray();
    return rows.map((r) => r['envelope']);
  }
}
