/**
 * Rules for amending a call-off: only before its cut-off, only while it is still open (or waiting for
 * an approval), only contract lines, and quantities inside the contract's min/max (0 removes a line).
 */
export interface ContractLineLimits {
  lineId: string;
  minQuantity: number;
  maxQuantity: number;
}

export type AmendProblem = { field: string; message: string; status: 400 | 409 | 422 };

export const AMENDABLE_STATUSES = ['open', 'awaiting-approval'] as const;

export function amendProblems(
  input: { now: Date; cutoffAt: Date; status: string; lines: { lineId: string; quantity: number }[] },
  contractLines: readonly ContractLineLimits[],
): AmendProblem[] {
  if (input.now.getTime() >= input.cutoffAt.getTime()) {
    return [{ field: 'cutoffAt', message: '已过截单时间，不能再修改本次配送', status: 409 }];
  }
  if (!(AMENDABLE_STATUSES as readonly string[]).includes(input.status)) {
    return [{ field: 'status', message: '本次配送已不可修改', status: 409 }];
  }
  const problems: AmendProblem[] = [];
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    const limits = contractLines.find((c) => c.lineId === l.lineId);
    if (!limits) problems.push({ field: `lines.${i}.lineId`, message: `合同中没有明细 ${l.lineId}`, status: 422 });
    else if (l.quantity !== 0 && (l.quantity < limits.minQuantity || l.quantity > limits.maxQuantity)) {
      problems.push({ field: `lines.${i}.quantity`, message: `数量须在 ${limits.minQuantity}-${limits.maxQuantity} 之间（0 表示取消该项）`, status: 422 });
    }
    if (seen.has(l.lineId)) problems.push({ field: `lines.${i}.lineId`, message: `明细 ${l.lineId} 重复`, status: 400 });
    seen.add(l.lineId);
  });
  return problems;
}

/** Quantity within a contract line's min/max (standing quantities and hot-meal portions use it too). */
export function quantityProblem(q: number, limits: ContractLineLimits): string | null {
  return q < limits.minQuantity || q > limits.maxQuantity ? `数量须在 ${limits.minQuantity}-${limits.maxQuantity} 之间` : null;
}

/**
 * Budget cap per calendar month: a call-off whose total would take the month's committed amount over
 * the cap waits for the buyer admin's approval (it is not refused: a canteen must still eat).
 */
export function exceedsBudget(capFen: number | undefined, committedThisMonthFen: number, callOffFen: number): boolean {
  if (capFen === undefined || capFen === null) return false;
  return committedThisMonthFen + callOffFen > capFen;
}
