/** Money is integer fen (分); shown as ¥ with two decimals. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** How an order's status looks in lists: settled well, waiting, or ended without goods. */
export function statusTone(status: string): 'ok' | 'waiting' | 'ended' {
  if (status === 'paid' || status === 'shipping' || status === 'delivered') return 'ok';
  if (status === 'cancelled' || status === 'refunded' || status === 'held') return 'ended';
  return 'waiting';
}

/** The order is still on its way to a payment page or to being paid: the return page keeps asking. */
export function stillSettling(status: string): boolean {
  return status === 'pending_stock' || status === 'awaiting_payment' || status === 'authorised';
}

export const PAYMENT_METHODS = [
  { value: 'alipay', label: '支付宝' },
  { value: 'wechat_pay', label: '微信支付' },
  { value: 'card', label: '银行卡（先授权，复核认证后扣款）' },
] as const;
