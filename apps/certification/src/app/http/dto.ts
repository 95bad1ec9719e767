import { z } from 'zod';
import { EVIDENCE_KINDS, EXTERNAL_KINDS, ORIGIN_DEGREES, REVIEW_CHECKS, TRACEABILITY_LEVELS } from '../../domain';
import { TOWN_MARKS } from '@techan/common';

/**
 * Request bodies and queries, validated at the edge; a ZodError becomes a 400 naming the field.
 * Strict like the catalogue's: unknown keys (including operator-shaped ones such as `status[$ne]`)
 * and wrong types are refused, never ignored or coerced (a number is not a date).
 */
const id = z.string().trim().min(1).max(120);
const text = (max = 500) => z.string().trim().min(1).max(max);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const date = z
  .string({ error: '日期须为 ISO 8601 字符串，例如 2026-03-01 或 2026-03-01T08:00:00+08:00' })
  .regex(ISO_DATE, '日期须为 ISO 8601 格式，例如 2026-03-01 或 2026-03-01T08:00:00+08:00')
  .transform((s) => new Date(s))
  .refine((d) => !Number.isNaN(d.getTime()), '无效的日期');

export const SubmitApplicationBody = z.strictObject({
  productId: id,
  /** Checked by the domain's parseTarget, which explains what is wrong in Chinese. */
  target: z.unknown(),
});

export const SupplementBody = z.strictObject({ note: z.string().trim().max(500).optional() }).default({});
export const SampleRequestBody = z.strictObject({ instructions: text(1000) });
export const SampleMailedBody = z.strictObject({ carrier: text(60), trackingNumber: z.string().trim().min(1).max(60) });
export const SampleReceivedBody = z.strictObject({ receivedAt: date });
export const ScheduleReviewBody = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('online'), reviewerId: id }),
  z.strictObject({ method: z.literal('third_party'), agency: text(200), reference: text(120) }),
  z.strictObject({ method: z.literal('expert_on_site'), inspectorId: id, scheduledFor: date }),
]);
export const RescheduleBody = z.strictObject({ inspectorId: id, scheduledFor: date });
export const ReviewResultBody = z.strictObject({
  checks: z.array(z.strictObject({ check: z.enum(REVIEW_CHECKS), passed: z.boolean(), note: z.string().trim().max(500).optional() })).min(1).max(20),
});
export const RejectBody = z.strictObject({ reasons: z.array(text(500)).min(1).max(20) });
export const WithdrawBody = z.strictObject({ reason: z.string().trim().max(500).optional() }).default({});

export const AnnualInspectionBody = z.strictObject({ passed: z.boolean(), findings: z.string().trim().max(1000).optional() });
export const RedWarningBody = z.strictObject({
  reason: text(1000),
  source: z.enum(['quality_risk', 'confirmed_complaint']).default('quality_risk'),
  complaintId: z.string().trim().max(120).optional(),
});
export const RetestBody = z.strictObject({ passed: z.boolean(), findings: z.string().trim().max(1000).optional() });
export const RevokeBody = z.strictObject({ reason: text(1000) });
export const YellowWarningBody = z.strictObject({ reason: text(1000), deadline: date });
export const SuspendBody = z.strictObject({ reason: text(1000) });

export const ExternalCertificateBody = z.strictObject({ kind: z.enum(EXTERNAL_KINDS), issuer: text(200), number: text(60), validFrom: date, validUntil: date });
export const GiRegistrationBody = z.strictObject({
  registrationNumber: text(60),
  name: text(100),
  kind: z.enum(['agricultural_product_gi', 'gi_certification_trademark', 'gi_protected_product']),
  registrant: text(200),
  protectedArea: z.strictObject({ wholeCounty: z.boolean(), towns: z.array(z.enum(TOWN_MARKS)).max(6), description: text(300) }),
  registeredAt: date,
});
export const GiAuthorisationBody = z.strictObject({ registrationNumber: text(60), authorisationNumber: text(60), validFrom: date, validUntil: date });

export const ProductBody = z.strictObject({
  merchantId: id,
  merchantName: z.string().trim().min(1).max(200).optional(),
  name: text(200),
  gtin: z.string().trim().max(14).optional(),
  origin: z
    .strictObject({ town: z.enum(TOWN_MARKS).optional(), inKaiping: z.boolean(), degree: z.enum(ORIGIN_DEGREES) })
    .optional(),
});

export const TraceCodeBody = z.strictObject({ lot: z.string().trim().min(1).max(20).optional() }).default({});

export const EvidenceBody = z.strictObject({ kind: z.enum(EVIDENCE_KINDS), reference: text(500), validUntil: date.optional() });
export const IncidentBody = z.strictObject({
  id: id.optional(),
  productId: id.optional(),
  kind: z.enum(['complaint', 'safety_incident']),
  severity: z.enum(['major', 'minor']),
  occurredAt: date,
  outcome: z.enum(['pending', 'confirmed', 'dismissed']).default('pending'),
});
export const IncidentOutcomeBody = z.strictObject({ outcome: z.enum(['pending', 'confirmed', 'dismissed']) });
export const InsuranceBody = z.strictObject({ insurer: text(200), policyNumber: text(80), validFrom: date, validUntil: date });
export const TraceabilityBody = z.strictObject({ traceability: z.enum(TRACEABILITY_LEVELS) });

export const ListQuery = z.strictObject({
  status: z.string().trim().max(40).optional(),
  productId: z.string().trim().max(120).optional(),
  merchantId: z.string().trim().max(120).optional(),
});

export const QrQuery = z.strictObject({
  lot: z.string().trim().min(1).max(20).optional(),
  width: z.coerce.number().int().min(1).max(100_000).optional(),
});
