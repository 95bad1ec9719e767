import { getConnectionToken } from '@nestjs/mongoose';
import type { AuthUser } from '@techan/common';
import { DEMO_USERS } from '@techan/common';
import { startTestService } from '@techan/common/testing';
import type { TestService } from '@techan/common/testing';
import { testServiceEnv } from '@techan/local-stack';
import type { Connection } from 'mongoose';
import { AppModule } from '../app/app.module';
import { CLOCK } from '../app/tokens';
import { ManualClock } from '../domain';
import { CERTIFICATION_SERVICE } from '../service';

export const PRINCIPALS = {
  merchant: { userId: 'u-merchant-goose', roles: ['merchant'], merchantIds: ['m-magang-goose'], buyerOrgIds: [] },
  otherMerchant: { userId: 'u-merchant-tea', roles: ['merchant'], merchantIds: ['m-dasha-tea'], buyerOrgIds: [] },
  certifier: DEMO_USERS['certifier'],
  inspector: DEMO_USERS['inspector'],
  shopper: DEMO_USERS['shopper'],
} satisfies Record<string, AuthUser>;

// JSON replies are read field by field in the assertions, which check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** The certification service in-process on the local stack, with a clock the test moves by hand. */
export class ApiHarness {
  svc!: TestService;
  readonly clock = new ManualClock('2026-03-01T02:00:00.000Z');

  /** Environment of the running service (to start a second instance on the same database and bus). */
  get env(): Record<string, string> {
    const c = this.svc.config;
    return { MONGO_URL: c.MONGO_URL, MONGO_DB: c.MONGO_DB, EVENT_PREFIX: c.EVENT_PREFIX };
  }

  async start(env: Record<string, string> = {}, eventPrefix?: string): Promise<this> {
    this.svc = await startTestService(
      CERTIFICATION_SERVICE,
      AppModule,
      {
        ...testServiceEnv('certification', eventPrefix ? { eventPrefix } : {}),
        VERIFY_BASE_URL: 'https://verify.techan.example',
        SWEEP_INTERVAL_MS: '0', // tests drive the sweeper with the manual clock
        VERIFY_RATE_LIMIT_PER_MINUTE: '100000',
        LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'error',
        ...env,
      },
      (builder) => builder.overrideProvider(CLOCK).useValue(this.clock),
    );
    return this;
  }

  async stop(): Promise<void> {
    await this.svc?.stop();
  }

  get baseUrl(): string {
    return this.svc.url;
  }

  get redisUrl(): string {
    return this.svc.config.REDIS_URL;
  }

  /** The bus namespace of this service (probes and test publishers use the same). */
  get eventPrefix(): string {
    return this.svc.config.EVENT_PREFIX;
  }

  get<T>(token: abstract new (...args: never[]) => T): T {
    return this.svc.app.get(token as never);
  }

  get connection(): Connection {
    return this.svc.app.get(getConnectionToken());
  }

  token(user: AuthUser): string {
    return this.svc.token(user);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async request<T = any>(method: string, path: string, options: { as?: AuthUser; body?: unknown; raw?: string } = {}): Promise<Reply<T>> {
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

  /** Status events recorded in the outbox for a product, oldest first. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async statusEvents(productId: string): Promise<any[]> {
    const rows = await this.connection.collection('outbox').find({ subject: productId }).toArray();
    return rows.map((r) => r['envelope']).sort((a, b) => a.data.version - b.data.version);
  }
}
