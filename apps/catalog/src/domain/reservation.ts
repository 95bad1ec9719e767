import type { CertificateSnapshot, OrderPlacedV1, StockRejectedV1 } from '@techan/common';
import { evaluatePurchasable } from '@techan/common';
import { purchasableUntil } from './listing';

/**
 * Stock reservation, the catalogue's step of the checkout saga (DESIGN §3). Planning is pure: it
 * re-checks that every line is for a known SKU of a purchasable product at this moment and works out
 * how long the hold may last. Executing the plan reserves line by line with an atomic conditional
 * decrement (the port's `tryReserve`), and gives back what it took if any line fails: all or nothing.
 */

export interface SkuForReservation {
  skuId: string;
  productId: string;
  listed: boolean;
  merchantApproved: boolean;
  certificates: readonly CertificateSnapshot[];
}

export interface ReservationLine {
  skuId: string;
  quantity: number;
}

export type RejectedLine = StockRejectedV1['lines'][number];

export type ReservationPlan =
  | { ok: true; lines: ReservationLine[]; reservedUntil: Date }
  | { ok: false; lines: RejectedLine[] };

/**
 * The next moment certification's own clock looks at a certificate again: an annual inspection falling
 * due, or a yellow warning's grace running out (then it is suspended). A hold never spans it, so a
 * sale is never completed on a status that may have changed meanwhile without an event yet.
 */
export function nextReview(certificates: readonly CertificateSnapshot[], now: Date): Date | undefined {
  const due = certificates
    .flatMap((c) => [c.nextInspectionAt, c.graceUntil])
    .filter((d): d is string => d !== undefined)
    .map((d) => new Date(d))
    .filter((d) => d.getTime() > now.getTime());
  return due.length ? new Date(Math.min(...due.map((d) => d.getTime()))) : undefined;
}

export function planReservation(
  order: Pick<OrderPlacedV1, 'lines' | 'reserveUntil'>,
  skus: ReadonlyMap<string, SkuForReservation>,
  now: Date,
): ReservationPlan {
  const reserveUntil = new Date(order.reserveUntil);
  // The same SKU may appear on several lines; it is one conditional update of the summed quantity.
  const quantities = new Map<string, number>();
  for (const line of order.lines) quantities.set(line.skuId, (quantities.get(line.skuId) ?? 0) + line.quantity);

  let until = reserveUntil;
  let failed = false;
  const verdicts = new Map<string, RejectedLine>();
  for (const line of order.lines) {
    if (verdicts.has(line.skuId)) continue;
    const sku = skus.get(line.skuId);
    let rejection: RejectedLine | undefined;
    if (!sku || sku.productId !== line.productId) {
      rejection = { skuId: line.skuId, reason: 'unknown_sku', detail: sku ? '该 SKU 不属于订单中的产品' : '商品不存在' };
    } else if (!sku.listed || !sku.merchantApproved) {
      rejection = { skuId: line.skuId, reason: 'not_purchasable', detail: sku.listed ? '商家未通过审核' : '商品已下架' };
    } else {
      const verdict = evaluatePurchasable(sku.certificates, now);
      if (!verdict.purchasable) {
        rejection = { skuId: line.skuId, reason: 'not_purchasable', detail: verdict.reason };
      } else {
        const end = purchasableUntil(sku.certificates, now);
        if (end && end < until) until = end;
        const review = nextReview(sku.certificates, now);
        if (review && review < until) until = review;
      }
    }
    if (rejection) failed = true;
    verdicts.set(line.skuId, rejection ?? { skuId: line.skuId });
  }
  if (!failed && reserveUntil.getTime() <= now.getTime()) {
    return { ok: false, lines: [...verdicts.keys()].map((skuId) => ({ skuId, reason: 'not_purchasable', detail: 'reservation_window_over' })) };
  }
  if (failed) return { ok: false, lines: [...verdicts.values()] };
  return { ok: true, lines: [...quantities].map(([skuId, quantity]) => ({ skuId, quantity })), reservedUntil: until };
}

/** Atomic stock operations; implementations must not read-then-write. */
export interface StockPort {
  /** Decrements available stock by `quantity` only if at least that much is available; true if it did. */
  tryReserve(skuId: string, quantity: number): Promise<boolean>;
  /** Gives `quantity` back to available stock. */
  release(skuId: string, quantity: number): Promise<void>;
}

export type ReservationOutcome =
  | { ok: true; lines: ReservationLine[] }
  | { ok: false; lines: RejectedLine[] };

/**
 * Reserves every line or none. Lines go in SKU order so two orders for the same SKUs contend on
 * the same first line (less wasted work under contention). A failed line releases the lines already
 * taken, in reverse, before returning.
 */
export async function executeReservation(lines: readonly ReservationLine[], port: StockPort): Promise<ReservationOutcome> {
  const ordered = [...lines].sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
  const taken: ReservationLine[] = [];
  for (const line of ordered) {
    let ok: boolean;
    try {
      ok = await port.tryReserve(line.skuId, line.quantity);
    } catch (err) {
      await compensate(taken, port);
      throw err;
    }
    if (!ok) {
      await compensate(taken, port);
      return {
        ok: false,
        lines: lines.map((l) =>
          l.skuId === line.skuId ? { skuId: l.skuId, reason: 'insufficient_stock' as const, detail: `库存不足 ${line.quantity}` } : { skuId: l.skuId },
        ),
      };
    }
    taken.push(line);
  }
  return { ok: true, lines: [...lines] };
}

async function compensate(taken: readonly ReservationLine[], port: StockPort): Promise<void> {
  for (const line of [...taken].reverse()) await port.release(line.skuId, line.quantity);
}

/** A reservation held past its end is released by the sweeper (saga timeout). */
export function isReservationExpired(reservedUntil: Date, now: Date): boolean {
  return now.getTime() >= reservedUntil.getTime();
}
