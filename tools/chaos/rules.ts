/**
 * The audit's arithmetic, on plain rows read from the stores (no I/O here, so it is unit-tested).
 * Each rule returns how many rows it checked and the ones that break it.
 */
export interface Check {
  name: string;
  checked: number;
  failures: string[];
}

export interface StockRow {
  skuId: string;
  available: number;
  reserved: number;
  sold: number;
  holds: { orderId: string; quantity: number }[];
}

export interface OrderRow {
  id: string;
  /** retail orders are paid through the payment provider; contract orders are invoiced. */
  channel?: string;
  status: string;
  totalFen: number;
  cancelReason?: string;
  capturedFen: number;
  refundedFen: number;
  paymentIntentId?: string;
  /** Refunds the order records; ones with `lines` return part of the goods (recall, return, shortage). */
  refunds: { amountFen: number; reason: string; lines?: unknown[] }[];
  lines: { productId: string; skuId: string; quantity: number }[];
  deadline: Date;
}

export interface IntentRow {
  id: string;
  orderId?: string;
  receivedFen: number;
  refundedFen: number;
  /** When the harness saw the capture succeed (ms), if it was a capture. */
  capturedAt?: number;
}

/** Statuses where the buyer keeps the goods and the shop keeps the money. */
export const MONEY_KEPT = ['paid', 'shipping', 'delivered', 'held'];
/** Statuses that end an order without a sale. */
export const ENDED_UNSOLD = ['cancelled', 'refunded'];
/** Still open: explainable only while the checkout deadline has not passed. */
export const OPEN = ['pending_stock', 'awaiting_payment', 'authorised'];

/** initial = available + reserved + sold for every SKU; no negative count; reserved = the holds' sum. */
export function stockConserved(initial: Map<string, number>, rows: StockRow[]): Check {
  const failures: string[] = [];
  const bySku = new Map(rows.map((r) => [r.skuId, r]));
  for (const [skuId, units] of initial) {
    const r = bySku.get(skuId);
    if (!r) {
      failures.push(`${skuId}: stock row missing`);
      continue;
    }
    const now = r.available + r.reserved + r.sold;
    if (now !== units) failures.push(`${skuId}: initial ${units} ≠ available ${r.available} + reserved ${r.reserved} + sold ${r.sold} = ${now}`);
    if (r.available < 0 || r.reserved < 0 || r.sold < 0) failures.push(`${skuId}: negative count (available ${r.available}, reserved ${r.reserved}, sold ${r.sold})`);
    const held = r.holds.reduce((s, h) => s + h.quantity, 0);
    if (held !== r.reserved) failures.push(`${skuId}: reserved ${r.reserved} ≠ sum of holds ${held}`);
  }
  return { name: 'stock conserved per SKU (initial = available + reserved + sold, reserved = holds)', checked: initial.size, failures };
}

/** Sold units never exceed what there was, and match the units of orders that kept their goods. */
export function noOversold(initial: Map<string, number>, rows: StockRow[], orders: OrderRow[]): Check {
  const failures: string[] = [];
  const keptUnits = new Map<string, number>();
  for (const o of orders) {
    if (!MONEY_KEPT.includes(o.status)) continue;
    for (const l of o.lines) keptUnits.set(l.skuId, (keptUnits.get(l.skuId) ?? 0) + l.quantity);
  }
  for (const r of rows) {
    const units = initial.get(r.skuId);
    if (units === undefined) continue;
    if (r.sold > units) failures.push(`${r.skuId}: sold ${r.sold} > ${units} there were`);
    const kept = keptUnits.get(r.skuId) ?? 0;
    if (kept > units) failures.push(`${r.skuId}: orders keep ${kept} units of ${units}`);
  }
  return { name: 'no oversold unit (sold ≤ initial; paid orders’ units ≤ initial)', checked: rows.length, failures };
}

/**
 * Every order in one known state; an open one only before its deadline; none that ended unsold still
 * holding stock; every order that kept its goods has its units committed (not still held).
 */
export function ordersSettled(orders: OrderRow[], rows: StockRow[], now: number): Check {
  const failures: string[] = [];
  const holders = new Map<string, string[]>();
  for (const r of rows) for (const h of r.holds) holders.set(h.orderId, [...(holders.get(h.orderId) ?? []), r.skuId]);
  for (const o of orders) {
    const held = holders.get(o.id);
    if (![...MONEY_KEPT, ...ENDED_UNSOLD, ...OPEN].includes(o.status)) failures.push(`${o.id}: unknown status ${o.status}`);
    else if (OPEN.includes(o.status) && o.deadline.getTime() < now) failures.push(`${o.id}: still ${o.status} past its deadline ${o.deadline.toISOString()}`);
    if (held && ENDED_UNSOLD.includes(o.status)) failures.push(`${o.id}: ${o.status}${o.cancelReason ? ` (${o.cancelReason})` : ''} but still holds ${held.join(', ')}`);
    if (held && MONEY_KEPT.includes(o.status)) failures.push(`${o.id}: ${o.status} but its units are still held, not committed (${held.join(', ')})`);
  }
  for (const [orderId, skus] of holders) if (!orders.some((o) => o.id === orderId)) failures.push(`hold for unknown order ${orderId} (${skus.join(', ')})`);
  return { name: 'every order in one terminal or explainable state; none ended and holding stock', checked: orders.length, failures };
}

/** What the shop keeps of an order: its total less the refunds of lines taken back (recall, return…). */
export function keptFen(o: OrderRow): number {
  if (!MONEY_KEPT.includes(o.status)) return 0;
  return o.totalFen - o.refunds.filter((r) => r.lines?.length).reduce((s, r) => s + r.amountFen, 0);
}

/**
 * Money: what the payment provider kept (captured − refunded) equals, order by order, what the
 * order's own record says it kept, and what it should keep: the total less the refunded lines for an
 * order that kept goods, zero for one that ended unsold; and the same in sum.
 */
export function moneyBalances(orders: OrderRow[], intents: IntentRow[]): Check {
  const failures: string[] = [];
  const netByOrder = new Map<string, number>();
  for (const i of intents) if (i.orderId) netByOrder.set(i.orderId, (netByOrder.get(i.orderId) ?? 0) + i.receivedFen - i.refundedFen);
  let expected = 0;
  let kept = 0;
  const paidByProvider = orders.filter((o) => (o.channel ?? 'retail') === 'retail');
  for (const o of paidByProvider) {
    const want = keptFen(o);
    const got = netByOrder.get(o.id) ?? 0;
    expected += want;
    kept += got;
    if (got !== want) failures.push(`${o.id} (${o.status}): provider kept ${got} fen, expected ${want}`);
    else if (got !== o.capturedFen - o.refundedFen) failures.push(`${o.id} (${o.status}): provider kept ${got} fen, the order records ${o.capturedFen} − ${o.refundedFen}`);
    netByOrder.delete(o.id);
  }
  for (const [orderId, net] of netByOrder) {
    kept += net;
    if (net !== 0) failures.push(`provider kept ${net} fen for unknown order ${orderId}`);
  }
  if (kept !== expected) failures.push(`in sum: captured − refunded = ${kept} fen ≠ paid orders' totals less refunded lines ${expected} fen`);
  return { name: 'money: captured − refunded = paid orders’ totals less refunded lines (per order and in sum)', checked: paidByProvider.length, failures };
}

/** Every recall refunded: a held order has a recall refund; an order ended by a recall got all its money back. */
export function recallsRefunded(orders: OrderRow[]): Check {
  const failures: string[] = [];
  let checked = 0;
  for (const o of orders) {
    if (o.status === 'held') {
      checked++;
      if (!o.refunds.some((r) => r.reason === 'recall')) failures.push(`${o.id}: held without a recall refund`);
    } else if (o.cancelReason === 'recall') {
      checked++;
      if (o.refundedFen !== o.capturedFen) failures.push(`${o.id}: recalled, refunded ${o.refundedFen} of ${o.capturedFen} fen`);
    }
  }
  return { name: 'every recall refunded (held orders refunded the recalled lines; recalled orders in full)', checked, failures };
}

/** A block lasts from the certifier's reply until a reinstatement's reply (or for ever). */
export interface BlockWindow {
  productId: string;
  from: number;
  until?: number;
}

/** No capture for a product while a block of it was in force (the block's reply came before the capture). */
export function noCaptureWhileBlocked(orders: OrderRow[], intents: IntentRow[], blocks: BlockWindow[]): Check {
  const failures: string[] = [];
  const byOrder = new Map(orders.map((o) => [o.id, o]));
  let checked = 0;
  for (const i of intents) {
    if (i.capturedAt === undefined || !i.orderId) continue;
    checked++;
    const order = byOrder.get(i.orderId);
    for (const l of order?.lines ?? []) {
      const block = blocks.find((b) => b.productId === l.productId && b.from < i.capturedAt! && (b.until === undefined || i.capturedAt! < b.until));
      if (block) failures.push(`${i.orderId}: captured ${i.capturedAt - block.from} ms after ${l.productId} was blocked`);
    }
  }
  return { name: 'no capture for a product blocked before the capture', checked, failures };
}

/** Logistics' `excursions` collection, as its schema names the fields. */
export interface ExcursionRow {
  id: string;
  status: string;
  holdIds: string[];
}

/** Logistics' `holds` collection, and the status the shipment line records for that hold. */
export interface HoldRow {
  id: string;
  cause: string;
  status: string;
  channel?: string;
  decidedBy?: string;
  reason?: string;
  remedy?: string;
  /** `holdStatus` of the shipment line that names this hold (undefined: no line names it any more). */
  lineHoldStatus?: string;
}

/**
 * Every excursion closed: ended (the compartment back in range) and each hold it raised decided by
 * QA (released or rejected). Nothing the harness does leaves a compartment out of range at the end.
 */
export function excursionsClosed(excursions: ExcursionRow[], holds: HoldRow[]): Check {
  const byId = new Map(holds.map((h) => [h.id, h]));
  const failures: string[] = [];
  for (const e of excursions) {
    if (e.status !== 'ended') failures.push(`excursion ${e.id}: still ${e.status}`);
    for (const id of e.holdIds) {
      const h = byId.get(id);
      if (!h) failures.push(`excursion ${e.id}: hold ${id} missing`);
      else if (h.status !== 'released' && h.status !== 'rejected') failures.push(`excursion ${e.id}: hold ${id} still ${h.status} (no QA decision)`);
    }
  }
  return { name: 'every excursion closed (ended, each of its holds released or rejected)', checked: excursions.length, failures };
}

/**
 * Every held item accounted for: released, or rejected with who decided, why and the remedy
 * (refund or replace); the shipment line records the same status.
 * An item still held fails with its cause and reason (the workload's QA decides every one before the audit).
 */
export function holdsAccountedFor(holds: HoldRow[]): Check {
  const failures: string[] = [];
  for (const h of holds) {
    const what = `hold ${h.id} (${h.cause})`;
    if (h.status === 'held') failures.push(`${what}: still held${h.reason ? ` — ${h.reason}` : ''}`);
    else if (h.status !== 'released' && h.status !== 'rejected') failures.push(`${what}: unknown status ${h.status}`);
    else if (!h.decidedBy || !h.reason) failures.push(`${what}: ${h.status} without who decided or why`);
    else if (h.status === 'rejected' && h.remedy !== 'refund' && h.remedy !== 'replace') failures.push(`${what}: rejected without a remedy (refund or replace) for its ${h.channel ?? '?'} order`);
    // A line names its latest hold only (a recall after an excursion on the same line takes its place).
    if (h.lineHoldStatus !== undefined && h.lineHoldStatus !== h.status) failures.push(`${what}: ${h.status} but the shipment line says ${h.lineHoldStatus ?? 'nothing'}`);
  }
  return { name: 'every held item accounted for (released, or rejected with a remedy; the shipment line agrees)', checked: holds.length, failures };
}
