import { TEMPERATURE_CLASSES } from '@techan/common';
import { z } from 'zod';

export const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, '只能用小写字母、数字和连字符（2-64 位）');
const HHmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:mm');
const PlanDate = z.iso.date();

export const CreateDepotBody = z.strictObject({
  id: Id,
  nameZh: z.string().min(1).max(100),
  kind: z.enum(['county_dc', 'regional_warehouse', 'central_kitchen']),
  address: z.string().min(1).max(300),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  opensAt: HHmm,
  closesAt: HHmm,
  staffUserIds: z.array(z.string().min(1).max(100)).max(200).default([]),
  /** When set, the depot's day is planned automatically at this time (China time) every day. */
  planningCutoff: HHmm.optional(),
});
export type CreateDepotBody = z.infer<typeof CreateDepotBody>;

export const CreateVehicleBody = z.strictObject({
  id: Id,
  plate: z.string().min(2).max(20),
  compartments: z
    .array(z.strictObject({ temperatureClass: z.enum(TEMPERATURE_CLASSES), capacityKg: z.number().int().positive().max(50_000), deviceId: z.string().min(1).max(100) }))
    .min(1)
    .max(6),
  fixedCostFen: z.number().int().nonnegative().max(100_000_000),
  perKmCostFen: z.number().int().nonnegative().max(1_000_000),
  driverId: Id.optional(),
});
export type CreateVehicleBody = z.infer<typeof CreateVehicleBody>;

export const CreateDriverBody = z.strictObject({
  id: Id,
  userId: z.string().min(1).max(100),
  name: z.string().min(1).max(50),
  phone: z.string().max(30).optional(),
  shift: z.strictObject({ start: HHmm, end: HHmm }),
});
export type CreateDriverBody = z.infer<typeof CreateDriverBody>;

export const AssignDriverBody = z.strictObject({ driverId: Id.nullable() });

export const Page = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

export const ShipmentsQuery = z.strictObject({
  date: PlanDate,
  status: z.enum(['pending', 'planned', 'dispatched', 'arrived', 'delivered', 'withdrawn']).optional(),
  ...Page,
});

export const CreatePlanBody = z.strictObject({
  date: PlanDate,
  timeLimitSeconds: z.number().int().min(1).max(300).default(30),
});
export type CreatePlanBody = z.infer<typeof CreatePlanBody>;

export const LockBody = z.strictObject({ shipmentId: z.string().min(1).max(200), vehicleId: z.string().min(1).max(100).nullable() });
export const FixedPrefixBody = z.strictObject({ vehicleId: z.string().min(1).max(100), shipmentIds: z.array(z.string().min(1).max(200)).max(50) });
export const ReplanBody = z.strictObject({ timeLimitSeconds: z.number().int().min(1).max(300).default(30) });

export const DeliverBody = z.strictObject({
  receiverName: z.string().trim().min(1).max(50),
  deliveredAt: z.iso.datetime().optional(),
  lines: z
    .array(
      z.strictObject({
        lineId: z.string().min(1).max(200),
        accepted: z.number().int().nonnegative(),
        rejected: z.number().int().nonnegative(),
        short: z.number().int().nonnegative(),
        reason: z.string().max(500).optional(),
      }),
    )
    .min(1)
    .max(500),
});
export type DeliverBody = z.infer<typeof DeliverBody>;

/** Readings are checked one by one (a bad one is reported, not fatal), so each item is loose here. */
export const ReadingsBody = z.strictObject({
  readings: z
    .array(z.object({ deviceId: z.unknown(), at: z.unknown(), c: z.unknown() }))
    .min(1)
    .max(5000),
});

export const DecisionBody = z.strictObject({
  decision: z.enum(['release', 'reject']),
  reason: z.string().min(1).max(500),
  remedy: z.enum(['refund', 'replace']).optional(),
});

export const HoldsQuery = z.strictObject({
  status: z.enum(['held', 'released', 'rejected']).optional(),
  cause: z.enum(['excursion', 'recall']).optional(),
  depotId: z.string().max(100).optional(),
  ...Page,
});

export const ReadingsQuery = z.strictObject({
  from: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
