import { getConnectionToken } from '@nestjs/mongoose';
import { createEvent, ownerOf, type AuthUser, type DeliveryRequestedV1, type EventType } from '@techan/common';
import { publishTestEvent, type TestService } from '@techan/common/testing';
import { testBusEnv } from '@techan/local-stack';
import type { Connection } from 'mongoose';

export const dispatcher: AuthUser = { userId: 'u-dispatcher-1', roles: ['dispatcher'], merchantIds: [], buyerOrgIds: [] };
export const otherDispatcher: AuthUser = { userId: 'u-dispatcher-taishan', roles: ['dispatcher'], merchantIds: [], buyerOrgIds: [] };
export const operator: AuthUser = { userId: 'u-operator-1', roles: ['operator'], merchantIds: [], buyerOrgIds: [] };

export async function emit(svc: TestService, type: EventType, subject: string, data: unknown, id?: string) {
  const event = createEvent(type, subject, data, { source: ownerOf(type) ?? 'test', ...(id ? { id } : {}) });
  // As the owning service, with its bus credentials (only the owner may write its topics).
  await publishTestEvent(testBusEnv(ownerOf(type) ?? 'test'), svc.config.EVENT_PREFIX, event);
  return event;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are read ad hoc
export async function json(res: Response, status: number): Promise<any> {
  const body = await res.json();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Events this service recorded in its outbox (what it published). */
export async function published(svc: TestService, type: string): Promise<{ subject: string; envelope: { data: Record<string, unknown> } }[]> {
  const db = svc.app.get<Connection>(getConnectionToken());
  return (await db.collection('outbox').find({ type }).sort({ seq: 1 }).toArray()) as never;
}

export function deliveryRequest(n: string, over: Partial<DeliveryRequestedV1> = {}): DeliveryRequestedV1 {
  return {
    requestId: `req-${n}`,
    orderId: `ord-${n}`,
    channel: 'retail',
    buyerId: 'u-shopper-1',
    address: { text: `广东省江门市开平市长沙街道 ${n} 号`, lat: 22.38 + Number(n.replace(/\D/g, '') || 0) * 0.003, lng: 112.69 + Number(n.replace(/\D/g, '') || 0) * 0.002 },
    window: { from: '2026-12-01T01:00:00Z', until: '2026-12-01T09:00:00Z' },
    lines: [{ lineId: `ord-${n}:goose`, productId: 'p-magang-goose', skuId: 'sku-goose-frozen', nameZh: '马冈鹅（冷冻整鹅）', quantity: 2, temperatureClass: 'frozen', weightGrams: 6000 }],
    requestedAt: '2026-11-30T10:00:00Z',
    ...over,
  };
}
