import { InvalidInputError } from './errors';

/**
 * Money is integer fen (分), CNY, everywhere: no floating point ever touches a price.
 */
export type Fen = number;

export const MAX_PRICE_FEN = 100_000_000; // ¥1,000,000 per unit: above this is a typing error, not a price

export function assertFen(field: string, value: unknown, { allowZero = true } = {}): Fen {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidInputError(field, '金额必须是以“分”为单位的整数');
  }
  if (value < 0 || (!allowZero && value === 0)) throw new InvalidInputError(field, '金额不能为负数');
  if (value > MAX_PRICE_FEN) throw new InvalidInputError(field, '金额超出上限');
  return value;
}

/** Parses a yuan amount typed by a person ("128", "128.5", "¥1,288.00") into fen, exactly. */
export function parseYuan(field: string, text: string): Fen {
  const cleaned = text.trim().replace(/^[¥￥]/, '').replace(/,/g, '');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!m) throw new InvalidInputError(field, `“${text}”不是有效的金额（元，最多两位小数）`);
  return assertFen(field, Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')));
}

/** 12850 → "¥128.50" */
export function formatFen(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
