import { Controller, Injectable, Logger, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectModel, MongooseModule } from '@nestjs/mongoose';
import { EVENT_TYPES, Inbox, type EventEnvelope, type ShipmentDeliveredV1 } from '@techan/common';
import { Schema, type ClientSession, type Model } from 'mongoose';

/**
 * The last link of the consumer's trace: certification → lot → shipment with its temperatures →
 * delivery. Logistics' proof of delivery (shipment-delivered) carries each compartment's min/max;
 * we keep, per delivered product line, the temperatures of the compartment it travelled in, and the
 * public verify page shows the latest ones ("全程冷链 ✓, −19.2 °C … −18.4 °C").
 */
export interface DeliveryTraceDoc {
  _id: string;
  productId: string;
  shipmentId: string;
  deliveredAt: Date;
  temperatureClass: string;
  minC: number;
  maxC: number;
  readings: number;
  /** False when the compartment had an excursion on this trip (or no readings at all). */
  coldChainKept: boolean;
}

export const DELIVERY_TRACE_MODEL = 'DeliveryTrace';
export const DeliveryTraceSchema = new Schema<DeliveryTraceDoc>(
  {
    _id: String,
    productId: String,
    shipmentId: String,
    deliveredAt: Date,
    temperatureClass: String,
    minC: Number,
    maxC: Number,
    readings: Number,
    coldChainKept: Boolean,
  },
  { collection: 'delivery_traces', versionKey: false },
);
DeliveryTraceSchema.index({ productId: 1, deliveredAt: -1 });

/** What the verify view shows per recent delivery of the product. */
export interface ColdChainRecord {
  deliveredAt: string;
  temperatureClass: string;
  minC: number;
  maxC: number;
  coldChainKept: boolean;
}

/** Classes whose temperature is monitored; ambient goods have no cold chain to show. */
const MONITORED = new Set(['frozen', 'chilled', 'hot']);

@Injectable()
export class DeliveryTraceService {
  constructor(@InjectModel(DELIVERY_TRACE_MODEL) private readonly traces: Model<DeliveryTraceDoc>) {}

  async record(session: ClientSession, e: ShipmentDeliveredV1): Promise<number> {
    const docs: DeliveryTraceDoc[] = [];
    for (const line of e.lines) {
      if (line.accepted === 0 || !line.temperatureClass || !MONITORED.has(line.temperatureClass)) continue;
      const t = e.temperatures.find((s) => s.temperatureClass === line.temperatureClass);
      if (!t) continue;
      docs.push({
        _id: `${e.shipmentId}:${line.lineId}`,
        productId: line.productId,
        shipmentId: e.shipmentId,
        deliveredAt: new Date(e.deliveredAt),
        temperatureClass: t.temperatureClass,
        minC: t.minC,
        maxC: t.maxC,
        readings: t.readings,
        coldChainKept: !t.excursion && t.readings > 0,
      });
    }
    for (const { _id, ...fields } of docs) await this.traces.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true, session });
    return docs.length;
  }

  async latest(productId: string, limit = 3): Promise<ColdChainRecord[]> {
    const docs = await this.traces.find({ productId }).sort({ deliveredAt: -1 }).limit(limit).lean();
    return docs.map((d) => ({ deliveredAt: d.deliveredAt.toISOString(), temperatureClass: d.temperatureClass, minC: d.minC, maxC: d.maxC, coldChainKept: d.coldChainKept }));
  }
}

@Controller()
export class DeliveryTraceConsumer {
  private readonly logger = new Logger(DeliveryTraceConsumer.name);
  constructor(
    private readonly inbox: Inbox,
    private readonly traces: DeliveryTraceService,
  ) {}

  @EventPattern(EVENT_TYPES.ShipmentDelivered)
  async onDelivered(@Payload() event: EventEnvelope<ShipmentDeliveredV1>): Promise<void> {
    await this.inbox.once(event, async (session) => {
      const n = await this.traces.record(session, event.data);
      if (n) this.logger.log(`delivery trace: ${n} line(s) of shipment ${event.data.shipmentId}`);
    });
  }
}

@Module({
  imports: [MongooseModule.forFeature([{ name: DELIVERY_TRACE_MODEL, schema: DeliveryTraceSchema }])],
  controllers: [DeliveryTraceConsumer],
  providers: [DeliveryTraceService],
  exports: [DeliveryTraceService],
})
export class DeliveryTraceModule {}
