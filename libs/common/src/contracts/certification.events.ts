import { z } from 'zod';
import { MARKS } from './marks';
import { CERTIFICATE_STATUSES } from './certification-vocabulary';
import { QUALITY_TIERS } from './vocabulary';

/** green: sellable; yellow: failed annual inspection, grace month; red: quality risk; grey: expired/revoked/suspended. */
export const CertificateColour = z.enum(['green', 'yellow', 'red', 'grey']);
export type CertificateColour = z.infer<typeof CertificateColour>;

export const CertificateSnapshot = z.object({
  certificateId: z.string().min(1),
  mark: z.enum(MARKS),
  /** OTOP star level 1-5; absent for other marks. */
  level: z.number().int().min(1).max(5).optional(),
  /** Regional-brand quality tier (高端/中端/大众); absent for other marks. Used to offer equally-or-better substitutes. */
  tier: z.enum(QUALITY_TIERS).optional(),
  /** Certificate number (OTOP 3★+, GI registration, brand licence). */
  number: z.string().optional(),
  status: z.enum(CERTIFICATE_STATUSES),
  colour: CertificateColour,
  validFrom: z.iso.datetime(),
  validUntil: z.iso.datetime(),
  /** When the next annual inspection falls due (certificates certification inspects). */
  nextInspectionAt: z.iso.datetime().optional(),
  /** A yellow warning's rectification deadline: suspended then unless a passed inspection comes first. */
  graceUntil: z.iso.datetime().optional(),
});
export type CertificateSnapshot = z.infer<typeof CertificateSnapshot>;

/**
 * techan.certification.product-status-changed.v1 — published on every certification change of a
 * product, keyed by productId. `version` increases per product: consumers apply an event only if it
 * is newer than what they hold. The event carries the full certificate set, so the newest event
 * alone rebuilds a product's state.
 */
export const ProductStatusChangedV1 = z.object({
  productId: z.string().min(1),
  merchantId: z.string().min(1),
  productName: z.string().optional(),
  version: z.number().int().positive(),
  certificates: z.array(CertificateSnapshot),
  purchasable: z.boolean(),
  reason: z.string().optional(),
  changedAt: z.iso.datetime(),
});
export type ProductStatusChangedV1 = z.infer<typeof ProductStatusChangedV1>;
