import { Injectable, Logger } from '@nestjs/common';
import { solveInWorker, ProblemValidationError, type SolveProgress } from '@techan/dispatch-solver';
import { randomUUID } from 'node:crypto';
import { buildProblem, chinaDate, chooseDepot, demandKg, planToRoutes, UNSERVED_REASON_ZH, type PlanEdits } from '../../domain';
import type { PlanDoc, PlanProgressPoint } from '../persistence/schemas';
import { Stores } from '../persistence/stores';

/** How often a running solve looks for a cancel request and writes its progress (ms). */
const POLL_MS = 400;

/**
 * Prepares and runs one planning job: snapshot the depot's open shipments, build the solver's problem,
 * solve in a worker thread (the event loop stays free for the console), write progress as it improves,
 * honour a cancel request, store routes and unserved stops with reasons.
 */
@Injectable()
export class PlanRunner {
  private readonly logger = new Logger(PlanRunner.name);
  constructor(private readonly stores: Stores) {}

  async preparePlan(input: { depotId: string; date: string; timeLimitMs: number; createdBy: string; edits?: PlanEdits; parentPlanId?: string }): Promise<PlanDoc> {
    await this.assignUnplaced(input.date);
    const shipments = await this.stores.shipments.find({ depotId: input.depotId, planDate: input.date, status: { $in: ['pending', 'planned'] } }, { _id: 1 }).lean();
    const plan: PlanDoc = {
      _id: `plan-${input.date}-${randomUUID().slice(0, 8)}`,
      depotId: input.depotId,
      date: input.date,
      status: 'queued',
      parentPlanId: input.parentPlanId,
      edits: input.edits ?? { locks: {}, fixedPrefixes: {} },
      shipmentIds: shipments.map((s) => s._id),
      timeLimitMs: input.timeLimitMs,
      progress: [],
      cancelRequested: false,
      createdBy: input.createdBy,
      createdAt: new Date(),
      version: 0,
    };
    await this.stores.plans.create(plan);
    this.logger.log(`plan ${plan._id} queued for depot ${input.depotId} ${input.date}: ${plan.shipmentIds.length} shipment(s)`);
    return plan;
  }

  /** Requests that arrived before any depot existed get one when a day is planned. */
  private async assignUnplaced(date: string): Promise<void> {
    const orphans = await this.stores.shipments.find({ planDate: date, depotId: { $exists: false }, status: 'pending' }).lean();
    if (orphans.length === 0) return;
    const depots = (await this.stores.depots.find({}, { _id: 1, kind: 1, lat: 1, lng: 1 }).lean()).map((d) => ({ id: d._id, kind: d.kind, lat: d.lat, lng: d.lng }));
    for (const s of orphans) {
      const depot = chooseDepot(depots, { lat: s.address.lat, lng: s.address.lng, hot: s.lines.some((l) => l.temperatureClass === 'hot') });
      if (depot) await this.stores.shipments.updateOne({ _id: s._id, version: s.version }, { $set: { depotId: depot.id }, $inc: { version: 1 } });
    }
  }

  async planAtCutoff(depotId: string): Promise<string> {
    const plan = await this.preparePlan({ depotId, date: chinaDate(new Date()), timeLimitMs: 30_000, createdBy: 'system:cutoff' });
    await this.run(plan._id);
    return plan._id;
  }

  async run(planId: string, onJobProgress?: (p: PlanProgressPoint) => void): Promise<string> {
    const plan = await this.stores.plans.findOneAndUpdate({ _id: planId, status: 'queued' }, { $set: { status: 'running', startedAt: new Date() } }, { returnDocument: 'after' }).lean();
    if (!plan) return 'not-queued';
    if (plan.cancelRequested) {
      await this.stores.plans.updateOne({ _id: planId }, { $set: { status: 'cancelled', finishedAt: new Date() } });
      return 'cancelled';
    }
    const depot = await this.stores.depots.findById(plan.depotId).lean();
    const dispatchedVehicles = await this.stores.shipments.distinct('vehicleId', { planDate: plan.date, status: { $in: ['dispatched', 'arrived'] } });
    const vehicles = await this.stores.vehicles.find({ depotId: plan.depotId, _id: { $nin: dispatchedVehicles } }).lean();
    const drivers = new Map((await this.stores.drivers.find({ depotId: plan.depotId }).lean()).map((d) => [d._id, d]));
    const shipments = await this.stores.shipments.find({ _id: { $in: plan.shipmentIds }, status: { $in: ['pending', 'planned'] } }).lean();
    if (!depot) return this.fail(planId, '配送中心不存在');
    // Edits that no longer apply (a vehicle left, a stop was withdrawn) are dropped rather than failing the plan.
    const vehicleIds = new Set(vehicles.map((v) => v._id));
    const stopIds = new Set(shipments.map((s) => s._id));
    const edits: PlanEdits = {
      locks: Object.fromEntries(Object.entries(plan.edits.locks).filter(([s, v]) => stopIds.has(s) && vehicleIds.has(v))),
      fixedPrefixes: Object.fromEntries(
        Object.entries(plan.edits.fixedPrefixes)
          .filter(([v]) => vehicleIds.has(v))
          .map(([v, ids]) => [v, ids.filter((id) => stopIds.has(id))]),
      ),
    };
    const problem = buildProblem(
      plan.date,
      { id: depot._id, lat: depot.lat, lng: depot.lng, opensAt: depot.opensAt, closesAt: depot.closesAt },
      vehicles.map((v) => ({ id: v._id, compartments: v.compartments, fixedCostFen: v.fixedCostFen, perKmCostFen: v.perKmCostFen, shift: v.driverId ? drivers.get(v.driverId)?.shift : undefined })),
      shipments.map((s) => ({
        id: s._id,
        lat: s.address.lat,
        lng: s.address.lng,
        windowFrom: s.windowFrom.toISOString(),
        windowUntil: s.windowUntil.toISOString(),
        serviceMinutes: s.serviceMinutes,
        demandKg: demandKg(s.lines.filter((l) => l.holdStatus !== 'rejected')),
        maxRideMinutes: s.maxRideMinutes,
      })),
      edits,
    );
    if (problem.vehicles.length === 0 || problem.stops.length === 0) {
      const unserved = problem.stops.map((s) => ({ shipmentId: s.id, reason: 'no-compatible-vehicle', message: 'no vehicle available', reasonZh: '没有可用车辆' }));
      await this.stores.plans.updateOne({ _id: planId }, { $set: { status: 'done', routes: [], unserved, cost: 0, distanceKm: 0, vehicles: 0, stoppedBy: 'empty', finishedAt: new Date() } });
      return 'done';
    }

    const abort = new AbortController();
    let pending: PlanProgressPoint | undefined;
    let firstFeasibleMs: number | undefined;
    const flush = async () => {
      const cancel = await this.stores.plans.exists({ _id: planId, cancelRequested: true });
      if (cancel) abort.abort();
      if (!pending) return;
      const point = pending;
      pending = undefined;
      await this.stores.plans.updateOne({ _id: planId }, { $push: { progress: point }, ...(firstFeasibleMs !== undefined ? { $set: { firstFeasibleMs } } : {}) });
      onJobProgress?.(point);
    };
    let polling = Promise.resolve();
    const timer = setInterval(() => (polling = polling.then(flush).catch((e) => this.logger.warn(`plan ${planId} progress: ${String(e)}`))), POLL_MS);
    try {
      const result = await solveInWorker(problem, {
        timeLimitMs: plan.timeLimitMs,
        seed: 1,
        onProgress: (p: SolveProgress) => {
          if (Number.isFinite(p.bestCost) && firstFeasibleMs === undefined) firstFeasibleMs = Math.round(p.elapsedMs);
          pending = { elapsedMs: Math.round(p.elapsedMs), bestCost: Number.isFinite(p.bestCost) ? Math.round(p.bestCost) : null, vehicles: p.vehicles, distanceKm: Math.round(p.distance * 10) / 10 };
        },
        signal: abort.signal,
      });
      clearInterval(timer);
      await polling;
      await flush();
      const unserved = result.unserved.map((u) => ({ shipmentId: u.stopId, reason: u.reason, message: u.message, reasonZh: UNSERVED_REASON_ZH[u.reason] ?? u.reason }));
      const status = result.stoppedBy === 'cancelled' ? 'cancelled' : 'done';
      await this.stores.plans.updateOne(
        { _id: planId },
        {
          $set: {
            status,
            routes: planToRoutes(plan.date, result),
            unserved,
            cost: Math.round(result.cost),
            distanceKm: Math.round(result.distance * 10) / 10,
            vehicles: result.vehicles,
            stoppedBy: result.stoppedBy,
            finishedAt: new Date(),
            ...(firstFeasibleMs !== undefined ? { firstFeasibleMs } : {}),
          },
        },
      );
      this.logger.log(`plan ${planId} ${status}: ${result.routes.length} route(s), ${unserved.length} unserved, ${result.distance.toFixed(1)} km in ${Math.round(result.elapsedMs)} ms`);
      return status;
    } catch (e) {
      clearInterval(timer);
      await polling;
      if (e instanceof ProblemValidationError) return this.fail(planId, `规划数据无效：${e.issues.slice(0, 5).join('; ')}`);
      // Back to queued so that BullMQ's retry can run it again.
      await this.stores.plans.updateOne({ _id: planId, status: 'running' }, { $set: { status: 'queued', progress: [] } });
      throw e;
    }
  }

  private async fail(planId: string, error: string): Promise<string> {
    await this.stores.plans.updateOne({ _id: planId }, { $set: { status: 'failed', error, finishedAt: new Date() } });
    this.logger.warn(`plan ${planId} failed: ${error}`);
    return 'failed';
  }
}
