import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DomainError, Outbox, SERVICE_CONFIG, type AuthUser, type ServiceConfig, type TemperatureClass } from '@techan/common';
import { randomUUID } from 'node:crypto';
import type { ClientSession } from 'mongoose';
import { CLASS_RANGES, defaultPolicy, detect, initialDetectorState, REFUSAL_ZH, refuseReading, type DetectionPolicy, type DetectorSignal, type DetectorState, type Reading } from '../../domain';
import { assertActsForDepot } from '../access';
import { HoldsService } from '../exceptions/holds.service';
import type { DeviceDoc, ExcursionDoc, ReadingDoc } from '../persistence/schemas';
import { Stores } from '../persistence/stores';

export interface RefusedReading {
  index: number;
  deviceId?: unknown;
  reason: string;
  messageZh: string;
}

export interface IngestReport {
  accepted: number;
  duplicates: number;
  /** Stored, but older than what detection already applied for the device. */
  late: number;
  refused: RefusedReading[];
  excursionsRaised: string[];
  excursionsEnded: string[];
}

/** Parses a reading's time: an ISO-8601 string with offset, or epoch milliseconds. */
function timeOf(at: unknown): number {
  if (typeof at === 'number') return at;
  if (typeof at === 'string' && /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(at)) return Date.parse(at);
  return NaN;
}

/**
 * Temperature telemetry: batches of readings from compartment loggers, each checked on its own (a
 * bad reading is reported, never the reason a good one is dropped), stored as a time series keyed by
 * device and time (a duplicate is stored once), and fed to the streaming excursion detector of its
 * compartment. A raised excursion holds the goods of that temperature class on board, in the same
 * transaction as the detector's state.
 */
@Injectable()
export class TelemetryService {
  private readonly logger = new Logger(TelemetryService.name);
  private readonly policies: Record<TemperatureClass, DetectionPolicy>;

  constructor(
    private readonly stores: Stores,
    private readonly outbox: Outbox,
    private readonly holds: HoldsService,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    const minutes = (key: string) => Number(config[key]) * 60_000;
    this.policies = {
      frozen: defaultPolicy('frozen', minutes('EXCURSION_FROZEN_MINUTES')),
      chilled: defaultPolicy('chilled', minutes('EXCURSION_CHILLED_MINUTES')),
      ambient: defaultPolicy('ambient'),
      hot: defaultPolicy('hot', minutes('EXCURSION_HOT_MINUTES')),
    };
  }

  async ingest(user: AuthUser, raw: { deviceId: unknown; at: unknown; c: unknown }[], now = new Date()): Promise<IngestReport> {
    const report: IngestReport = { accepted: 0, duplicates: 0, late: 0, refused: [], excursionsRaised: [], excursionsEnded: [] };
    const deviceIds = [...new Set(raw.map((r) => r.deviceId).filter((d): d is string => typeof d === 'string' && d.length > 0 && d.length <= 100))];
    const devices = new Map((await this.stores.devices.find({ _id: { $in: deviceIds } }).lean()).map((d) => [d._id, d]));
    const allowedDepots = await this.depotsOf(user, [...new Set([...devices.values()].map((d) => d.depotId))]);
    const byDevice = new Map<string, { device: DeviceDoc; readings: Map<number, Reading> }>();
    raw.forEach((r, index) => {
      const device = typeof r.deviceId === 'string' ? devices.get(r.deviceId) : undefined;
      if (!device || !allowedDepots.has(device.depotId)) {
        report.refused.push({ index, deviceId: r.deviceId, reason: 'unknown_device', messageZh: REFUSAL_ZH.unknown_device });
        return;
      }
      const at = timeOf(r.at);
      const refusal = refuseReading(r.c, at, now.getTime());
      if (refusal) {
        report.refused.push({ index, deviceId: r.deviceId, reason: refusal, messageZh: REFUSAL_ZH[refusal] });
        return;
      }
      const group = byDevice.get(device._id) ?? { device, readings: new Map() };
      if (group.readings.has(at)) report.duplicates++;
      else group.readings.set(at, { at, c: r.c as number });
      byDevice.set(device._id, group);
    });
    // One insert for the whole batch, one read of the detectors; only devices whose detector raised or
    // ended something (or lost a race) take a transaction of their own.
    const groups = [...byDevice.values()].map((g) => ({ device: g.device, readings: [...g.readings.values()] }));
    const stored = await this.store(groups.flatMap((g) => g.readings.map((r) => ({ device: g.device, reading: r }))));
    report.accepted += stored.inserted;
    report.duplicates += stored.duplicates;
    const detectors = new Map((await this.stores.detectors.find({ _id: { $in: groups.map((g) => g.device._id) } }).lean()).map((d) => [d._id, d]));
    const quiet: { device: DeviceDoc; readings: Reading[]; filter: { _id: string; version: number }; state: DetectorState }[] = [];
    const eventful: { device: DeviceDoc; readings: Reading[] }[] = [];
    for (const g of groups) {
      const doc = detectors.get(g.device._id);
      const result = detect(this.policies[g.device.temperatureClass], doc?.state ?? initialDetectorState(), g.readings);
      if (doc && result.signals.length === 0) {
        quiet.push({ ...g, filter: { _id: doc._id, version: doc.version }, state: result.state });
        report.late += result.late;
      } else eventful.push(g);
    }
    if (quiet.length > 0) {
      const res = await this.stores.detectors.bulkWrite(
        quiet.map((q) => ({ updateOne: { filter: q.filter, update: { $set: { state: q.state }, $inc: { version: 1 } } } })),
        { ordered: false },
      );
      // A concurrent batch moved some detectors on: redo those one by one (their readings are stored).
      if (res.modifiedCount < quiet.length) {
        const moved = await this.stores.detectors.find({ $or: quiet.map((q) => q.filter) }, { _id: 1 }).lean();
        const unchanged = new Set(moved.map((m) => m._id));
        eventful.push(...quiet.filter((q) => unchanged.has(q.device._id)));
      }
    }
    for (const { device, readings } of eventful) {
      const signals = await this.detectFor(device, readings, now);
      report.late += signals.late;
      report.excursionsRaised.push(...signals.raised);
      report.excursionsEnded.push(...signals.ended);
    }
    if (report.refused.length > 0) this.logger.warn(`telemetry batch: ${report.refused.length} of ${raw.length} reading(s) refused`);
    return report;
  }

  /** Stores new readings; a reading already stored (same device and time) counts as a duplicate. */
  private async store(items: { device: DeviceDoc; reading: Reading }[]): Promise<{ inserted: number; duplicates: number }> {
    if (items.length === 0) return { inserted: 0, duplicates: 0 };
    const docs: ReadingDoc[] = items.map(({ device, reading }) => ({ deviceId: device._id, vehicleId: device.vehicleId, temperatureClass: device.temperatureClass, at: new Date(reading.at), c: reading.c }));
    try {
      await this.stores.readings.insertMany(docs, { ordered: false });
      return { inserted: docs.length, duplicates: 0 };
    } catch (e) {
      const writeErrors = (e as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
      if (!writeErrors || writeErrors.some((w) => (w.code ?? w.err?.code) !== 11000)) throw e;
      return { inserted: docs.length - writeErrors.length, duplicates: writeErrors.length };
    }
  }

  /**
   * Runs the device's detector over the batch and saves its state with compare-and-set, together
   * with any excursion it raised or ended. A concurrent batch of the same device makes this retry.
   */
  private async detectFor(device: DeviceDoc, readings: Reading[], now: Date): Promise<{ raised: string[]; ended: string[]; late: number }> {
    const policy = this.policies[device.temperatureClass];
    for (let attempt = 0; ; attempt++) {
      const doc = await this.stores.detectors.findById(device._id).lean();
      const state = doc?.state ?? initialDetectorState();
      const result = detect(policy, state, readings);
      const raised: string[] = [];
      const ended: string[] = [];
      try {
        await this.outbox.transaction(async (session) => {
          const version = doc?.version ?? 0;
          let excursionId = doc?.excursionId;
          for (const signal of result.signals) {
            if (signal.kind === 'raised') {
              excursionId = await this.raise(session, device, signal, now);
              raised.push(excursionId);
            } else if (excursionId) {
              await this.stores.excursions.updateOne({ _id: excursionId }, { $set: { status: 'ended', endedAt: new Date(signal.endedAt), peakC: signal.peakC } }, { session });
              ended.push(excursionId);
              excursionId = undefined;
            }
          }
          if (doc) {
            const res = await this.stores.detectors.updateOne({ _id: device._id, version }, { $set: { state: result.state, excursionId: excursionId ?? null }, $inc: { version: 1 } }, { session });
            if (res.modifiedCount !== 1) throw new DomainError('DETECTOR_RACE', 'detector state changed meanwhile', 409);
          } else {
            await this.stores.detectors.create([{ _id: device._id, state: result.state, excursionId, version: 1 }], { session });
          }
        });
        return { raised, ended, late: result.late };
      } catch (e) {
        const race = (e instanceof DomainError && e.code === 'DETECTOR_RACE') || (e as { code?: number }).code === 11000;
        if (!race || attempt >= 5) throw e;
      }
    }
  }

  /** Opens an excursion and holds every line of that temperature class on the vehicle's trip. */
  private async raise(session: ClientSession, device: DeviceDoc, signal: Extract<DetectorSignal, { kind: 'raised' }>, now: Date): Promise<string> {
    const excursionId = `exc-${randomUUID()}`;
    const onBoard = await this.stores.shipments.find({ vehicleId: device.vehicleId, status: { $in: ['dispatched', 'arrived'] }, 'lines.temperatureClass': device.temperatureClass }).session(session).lean();
    const holdIds: string[] = [];
    for (const s of onBoard) {
      const lineIds = s.lines.filter((l) => l.temperatureClass === device.temperatureClass).map((l) => l.lineId);
      const holds = await this.holds.holdLines(session, s, lineIds, 'excursion', excursionId, now);
      holdIds.push(...holds.map((h) => h._id));
    }
    const excursion: ExcursionDoc = {
      _id: excursionId,
      deviceId: device._id,
      vehicleId: device.vehicleId,
      depotId: device.depotId,
      temperatureClass: device.temperatureClass,
      startedAt: new Date(signal.startedAt),
      detectedAt: new Date(signal.detectedAt),
      raisedAt: now,
      peakC: signal.peakC,
      status: 'ongoing',
      shipmentIds: onBoard.map((s) => s._id),
      holdIds,
    };
    await this.stores.excursions.create([excursion], { session });
    this.logger.warn(`excursion ${excursionId}: ${device.temperatureClass} compartment of vehicle ${device.vehicleId} at ${signal.peakC} °C since ${excursion.startedAt.toISOString()}; ${holdIds.length} line(s) held`);
    return excursionId;
  }

  async excursions(user: AuthUser, q: { depotId?: string; status?: string; limit: number; offset: number }) {
    const mine = await this.visibleDepots(user, q.depotId);
    const filter: Record<string, unknown> = { ...(mine ? { depotId: { $in: mine } } : {}), ...(q.status ? { status: q.status } : {}) };
    const [items, total] = await Promise.all([
      this.stores.excursions.find(filter).sort({ raisedAt: -1 }).skip(q.offset).limit(q.limit).lean(),
      this.stores.excursions.countDocuments(filter),
    ]);
    return { items, total, limit: q.limit, offset: q.offset };
  }

  /** The console's live view: per vehicle compartment the latest reading, its limits and any open excursion. */
  async depotTemperatures(user: AuthUser, depotId: string) {
    assertActsForDepot(user, await this.stores.depots.findById(depotId).lean());
    const devices = await this.stores.devices.find({ depotId }).sort({ vehicleId: 1, _id: 1 }).lean();
    const detectors = new Map((await this.stores.detectors.find({ _id: { $in: devices.map((d) => d._id) } }).lean()).map((d) => [d._id, d]));
    const items = await Promise.all(
      devices.map(async (d) => {
        const latest = await this.stores.readings.findOne({ deviceId: d._id }).sort({ at: -1 }).lean();
        const det = detectors.get(d._id);
        return {
          deviceId: d._id,
          vehicleId: d.vehicleId,
          temperatureClass: d.temperatureClass,
          limits: CLASS_RANGES[d.temperatureClass],
          latest: latest ? { at: latest.at, c: latest.c } : null,
          outOfRangeSince: det?.state.runStart ? new Date(det.state.runStart) : null,
          excursionId: det?.excursionId ?? null,
        };
      }),
    );
    return { items };
  }

  async series(user: AuthUser, vehicleId: string, q: { from?: string; until?: string; limit: number }) {
    const vehicle = await this.stores.vehicles.findById(vehicleId).lean();
    if (!vehicle) throw new NotFoundException('车辆不存在');
    assertActsForDepot(user, await this.stores.depots.findById(vehicle.depotId).lean());
    const at: Record<string, Date> = {};
    if (q.from) at['$gte'] = new Date(q.from);
    if (q.until) at['$lte'] = new Date(q.until);
    const readings = await this.stores.readings
      .find({ vehicleId, ...(q.from || q.until ? { at } : {}) }, { _id: 0, deviceId: 1, temperatureClass: 1, at: 1, c: 1 })
      .sort({ at: -1 })
      .limit(q.limit)
      .lean();
    return { vehicleId, items: readings.reverse() };
  }

  private async depotsOf(user: AuthUser, depotIds: string[]): Promise<Set<string>> {
    if (user.roles.includes('operator')) return new Set(depotIds);
    const depots = await this.stores.depots.find({ _id: { $in: depotIds }, staffUserIds: user.userId }, { _id: 1 }).lean();
    return new Set(depots.map((d) => d._id));
  }

  private async visibleDepots(user: AuthUser, depotId?: string): Promise<string[] | undefined> {
    if (user.roles.includes('operator')) return depotId ? [depotId] : undefined;
    const mine = (await this.stores.depots.find({ staffUserIds: user.userId }, { _id: 1 }).lean()).map((d) => d._id);
    if (depotId && !mine.includes(depotId)) throw new DomainError('FORBIDDEN_DEPOT', `无权查看配送中心 ${depotId}`, 403);
    return depotId ? [depotId] : mine;
  }
}
