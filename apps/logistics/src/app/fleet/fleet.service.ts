import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { DomainError, type AuthUser } from '@techan/common';
import type { Connection } from 'mongoose';
import { assertActsForDepot, depotScope } from '../access';
import type { CreateDepotBody, CreateDriverBody, CreateVehicleBody } from '../dto';
import { Stores } from '../persistence/stores';
import { PlanningQueue } from '../planning/planning.queue';

/** Depots, vehicles with their compartments and loggers, drivers and shifts. */
@Injectable()
export class FleetService {
  private readonly logger = new Logger(FleetService.name);
  constructor(
    private readonly stores: Stores,
    @InjectConnection() private readonly connection: Connection,
    private readonly planning: PlanningQueue,
  ) {}

  async createDepot(body: CreateDepotBody) {
    if (body.opensAt >= body.closesAt) throw new DomainError('BAD_HOURS', '营业时间：开门时间应早于关门时间', 400);
    const depot = await this.stores.depots.create({ _id: body.id, ...body, createdAt: new Date() });
    if (body.planningCutoff) await this.planning.scheduleCutoff(body.id, body.planningCutoff);
    this.logger.log(`depot ${depot._id} (${body.nameZh}) created`);
    return this.depotView(depot.toObject());
  }

  async listDepots(user: AuthUser) {
    const depots = await this.stores.depots.find(depotScope(user)).sort({ _id: 1 }).lean();
    return { items: depots.map((d) => this.depotView(d)) };
  }

  async depotFor(user: AuthUser, depotId: string) {
    const depot = await this.stores.depots.findById(depotId).lean();
    assertActsForDepot(user, depot);
    return depot;
  }

  async createVehicle(user: AuthUser, depotId: string, body: CreateVehicleBody) {
    await this.depotFor(user, depotId);
    const ids = body.compartments.map((c) => c.deviceId);
    if (new Set(ids).size !== ids.length) throw new DomainError('DUPLICATE_DEVICE', '同一车辆的各车厢必须使用不同的温度设备', 400);
    if (body.driverId) await this.driverOf(depotId, body.driverId);
    // The vehicle and its devices in one transaction: a device already fitted elsewhere refuses both (409).
    await this.connection.transaction(async (session) => {
      await this.stores.vehicles.create([{ _id: body.id, depotId, ...body, createdAt: new Date() }], { session });
      await this.stores.devices.create(
        body.compartments.map((c) => ({ _id: c.deviceId, vehicleId: body.id, depotId, temperatureClass: c.temperatureClass })),
        { session, ordered: true },
      );
    });
    this.logger.log(`vehicle ${body.id} (${body.plate}) added to depot ${depotId}`);
    return this.stores.vehicles.findById(body.id).lean();
  }

  async listVehicles(user: AuthUser, depotId: string) {
    await this.depotFor(user, depotId);
    return { items: await this.stores.vehicles.find({ depotId }).sort({ _id: 1 }).lean() };
  }

  async createDriver(user: AuthUser, depotId: string, body: CreateDriverBody) {
    await this.depotFor(user, depotId);
    if (body.shift.start >= body.shift.end) throw new DomainError('BAD_SHIFT', '班次开始时间应早于结束时间', 400);
    await this.connection.transaction(async (session) => {
      await this.stores.drivers.create([{ _id: body.id, depotId, ...body, createdAt: new Date() }], { session });
      // A driver acts for their depot (proof of delivery) with the dispatcher role.
      await this.stores.depots.updateOne({ _id: depotId }, { $addToSet: { staffUserIds: body.userId } }, { session });
    });
    return this.stores.drivers.findById(body.id).lean();
  }

  async listDrivers(user: AuthUser, depotId: string) {
    await this.depotFor(user, depotId);
    return { items: await this.stores.drivers.find({ depotId }).sort({ _id: 1 }).lean() };
  }

  async assignDriver(user: AuthUser, vehicleId: string, driverId: string | null) {
    const vehicle = await this.stores.vehicles.findById(vehicleId).lean();
    if (!vehicle) throw new NotFoundException('车辆不存在');
    await this.depotFor(user, vehicle.depotId);
    if (driverId) await this.driverOf(vehicle.depotId, driverId);
    await this.stores.vehicles.updateOne({ _id: vehicleId }, driverId ? { $set: { driverId } } : { $unset: { driverId: 1 } });
    return this.stores.vehicles.findById(vehicleId).lean();
  }

  private async driverOf(depotId: string, driverId: string) {
    const driver = await this.stores.drivers.findOne({ _id: driverId, depotId }).lean();
    if (!driver) throw new DomainError('UNKNOWN_DRIVER', `司机 ${driverId} 不属于该配送中心`, 400);
    return driver;
  }

  private depotView(d: { _id: string } & Omit<CreateDepotBody, 'id'>) {
    return { id: d._id, nameZh: d.nameZh, kind: d.kind, address: d.address, lat: d.lat, lng: d.lng, opensAt: d.opensAt, closesAt: d.closesAt, planningCutoff: d.planningCutoff, staffUserIds: d.staffUserIds };
  }
}
