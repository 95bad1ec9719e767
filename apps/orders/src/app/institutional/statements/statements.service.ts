import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { statementLine, statementTotals, type StatementLine, type StatementTotals } from '../../../domain/institutional/statement';
import { monthRange } from '../../../domain/institutional/time';
import { INST_CALL_OFF, INST_ORGANISATION, type CallOffDoc, type OrganisationDoc } from '../../persistence/institutional.schemas';
import { deliverableLines, deliveredAs } from '../call-offs/line-review';

export interface Statement {
  orgId: string;
  orgName: string;
  month: string;
  lines: (StatementLine & { demoHistory?: boolean })[];
  totals: StatementTotals;
  /** Call-offs of the month not delivered yet (they go on the month's statement once delivered). */
  pendingDeliveries: number;
  /** Delivered call-offs of the month that are the seed's demo history (no proof of delivery behind them). */
  demoHistoryDeliveries: number;
}

/** The monthly statement of an organisation: its delivered call-offs and hot meals, priced in fen. */
@Injectable()
export class StatementsService {
  constructor(
    @InjectModel(INST_CALL_OFF) private readonly callOffs: Model<CallOffDoc>,
    @InjectModel(INST_ORGANISATION) private readonly orgs: Model<OrganisationDoc>,
  ) {}

  async build(org: OrganisationDoc, month: string): Promise<Statement> {
    const { first, last } = monthRange(month);
    const range = { orgId: org._id, deliveryDate: { $gte: first, $lte: last } };
    const [delivered, pendingDeliveries] = await Promise.all([
      this.callOffs.find({ ...range, status: 'delivered' }).sort({ deliveryDate: 1, _id: 1 }).lean<CallOffDoc[]>().exec(),
      this.callOffs.countDocuments({ ...range, status: { $in: ['reserving', 'reserved', 'delivery-requested'] } }).exec(),
    ]);
    const lines = delivered.flatMap((co) =>
      deliverableLines(co.lines).map((l) => {
        const d = deliveredAs(l);
        const line = statementLine({
          deliveryDate: co.deliveryDate,
          orderId: co._id,
          siteId: co.siteId,
          productId: d.productId,
          skuId: d.skuId,
          nameZh: d.nameZh,
          unitPriceFen: d.unitPriceFen,
          ordered: l.quantity,
          accepted: l.accepted ?? 0,
          rejected: l.rejected ?? 0,
          short: l.short ?? 0,
          recalled: l.recalled ?? 0,
        });
        return co.demoHistory ? { ...line, demoHistory: true } : line;
      }),
    );
    const demoHistoryDeliveries = delivered.filter((co) => co.demoHistory).length;
    return { orgId: org._id, orgName: org.name, month, lines, totals: statementTotals(lines), pendingDeliveries, demoHistoryDeliveries };
  }
}
