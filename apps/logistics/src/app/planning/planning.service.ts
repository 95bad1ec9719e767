import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DomainError, EVENT_TYPES, Outbox, type AuthUser, type ShipmentDispatchedV1, type ShipmentPlannedV1 } from '@techan/common';
import { Observable } from 'rxjs';
import { shipmentTransition, type PlanEdits } from '../../domain';
import { assertActsForDepot } from '../access';
import { domain } from '../http-errors';
import type { PlanDoc } from '../persistence/schemas';
import { Stores } from '../persistence/stores';
import { PlanRunner } from './plan-runner';
import { PlanningQueue } from './planning.queue';

const FINAL = new Set(['done', 'failed', 'cancelled', 'published']);

/** The dispatcher's planning commands: plan a day, watch it, cancel, lock/move/fix stops, re-plan, publish, dispatch. */
@Injectable()
export class PlanningService {
  private readonly logger = new Logger(PlanningService.name);
  constructor(
    private readonly stores: Stores,
    private readonly outbox: Outbox,
    private readonly runner: PlanRunner,
    private readonly queue: PlanningQueue,
  ) {}

  async plan(user: AuthUser, depotId: string, date: string, timeLimitSeconds: number, edits?: PlanEdits, parentPlanId?: string) {
    assertActsForDepot(user, await this.stores.depots.findById(depotId).lean());
    const plan = await this.runner.preparePlan({ depotId, date, timeLimitMs: timeLimitSeconds * 1000, createdBy: user.userId, edits, parentPlanId });
    await this.queue.enqueue(plan._id);
    return planView(plan);
  }

  async get(user: AuthUser, planId: string) {
    return planView(await this.forUser(user, planId));
  }

  async list(user: AuthUser, depotId: string, date: string) {
    assertActsForDepot(user, await this.stores.depots.findById(depotId).lean());
    const plans = await this.stores.plans.find({ depotId, date }, { routes: 0, progress: 0 }).sort({ createdAt: -1 }).limit(50).lean();
    return { items: plans.map(planView) };
  }

  /** Server-sent progress: one message whenever the plan changed, closing when it is final. */
  progress(user: AuthUser, planId: string): Observable<{ data: unknown }> {
    return new Observable((subscriber) => {
      let last = '';
      let stopped = false;
      const tick = async () => {
        if (stopped) return;
        try {
          const plan = await this.forUser(user, planId);
          const view = { id: plan._id, status: plan.status, progress: plan.progress.at(-1) ?? null, points: plan.progress.length, cost: plan.cost, vehicles: plan.vehicles, distanceKm: plan.distanceKm };
          const json = JSON.stringify(view);
          if (json !== last) subscriber.next({ data: view });
          last = json;
          if (FINAL.has(plan.status)) return subscriber.complete();
          setTimeout(() => void tick(), 500);
        } catch (e) {
          subscriber.error(e);
        }
      };
      void tick();
      return () => (stopped = true);
    });
  }

  async cancel(user: AuthUser, planId: string) {
    const plan = await this.forUser(user, planId);
    if (FINAL.has(plan.status)) throw new DomainError('PLAN_FINISHED', `规划已结束（${plan.status}），无法取消`);
    await this.stores.plans.updateOne({ _id: planId }, { $set: { cancelRequested: true } });
    // A queued job that never started is cancelled here; a running one stops at its next progress poll.
    await this.stores.plans.updateOne({ _id: planId, status: 'queued' }, { $set: { status: 'cancelled', finishedAt: new Date() } });
    return planView(await this.forUser(user, planId));
  }

  /** Lock a stop to a vehicle (a dragged stop is a move: a lock to its new vehicle), or unlock with null. */
  async lock(user: AuthUser, planId: string, shipmentId: string, vehicleId: string | null) {
    const plan = await this.editable(user, planId, shipmentId, vehicleId);
    const locks = { ...plan.edits.locks };
    if (vehicleId) locks[shipmentId] = vehicleId;
    else delete locks[shipmentId];
    return this.saveEdits(plan, { ...plan.edits, locks });
  }

  async fixPrefix(user: AuthUser, planId: string, vehicleId: string, shipmentIds: string[]) {
    let plan = await this.forUser(user, planId);
    for (const id of shipmentIds) plan = await this.editable(user, planId, id, vehicleId);
    if (shipmentIds.length === 0) plan = await this.editable(user, planId, undefined, vehicleId);
    if (new Set(shipmentIds).size !== shipmentIds.length) throw new DomainError('DUPLICATE_STOP', '固定站点不能重复', 400);
    const fixedPrefixes = { ...plan.edits.fixedPrefixes, [vehicleId]: shipmentIds };
    if (shipmentIds.length === 0) delete fixedPrefixes[vehicleId];
    for (const [v, ids] of Object.entries(fixedPrefixes)) {
      if (v !== vehicleId && ids.some((id) => shipmentIds.includes(id))) throw new DomainError('STOP_FIXED_ELSEWHERE', '该站点已固定在另一辆车的路线上', 409);
    }
    return this.saveEdits(plan, { ...plan.edits, fixedPrefixes });
  }

  async replan(user: AuthUser, planId: string, timeLimitSeconds: number) {
    const plan = await this.forUser(user, planId);
    return this.plan(user, plan.depotId, plan.date, timeLimitSeconds, plan.edits, plan._id);
  }

  /**
   * Publishing puts every routed shipment on its vehicle (shipment-planned per stop); stops of an
   * earlier published plan that this one leaves unserved go back to pending.
   */
  async publish(user: AuthUser, planId: string) {
    const plan = await this.forUser(user, planId);
    if (!plan.routes || (plan.status !== 'done' && plan.status !== 'cancelled')) throw new DomainError('PLAN_NOT_READY', '只有已完成的规划可以发布');
    const now = new Date();
    const skipped: string[] = [];
    await this.outbox.transaction(async (session) => {
      const claimed = await this.stores.plans.updateOne({ _id: planId, status: plan.status }, { $set: { status: 'published', publishedAt: now } }, { session });
      if (claimed.modifiedCount !== 1) throw new DomainError('PLAN_CHANGED', '规划刚被修改，请重试');
      const routed = new Set<string>();
      for (const route of plan.routes ?? []) {
        for (const stop of route.stops) {
          routed.add(stop.shipmentId);
          const s = await this.stores.shipments.findById(stop.shipmentId).session(session).lean();
          if (!s || (s.status !== 'pending' && s.status !== 'planned')) {
            skipped.push(stop.shipmentId);
            continue;
          }
          const next = domain(() => shipmentTransition(s.status, 'plan'));
          await this.stores.shipments.updateOne(
            { _id: s._id, version: s.version },
            { $set: { status: next, vehicleId: route.vehicleId, planId, plannedArrival: new Date(stop.arrival) }, $inc: { version: 1 } },
            { session },
          );
          await this.outbox.record<ShipmentPlannedV1>(session, EVENT_TYPES.ShipmentPlanned, s.requestId, {
            shipmentId: s._id,
            requestId: s.requestId,
            orderId: s.orderId,
            planId,
            depotId: plan.depotId,
            vehicleId: route.vehicleId,
            plannedArrival: stop.arrival,
            plannedAt: now.toISOString(),
          });
        }
      }
      await this.stores.shipments.updateMany(
        { depotId: plan.depotId, planDate: plan.date, status: 'planned', planId: { $ne: planId }, _id: { $nin: [...routed] } },
        { $set: { status: 'pending' }, $unset: { vehicleId: 1, planId: 1, plannedArrival: 1 }, $inc: { version: 1 } },
        { session },
      );
    });
    this.logger.log(`plan ${planId} published by ${user.userId}${skipped.length ? `; ${skipped.length} stop(s) no longer plannable` : ''}`);
    return { ...planView(await this.forUser(user, planId)), skipped };
  }

  /** One manifest per route (driver): stops in order with address, window and lines, held lines flagged. */
  async manifests(user: AuthUser, planId: string) {
    const plan = await this.forUser(user, planId);
    const vehicles = new Map((await this.stores.vehicles.find({ depotId: plan.depotId }).lean()).map((v) => [v._id, v]));
    const drivers = new Map((await this.stores.drivers.find({ depotId: plan.depotId }).lean()).map((d) => [d._id, d]));
    const ids = (plan.routes ?? []).flatMap((r) => r.stops.map((s) => s.shipmentId));
    const shipments = new Map((await this.stores.shipments.find({ _id: { $in: ids } }).lean()).map((s) => [s._id, s]));
    return {
      planId,
      items: (plan.routes ?? []).map((r) => {
        const vehicle = vehicles.get(r.vehicleId);
        const driver = vehicle?.driverId ? drivers.get(vehicle.driverId) : undefined;
        return {
          vehicleId: r.vehicleId,
          plate: vehicle?.plate,
          driver: driver ? { id: driver._id, name: driver.name, phone: driver.phone } : null,
          departure: r.departure,
          stops: r.stops.map((stop, i) => {
            const s = shipments.get(stop.shipmentId);
            return {
              seq: i + 1,
              shipmentId: stop.shipmentId,
              status: s?.status,
              arrival: stop.arrival,
              address: s?.address,
              window: s ? { from: s.windowFrom, until: s.windowUntil } : undefined,
              lines: (s?.lines ?? []).map((l) => ({ lineId: l.lineId, nameZh: l.nameZh, quantity: l.quantity, temperatureClass: l.temperatureClass, doNotHandOver: l.holdStatus === 'held' || l.holdStatus === 'rejected', holdStatus: l.holdStatus })),
            };
          }),
        };
      }),
    };
  }

  /** The vehicle leaves: every shipment of this route in the published plan becomes dispatched. */
  async dispatchRoute(user: AuthUser, planId: string, vehicleId: string) {
    const plan = await this.forUser(user, planId);
    if (plan.status !== 'published') throw new DomainError('PLAN_NOT_PUBLISHED', '请先发布规划再发车');
    const shipments = await this.stores.shipments.find({ planId, vehicleId, status: 'planned' }).lean();
    if (shipments.length === 0) throw new DomainError('NOTHING_TO_DISPATCH', '该车辆没有待发车的运单', 409);
    const now = new Date();
    await this.outbox.transaction(async (session) => {
      for (const s of shipments) {
        const next = domain(() => shipmentTransition(s.status, 'dispatch'));
        const res = await this.stores.shipments.updateOne({ _id: s._id, version: s.version }, { $set: { status: next, dispatchedAt: now }, $inc: { version: 1 } }, { session });
        if (res.modifiedCount !== 1) throw new DomainError('SHIPMENT_CHANGED', '运单刚被修改，请重试', 409);
        await this.outbox.record<ShipmentDispatchedV1>(session, EVENT_TYPES.ShipmentDispatched, s.requestId, {
          shipmentId: s._id,
          requestId: s.requestId,
          orderId: s.orderId,
          vehicleId,
          dispatchedAt: now.toISOString(),
        });
      }
    });
    this.logger.log(`vehicle ${vehicleId} dispatched with ${shipments.length} shipment(s) of plan ${planId}`);
    return { vehicleId, dispatched: shipments.map((s) => s._id) };
  }

  private async editable(user: AuthUser, planId: string, shipmentId: string | undefined, vehicleId: string | null) {
    const plan = await this.forUser(user, planId);
    if (plan.status === 'queued' || plan.status === 'running') throw new DomainError('PLAN_RUNNING', '规划进行中，请等待完成或取消后再调整');
    if (shipmentId !== undefined) {
      if (!plan.shipmentIds.includes(shipmentId)) throw new DomainError('UNKNOWN_STOP', `运单 ${shipmentId} 不在该规划中`, 404);
      const s = await this.stores.shipments.findById(shipmentId).lean();
      if (!s) throw new NotFoundException('运单不存在');
      domain(() => shipmentTransition(s.status, 'edit-plan'));
    }
    if (vehicleId) {
      const vehicle = await this.stores.vehicles.findOne({ _id: vehicleId, depotId: plan.depotId }).lean();
      if (!vehicle) throw new DomainError('UNKNOWN_VEHICLE', `车辆 ${vehicleId} 不属于该配送中心`, 404);
      if (await this.stores.shipments.exists({ vehicleId, planDate: plan.date, status: { $in: ['dispatched', 'arrived'] } })) {
        throw new DomainError('ROUTE_DISPATCHED', `车辆 ${vehicle.plate} 已发车，不能再调整其路线`);
      }
    }
    return plan;
  }

  private async saveEdits(plan: PlanDoc, edits: PlanEdits) {
    const res = await this.stores.plans.updateOne({ _id: plan._id, version: plan.version }, { $set: { edits }, $inc: { version: 1 } });
    if (res.modifiedCount !== 1) throw new DomainError('PLAN_CHANGED', '规划刚被修改，请重试');
    return planView({ ...plan, edits, version: plan.version + 1 });
  }

  private async forUser(user: AuthUser, planId: string): Promise<PlanDoc> {
    const plan = await this.stores.plans.findById(planId).lean();
    if (!plan) throw new NotFoundException('规划不存在');
    assertActsForDepot(user, await this.stores.depots.findById(plan.depotId).lean());
    return plan;
  }
}

export function planView<P extends Pick<PlanDoc, '_id' | 'version'>>(p: P) {
  const { _id, ...rest } = p;
  return { id: _id, ...rest, version: undefined };
}
