import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { createEvent, ownerOf, type AuthUser, type CertificateSnapshot, type EventType } from '@techan/common';
import { publishTestEvent, type TestService } from '@techan/common/testing';
import { testBusEnv } from '@techan/local-stack';
import type { Clock } from '../app/institutional/institutional.tokens';

export async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A clock the test moves by hand (Shanghai times written as ISO with +08:00). */
export class FakeClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  set(iso: string): void {
    this.at = new Date(iso);
  }
}

export async function emit(svc: TestService, type: EventType, subject: string, data: unknown): Promise<void> {
  const event = createEvent(type, subject, data, { source: ownerOf(type) ?? 'test' });
  await publishTestEvent(testBusEnv(ownerOf(type) ?? 'test'), svc.config.EVENT_PREFIX, event);
}

/** Events the service recorded in its outbox (what it publishes), newest last. */
export async function outboxEvents(svc: TestService, type: string, subject?: string): Promise<{ subject: string; data: Record<string, unknown> }[]> {
  const conn = svc.app.get<Connection>(getConnectionToken());
  const rows = await conn
    .collection('outbox')
    .find({ type, ...(subject ? { subject } : {}) })
    .sort({ seq: 1 })
    .toArray();
  return rows.map((r) => ({ subject: r['subject'] as string, data: (r['envelope'] as { data: Record<string, unknown> }).data }));
}

export const cert = (mark: CertificateSnapshot['mark'], extra: Partial<CertificateSnapshot> = {}): CertificateSnapshot => ({
  certificateId: `c-${mark}-${extra.level ?? 0}`,
  mark,
  status: 'active',
  colour: 'green',
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2099-01-01T00:00:00.000Z',
  ...extra,
});

export interface DemoProductSpec {
  productId: string;
  merchantId: string;
  name: string;
  categoryId: string;
  temperatureClass: 'frozen' | 'chilled' | 'ambient' | 'hot';
  skus: { skuId: string; specZh: string; unit: string; priceFen: number; netContent?: { value: number; unit: 'g' | 'ml' | 'piece' } }[];
  certificates: CertificateSnapshot[];
}

/** Feeds orders' catalogue projection as catalog and certification would. */
export async function publishProduct(svc: TestService, p: DemoProductSpec, version = 1): Promise<void> {
  await emit(svc, 'techan.catalog.product-upserted.v1', p.productId, {
    productId: p.productId,
    merchantId: p.merchantId,
    name: p.name,
    categoryId: p.categoryId,
    tier: 'mass',
    temperatureClass: p.temperatureClass,
    listed: true,
    skus: p.skus,
    updatedAt: new Date().toISOString(),
  });
  await emit(svc, 'techan.certification.product-status-changed.v1', p.productId, {
    productId: p.productId,
    merchantId: p.merchantId,
    productName: p.name,
    version,
    certificates: p.certificates,
    purchasable: true,
    changedAt: new Date().toISOString(),
  });
}

export const users = {
  operator: { userId: 'u-operator-1', roles: ['operator'], merchantIds: [], buyerOrgIds: [] } as AuthUser,
  schoolAdmin: { userId: 'u-buyer-1', roles: ['buyer'], merchantIds: [], buyerOrgIds: ['org-kaiping-no1-middle-school'] } as AuthUser,
  schoolReceiver: { userId: 'u-receiver-1', roles: ['buyer'], merchantIds: [], buyerOrgIds: ['org-kaiping-no1-middle-school'] } as AuthUser,
  hospitalAdmin: { userId: 'u-hospital-1', roles: ['buyer'], merchantIds: [], buyerOrgIds: ['org-kaiping-central-hospital'] } as AuthUser,
  kitchen: { userId: 'u-kitchen-1', roles: ['merchant'], merchantIds: ['m-kitchen'], buyerOrgIds: [] } as AuthUser,
  otherMerchant: { userId: 'u-merchant-x', roles: ['merchant'], merchantIds: ['m-other'], buyerOrgIds: [] } as AuthUser,
  shopper: { userId: 'u-shopper-1', roles: ['shopper'], merchantIds: [], buyerOrgIds: [] } as AuthUser,
};
