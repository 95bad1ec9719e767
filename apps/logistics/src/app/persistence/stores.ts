import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { MODELS } from './schemas';
import type { CancelledOrderDoc, DepotDoc, DetectorDoc, DeviceDoc, DriverDoc, ExcursionDoc, HoldDoc, PlanDoc, ProductStatusDoc, ReadingDoc, ShipmentDoc, VehicleDoc } from './schemas';

/** The service's mongoose models in one injectable, so use cases name what they touch. */
@Injectable()
export class Stores {
  constructor(
    @InjectModel(MODELS.depot) readonly depots: Model<DepotDoc>,
    @InjectModel(MODELS.vehicle) readonly vehicles: Model<VehicleDoc>,
    @InjectModel(MODELS.device) readonly devices: Model<DeviceDoc>,
    @InjectModel(MODELS.driver) readonly drivers: Model<DriverDoc>,
    @InjectModel(MODELS.shipment) readonly shipments: Model<ShipmentDoc>,
    @InjectModel(MODELS.plan) readonly plans: Model<PlanDoc>,
    @InjectModel(MODELS.reading) readonly readings: Model<ReadingDoc>,
    @InjectModel(MODELS.detector) readonly detectors: Model<DetectorDoc>,
    @InjectModel(MODELS.excursion) readonly excursions: Model<ExcursionDoc>,
    @InjectModel(MODELS.hold) readonly holds: Model<HoldDoc>,
    @InjectModel(MODELS.product) readonly products: Model<ProductStatusDoc>,
    @InjectModel(MODELS.cancelledOrder) readonly cancelledOrders: Model<CancelledOrderDoc>,
  ) {}
}
