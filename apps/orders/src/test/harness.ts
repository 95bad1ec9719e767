import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import Stripe from 'stripe';
import { createEvent, EVENT_TYPES, ownerOf, type AuthUser, type EventType } from '@techan/common';
import { publishTestEvent, startTestService, type TestService } from '@techan/common/testing';
import { startCertificationStatus, startTestPayments, testBusEnv, testServiceEnv, type RunningCertificationStatus, type RunningStripeStandin } from '@techan/local-stack';
import { AppModule } from '../app/app.module';
import { ORDERS_SERVICE } from '../service';

export async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what} not reached in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const FAR = '2099-01-01T00:00:00.000Z';
export const cert = (status: 'active' | 'red_warning' = 'active', validUntil = FAR) => ({
  certificateId: 'c-1',
  mark: 'magang' as const,
  status,
  colour: status === 'red_warning' ? ('red' as const) : ('green' as const),
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil,
});

export const ADDRESS = { text: '广东省江门市开平市长沙街道幕沙路 1 号', lat: 22.376, lng: 112.698, contactName: '李女士', contactPhone: '13800000000' };

export interface OrdersHarness {
  svc: TestService;
  /** Certification's status endpoint (orders asks it before money moves): answers what product()/block()/decide() said. */
  authority: RunningCertificationStatus;
  /** The certifier's decision as certification's records hold it, before (or without) its event reaching orders. */
  decide(productId: string, status: 'active' | 'red_warning', version?: number): void;
  standin: RunningStripeStandin;
  stripe: Stripe;
  conn: Connection;
  emit(type: EventType, subject: string, data: unknown): Promise<void>;
  product(productId: string, skuId: string, priceFen: number, opts?: { status?: 'active' | 'red_warning'; version?: number; name?: string; temperatureClass?: 'chilled' | 'ambient' }): Promise<void>;
  block(productId: string, version: number): Promise<void>;
  /** Events orders recorded in its outbox. */
  published(type: EventType, subject?: string): Promise<{ data: Record<string, unknown> }[]>;
  /** Plays catalog: reserves (or rejects) every order placed and not yet answered. */
  reserve(orderId: string, until?: Date): Promise<void>;
  order(user: AuthUser, orderId: string): Promise<Record<string, any>>;
  waitStatus(user: AuthUser, orderId: string, status: string, ms?: number): Promise<Record<string, any>>;
  checkout(user: AuthUser, method?: 'card' | 'alipay' | 'wechat_pay'): Promise<Response>;
  stop(): Promise<void>;
}

/** The orders service on the local stack with the Stripe stand-in delivering signed webhooks to it; catalog and certification are played by the test. */
export async function startOrders(extraEnv: Record<string, string> = {}): Promise<OrdersHarness> {
  const payments = await startTestPayments();
  const authority = await startCertificationStatus();
  const versions = new Map<string, number>();
  const svc = await startTestService(ORDERS_SERVICE, AppModule, { ...testServiceEnv('orders'), ...payments.env, CHECKOUT_SWEEP_MS: '0', PUBLIC_BASE_URL: 'http://shop.test', CERTIFICATION_URL: authority.url, ...extraEnv });
  payments.hook(`${svc.url}/payments/webhooks/stripe`);
  const standin = payments.standin as RunningStripeStandin;
  const conn = svc.app.get<Connection>(getConnectionToken());
  const emit = async (type: EventType, subject: string, data: unknown) => {
    const event = createEvent(type, subject, data, { source: ownerOf(type) ?? 'test' });
    await publishTestEvent(testBusEnv(ownerOf(type) ?? 'test'), svc.config.EVENT_PREFIX, event);
  };
  const h: OrdersHarness = {
    svc,
    authority,
    decide(productId, status, version = (versions.get(productId) ?? 0) + 1) {
      versions.set(productId, version);
      authority.set({ productId, merchantId: 'm-magang-goose', version, certificates: [cert(status)], purchasable: status === 'active', changedAt: new Date().toISOString() });
    },
    standin,
    stripe: new Stripe('sk_test_orders_spec', { ...standin.sdkOptions, maxNetworkRetries: 0 }),
    conn,
    emit,
    async product(productId, skuId, priceFen, opts = {}) {
      h.decide(productId, opts.status ?? 'active', opts.version ?? 1);
      await emit(EVENT_TYPES.ProductUpserted, productId, {
        productId,
        merchantId: 'm-magang-goose',
        merchantName: '开平市马冈鹅养殖专业合作社',
        name: opts.name ?? '马冈鹅（冰鲜整鹅）',
        temperatureClass: opts.temperatureClass ?? 'chilled',
        listed: true,
        skus: [{ skuId, specZh: '整只约 2.5 kg', unit: '只', priceFen, netContent: { value: 2500, unit: 'g' } }],
        updatedAt: new Date().toISOString(),
      });
      await emit(EVENT_TYPES.ProductStatusChanged, productId, {
        productId,
        merchantId: 'm-magang-goose',
        version: opts.version ?? 1,
        certificates: [cert(opts.status ?? 'active')],
        purchasable: (opts.status ?? 'active') === 'active',
        changedAt: new Date().toISOString(),
      });
      const res = await until(async () => {
        const doc = await conn.collection('catalogue_items').findOne({ _id: productId as never });
        return doc && (doc['skus'] as unknown[]).length && doc['certVersion'] === (opts.version ?? 1) ? doc : null;
      }, 30_000, `projection of ${productId}`);
      void res;
    },
    async block(productId, version) {
      h.decide(productId, 'red_warning', version);
      await emit(EVENT_TYPES.ProductStatusChanged, productId, {
        productId,
        merchantId: 'm-magang-goose',
        version,
        certificates: [cert('red_warning')],
        purchasable: false,
        reason: 'red_warning',
        changedAt: new Date().toISOString(),
      });
    },
    async published(type, subject) {
      const rows = await conn
        .collection('outbox')
        .find({ type, ...(subject ? { subject } : {}) })
        .toArray();
      return rows.map((r) => ({ data: (r['envelope'] as { data: Record<string, unknown> }).data }));
    },
    async reserve(orderId, until = new Date(Date.now() + 30 * 60_000)) {
      const placed = await h.published(EVENT_TYPES.OrderPlaced, orderId);
      const lines = (placed[0].data['lines'] as { skuId: string; quantity: number }[]).map((l) => ({ skuId: l.skuId, quantity: l.quantity }));
      await emit(EVENT_TYPES.StockReserved, orderId, { orderId, lines, reservedUntil: until.toISOString() });
    },
    async order(user, orderId) {
      const res = await svc.request(`/orders/${orderId}`, { user });
      return (await res.json()) as Record<string, any>;
    },
    async waitStatus(user, orderId, status, ms = 30_000) {
      return until(async () => {
        const o = await h.order(user, orderId);
        return o['status'] === status ? o : null;
      }, ms, `order ${orderId} ${status}`);
    },
    checkout(user, method = 'card') {
      return svc.request('/checkout', { user, body: { paymentMethod: method, address: ADDRESS } });
    },
    async stop() {
      await svc.stop();
      await payments.stop();
      await authority.stop();
    },
  };
  return h;
}

/** What the shopper's browser does on the stand-in's hosted page. */
export async function payOnPage(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
}
