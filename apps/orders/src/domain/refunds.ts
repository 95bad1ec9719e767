/**
 * Money going back: how much of a payment may still be refunded, what a set of returned lines is worth,
 * and the 假一赔廿 consumer guarantee (a confirmed fake: the price back plus twenty times the price as
 * compensation). All integer fen.
 */
export interface PricedLine {
  skuId: string;
  quantity: number;
  unitPriceFen: number;
}

export class RefundError extends Error {
  constructor(
    readonly code: 'nothing_captured' | 'amount_too_large' | 'line_not_in_order' | 'quantity_too_large',
    message: string,
  ) {
    super(message);
  }
}

export function refundableFen(capturedFen: number, refundedFen: number): number {
  return Math.max(0, capturedFen - refundedFen);
}

/** The value of returned lines, at the prices paid; quantities beyond what was bought (less already returned) are refused. */
export function valueOfLines(order: readonly PricedLine[], lines: readonly { skuId: string; quantity: number }[], alreadyReturned: ReadonlyMap<string, number> = new Map()): number {
  let total = 0;
  for (const l of lines) {
    const bought = order.find((o) => o.skuId === l.skuId);
    if (!bought) throw new RefundError('line_not_in_order', `订单中没有 ${l.skuId}`);
    const left = bought.quantity - (alreadyReturned.get(l.skuId) ?? 0);
    if (l.quantity > left) throw new RefundError('quantity_too_large', `${l.skuId} 最多可退 ${left} 件`);
    total += bought.unitPriceFen * l.quantity;
  }
  return total;
}

export function checkRefund(amountFen: number, capturedFen: number, refundedFen: number): void {
  if (capturedFen === 0) throw new RefundError('nothing_captured', '该订单没有已扣款的金额');
  const left = refundableFen(capturedFen, refundedFen);
  if (amountFen > left) throw new RefundError('amount_too_large', `最多可退 ¥${(left / 100).toFixed(2)}`);
}

/** 假一赔廿: the price of the fake units back (refund) and twenty times it as compensation credit. */
export const FAKE_COMPENSATION_MULTIPLE = 20;

export function fakeCompensation(unitPriceFen: number, quantity: number): { refundFen: number; compensationFen: number } {
  const price = unitPriceFen * quantity;
  return { refundFen: price, compensationFen: price * FAKE_COMPENSATION_MULTIPLE };
}
