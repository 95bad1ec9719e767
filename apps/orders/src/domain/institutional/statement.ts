/**
 * Monthly statement arithmetic, integer fen only: every delivered line is billed at its contract (or
 * substitute) unit price for the quantity accepted; shortages and door rejections are shown as
 * deductions from the ordered amount, recalls (items rejected after dispatch) as credits.
 */
export interface StatementInputLine {
  deliveryDate: string;
  orderId: string;
  siteId: string;
  productId: string;
  skuId: string;
  nameZh: string;
  unitPriceFen: number;
  ordered: number;
  accepted: number;
  rejected: number;
  short: number;
  /** Quantity credited after a recall or QA rejection (items-rejected). */
  recalled: number;
}

export interface StatementLine extends StatementInputLine {
  orderedFen: number;
  shortFen: number;
  rejectedFen: number;
  recallFen: number;
  amountFen: number;
}

export interface StatementTotals {
  orderedFen: number;
  shortFen: number;
  rejectedFen: number;
  recallFen: number;
  totalFen: number;
}

function assertFenInt(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}

export function statementLine(l: StatementInputLine): StatementLine {
  for (const k of ['unitPriceFen', 'ordered', 'accepted', 'rejected', 'short', 'recalled'] as const) assertFenInt(l[k], k);
  if (l.accepted + l.rejected + l.short > l.ordered) throw new RangeError(`line ${l.orderId}/${l.skuId}: accepted + rejected + short exceeds ordered`);
  const recalled = Math.min(l.recalled, l.accepted);
  const orderedFen = l.ordered * l.unitPriceFen;
  const shortFen = (l.ordered - l.accepted - l.rejected) * l.unitPriceFen;
  const rejectedFen = l.rejected * l.unitPriceFen;
  const recallFen = recalled * l.unitPriceFen;
  return { ...l, recalled, orderedFen, shortFen, rejectedFen, recallFen, amountFen: orderedFen - shortFen - rejectedFen - recallFen };
}

export function statementTotals(lines: readonly StatementLine[]): StatementTotals {
  const t = { orderedFen: 0, shortFen: 0, rejectedFen: 0, recallFen: 0, totalFen: 0 };
  for (const l of lines) {
    t.orderedFen += l.orderedFen;
    t.shortFen += l.shortFen;
    t.rejectedFen += l.rejectedFen;
    t.recallFen += l.recallFen;
    t.totalFen += l.amountFen;
  }
  return t;
}

/** ¥ with two decimals from fen, exact (no floating point). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** RFC 4180 CSV of the statement (UTF-8 with BOM so spreadsheet programs read Chinese). */
export function statementCsv(lines: readonly StatementLine[], totals: StatementTotals): string {
  const q = (v: string | number) => {
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const header = ['配送日期', '订单号', '站点', '商品', '规格编码', '单价(元)', '订购', '签收', '拒收', '短缺', '召回', '订购金额(元)', '扣减短缺(元)', '扣减拒收(元)', '召回冲减(元)', '应付(元)'];
  const rows = lines.map((l) =>
    [l.deliveryDate, l.orderId, l.siteId, l.nameZh, l.skuId, yuan(l.unitPriceFen), l.ordered, l.accepted, l.rejected, l.short, l.recalled, yuan(l.orderedFen), yuan(l.shortFen), yuan(l.rejectedFen), yuan(l.recallFen), yuan(l.amountFen)].map(q).join(','),
  );
  const total = ['合计', '', '', '', '', '', '', '', '', '', '', yuan(totals.orderedFen), yuan(totals.shortFen), yuan(totals.rejectedFen), yuan(totals.recallFen), yuan(totals.totalFen)].map(q).join(',');
  return '\uFEFF' + [header.join(','), ...rows, total].join('\r\n') + '\r\n';
}
