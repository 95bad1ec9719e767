import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { z } from 'zod';
import {
  addDays,
  assertFlatStringParams,
  chinaDay,
  chinaDayClose,
  computePriceIndex,
  findPriceIndexGroup,
  PRICE_INDEX_GROUP_IDS,
  zodToInvalidInput,
  InvalidInputError,
  type PriceIndexSeries,
} from '../domain';
import { PRICE_CHANGE, type PriceChangeDoc } from '../persistence/schemas';
import { CLOCK, type Clock } from './clock';

export const MAX_INDEX_DAYS = 366;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const IndexQuery = z.strictObject({
  group: z.enum(PRICE_INDEX_GROUP_IDS, { error: `指数品类应为 ${PRICE_INDEX_GROUP_IDS.join(' / ')}` }),
  from: day.optional(),
  to: day.optional(),
});

/** The daily price index endpoint's data: one series per product group, ready for a line chart. */
@Injectable()
export class PriceIndexService {
  constructor(
    @InjectModel(PRICE_CHANGE) private readonly changes: Model<PriceChangeDoc>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async series(raw: unknown): Promise<PriceIndexSeries & { chart: { labels: string[]; index: number[]; medianYuan: (number | null)[] } }> {
    const parsed = IndexQuery.safeParse(assertFlatStringParams(raw));
    if (!parsed.success) throw zodToInvalidInput(parsed.error, 'query');
    const today = chinaDay(this.clock.now());
    const to = parsed.data.to ?? today;
    const from = parsed.data.from ?? addDays(to, -29);
    if (Number.isNaN(chinaDayClose(from).getTime()) || addDays(from, 0) !== from) throw new InvalidInputError('from', '日期无效');
    if (Number.isNaN(chinaDayClose(to).getTime()) || addDays(to, 0) !== to) throw new InvalidInputError('to', '日期无效');
    if (from > to) throw new InvalidInputError('from', '开始日期不能晚于结束日期');
    if (to > today) throw new InvalidInputError('to', '结束日期不能晚于今天');
    if (addDays(from, MAX_INDEX_DAYS - 1) < to) throw new InvalidInputError('from', `最多查询 ${MAX_INDEX_DAYS} 天`);
    const group = findPriceIndexGroup(parsed.data.group);
    if (!group) throw new InvalidInputError('group', '未知的指数品类');
    // Every change up to the end of `to`: earlier ones set the price in force on the first day.
    const rows = await this.changes
      .find({ categoryId: group.categoryId, at: { $lt: chinaDayClose(to) } }, { skuId: 1, priceFen: 1, netContent: 1, at: 1 })
      .sort({ at: 1 })
      .lean<PriceChangeDoc[]>()
      .exec();
    const series = computePriceIndex(group.id, rows, from, to);
    return {
      ...series,
      chart: {
        labels: series.points.map((p) => p.day),
        index: series.points.map((p) => p.index),
        medianYuan: series.points.map((p) => (p.medianUnitPriceFen === null ? null : p.medianUnitPriceFen / 100)),
      },
    };
  }
}
