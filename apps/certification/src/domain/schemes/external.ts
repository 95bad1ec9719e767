import type { Outcome } from '../rules';
import { accept, isValidDate, reject } from '../rules';

/**
 * External certificates (绿色食品, 有机产品, HACCP …) are recorded, not issued here: they show on
 * the verify page and can satisfy a regional tier's "held mark" requirement, but do not on their
 * own make a product purchasable (libs/common PURCHASE_MARKS).
 */
export const EXTERNAL_KINDS = ['green', 'organic', 'haccp'] as const;
export type ExternalKind = (typeof EXTERNAL_KINDS)[number];

export function isExternalKind(value: unknown): value is ExternalKind {
  return typeof value === 'string' && (EXTERNAL_KINDS as readonly string[]).includes(value);
}

export interface ExternalCertificate {
  kind: ExternalKind;
  issuer: string;
  number: string;
  validFrom: Date;
  validUntil: Date;
}

/** Certificate numbers are printed codes: letters, digits and a few separators, 4-40 characters. */
const CERTIFICATE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9\-/()（）.]{3,39}$/;

export function validateExternalCertificate(certificate: ExternalCertificate): Outcome<ExternalCertificate> {
  if (!isExternalKind(certificate.kind)) return reject('external_kind_unknown', `未知的认证类型：${String(certificate.kind)}`);
  if (!certificate.issuer?.trim()) return reject('external_issuer_missing', '发证机构不能为空');
  if (!CERTIFICATE_NUMBER.test(certificate.number ?? '')) {
    return reject('external_number_invalid', '证书编号格式无效（4-40 位字母、数字或 - / . 括号）');
  }
  if (!isValidDate(certificate.validFrom) || !isValidDate(certificate.validUntil)) {
    return reject('external_validity_invalid', '证书有效期无效');
  }
  if (certificate.validFrom.getTime() >= certificate.validUntil.getTime()) {
    return reject('external_validity_invalid', '证书有效期的开始日期必须早于结束日期');
  }
  return accept({ ...certificate, issuer: certificate.issuer.trim() });
}
