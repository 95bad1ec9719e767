import type { Outcome } from './rules';
import { accept, reject } from './rules';

/**
 * QR payloads in GS1 Digital Link style: `<base>/01/<gtin-14>/10/<lot>` when the product has a
 * GTIN (with `/10/<lot>` only when a lot is given), otherwise `<base>/t/<trace code>`.
 */

/** GS1 mod-10 check digit over the digits before it (weights 3,1,3,… from the right). */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** Validate a GTIN-8/12/13/14 and return it padded to 14 digits, the form Digital Link uses. */
export function normaliseGtin(input: string): Outcome<string> {
  const gtin = (input ?? '').trim();
  if (!/^\d+$/.test(gtin) || ![8, 12, 13, 14].includes(gtin.length)) {
    return reject('gtin_format', 'GTIN 必须是 8、12、13 或 14 位数字');
  }
  const expected = gtinCheckDigit(gtin.slice(0, -1));
  if (expected !== Number(gtin[gtin.length - 1])) {
    return reject('gtin_check_digit', `GTIN 校验位错误（应为 ${expected}）`);
  }
  return accept(gtin.padStart(14, '0'));
}

/** AI (10) batch/lot: up to 20 characters of GS1 character set 82; we allow its URL-safe subset. */
const LOT = /^[A-Za-z0-9\-._]{1,20}$/;

export function validateLot(lot: string): Outcome<string> {
  return LOT.test(lot ?? '') ? accept(lot) : reject('lot_invalid', '批次号须为 1-20 位字母、数字或 - . _');
}

export function normaliseBaseUrl(base: string): string {
  return base.replace(/\/+$/, '');
}

export function digitalLink(base: string, target: { traceCode: string; gtin?: string; lot?: string }): Outcome<string> {
  const root = normaliseBaseUrl(base);
  if (!target.gtin) return accept(`${root}/t/${target.traceCode}`);
  const gtin = normaliseGtin(target.gtin);
  if (!gtin.ok) return gtin;
  if (target.lot === undefined) return accept(`${root}/01/${gtin.value}`);
  const lot = validateLot(target.lot);
  if (!lot.ok) return lot;
  return accept(`${root}/01/${gtin.value}/10/${encodeURIComponent(lot.value)}`);
}

export type ParsedLink = { kind: 'trace'; traceCode: string } | { kind: 'gtin'; gtin: string; lot?: string };

/** Parse the path part of a link produced by `digitalLink` (what a scanner opens). */
export function parseDigitalLinkPath(path: string): Outcome<ParsedLink> {
  const parts = path.split('?')[0].split('/').filter(Boolean);
  const t = parts.lastIndexOf('t');
  if (t >= 0 && t === parts.length - 2) return accept({ kind: 'trace', traceCode: parts[t + 1] });
  const i = parts.indexOf('01');
  if (i < 0 || !parts[i + 1]) return reject('link_unrecognised', '无法识别的追溯链接');
  const gtin = normaliseGtin(parts[i + 1]);
  if (!gtin.ok) return gtin;
  if (parts[i + 2] === '10' && parts[i + 3]) {
    const lot = validateLot(decodeURIComponent(parts[i + 3]));
    if (!lot.ok) return lot;
    return accept({ kind: 'gtin', gtin: gtin.value, lot: lot.value });
  }
  return accept({ kind: 'gtin', gtin: gtin.value });
}
