import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import type { ClientSession, Model } from 'mongoose';
import { DomainError, EVENT_TYPES, Outbox, type AuthUser, type OrderPlacedV1 } from '@techan/common';
import { amendProblems, exceedsBudget } from '../../../domain/institutional/call-off-rules';
import { generatesCallOffs } from '../../../domain/institutional/contract-state';
import { cutoffFor, deliveryWindow, isDeliveryDay } from '../../../domain/institutional/schedule';
import { monthOf, monthRange, type LocalDate } from '../../../domain/institutional/time';
import { CatalogueStore } from '../../catalogue/catalogue.store';
import { INST_CALL_OFF, INST_CONTRACT, type CallOffDoc, type CallOffLineDoc, type ContractDoc } from '../../persistence/institutional.schemas';
import { rejectFields } from '../errors';
import type { Page } from '../pagination';
import { cachedLookup, deliverableLines, deliveredAs, reviewLines, totalFen, type CatalogueLookup } from './line-review';

/** The id of the one call-off of a contract, site, date and channel: duplicates collide on _id too. */
export function callOffId(contractId: string, siteId: string, date: LocalDate, channel: CallOffDoc['channel']): string {
  const h = createHash('sha256').update(`${contractId}|${siteId}|${date}|${channel}`).digest('hex').slice(0, 20);
  return `${channel === 'hot_meal' ? 'hm' : 'co'}_${h}`;
}

/** Statuses whose amounts count against the month's budget. */
const COMMITTED: CallOffDoc['status'][] = ['reserving', 'reserved', 'delivery-requested', 'delivered'];

export interface GenerationReport {
  date: LocalDate;
  contracts: number;
  created: number;
  existing: number;
}

/**
 * Call-offs: generated from contract schedules, amended by the orderer until cut-off, then reviewed
 * one last time (certified-only on the delivery date, substitutes, budget) and reserved through the
 * catalog's saga (order-placed via the outbox).
 */
@Injectable()
export class CallOffsService {
  private readonly logger = new Logger(CallOffsService.name);

  constructor(
    @InjectModel(INST_CALL_OFF) readonly callOffs: Model<CallOffDoc>,
    @InjectModel(INST_CONTRACT) private readonly contracts: Model<ContractDoc>,
    @Inject(CatalogueStore) private readonly catalogue: CatalogueStore,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  /**
   * Creates the call-offs of every active contract delivering on `date`, exactly once: ids are
   * derived from (contract, site, date) and a unique index backs them, so concurrent or repeated runs
   * (a retried job, two workers, a restart after kill -9) insert nothing twice.
   */
  async generateForDate(date: LocalDate, now: Date, batchSize = 500): Promise<GenerationReport> {
    const report: GenerationReport = { date, contracts: 0, created: 0, existing: 0 };
    let after = '';
    for (;;) {
      const batch = await this.contracts
        .find({ status: 'active', validFrom: { $lte: date }, validUntil: { $gte: date }, _id: { $gt: after } })
        .sort({ _id: 1 })
        .limit(batchSize)
        .lean<ContractDoc[]>()
        .exec();
      if (batch.length === 0) break;
      after = batch[batch.length - 1]._id;
      report.contracts += batch.length;
      const planned = batch.flatMap((c) =>
        c.schedules.filter((s) => isDeliveryDay(s, date) && deliveryWindow(s, date).until > now).map((s) => ({ c, s, id: callOffId(c._id, s.siteId, date, 'contract') })),
      );
      if (planned.length === 0) continue;
      const existing = new Set(
        (await this.callOffs.find({ _id: { $in: planned.map((p) => p.id) } }, { _id: 1 }).lean<{ _id: string }[]>().exec()).map((d) => d._id),
      );
      const todo = planned.filter((p) => !existing.has(p.id));
      report.existing += planned.length - todo.length;
      if (todo.length === 0) continue;
      const items = await this.catalogue.findMany(todo.flatMap((p) => p.c.lines.map((l) => l.productId)));
      const lookup = cachedLookup(this.catalogue, items);
      const docs: CallOffDoc[] = [];
      for (const { c, s, id } of todo) {
        const window = deliveryWindow(s, date);
        const lines: CallOffLineDoc[] = s.quantities.map((q) => {
          const l = c.lines.find((x) => x.lineId === q.lineId) as ContractDoc['lines'][number];
          return {
            lineId: l.lineId,
            productId: l.productId,
            skuId: l.skuId,
            nameZh: l.nameZh,
            specZh: l.specZh,
            temperatureClass: l.temperatureClass,
            unitPriceFen: l.unitPriceFen,
            unitGrams: l.unitGrams,
            quantity: q.quantity,
            state: 'ok',
          };
        });
        const reviewed = await reviewLines(lines, c.substitutionPolicy, window.from, lookup);
        docs.push({
          _id: id,
          orgId: c.orgId,
          contractId: c._id,
          siteId: s.siteId,
          channel: 'contract',
          deliveryDate: date,
          cutoffAt: cutoffFor(s, date),
          window,
          status: 'open',
          lines: reviewed,
          totalFen: totalFen(reviewed),
          budget: { ...(c.monthlyBudgetFen ? { capFen: c.monthlyBudgetFen } : {}), committedFen: 0, overBudget: false },
          history: [{ action: 'generated', by: 'schedule', at: now }],
          version: 1,
          generatedAt: now,
        });
      }
      const inserted = await this.insertNew(docs);
      report.created += inserted;
      report.existing += docs.length - inserted;
    }
    if (report.created) this.logger.log(`generated ${report.created} call-off(s) for ${date} (${report.existing} existed)`);
    return report;
  }

  /** Inserts what does not exist yet; a duplicate key is the expected outcome of a race, not an error. */
  async insertNew(docs: CallOffDoc[]): Promise<number> {
    if (docs.length === 0) return 0;
    try {
      const res = await this.callOffs.collection.insertMany(docs as never[], { ordered: false });
      return res.insertedCount;
    } catch (e) {
      const err = e as { code?: number; writeErrors?: { code?: number }[] | { code?: number }; insertedCount?: number; result?: { insertedCount?: number } };
      const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : err.writeErrors ? [err.writeErrors] : err.code === 11000 ? [err] : [];
      if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== 11000)) throw e;
      return err.insertedCount ?? err.result?.insertedCount ?? docs.length - writeErrors.length;
    }
  }

  async get(id: string): Promise<CallOffDoc> {
    const doc = await this.callOffs.findById(id).lean<CallOffDoc>().exec();
    if (!doc) throw new NotFoundException('配送单不存在');
    return doc;
  }

  async list(filter: Record<string, unknown>, page: number, pageSize: number): Promise<Page<CallOffDoc>> {
    const [items, total] = await Promise.all([
      this.callOffs.find(filter).sort({ deliveryDate: 1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean<CallOffDoc[]>().exec(),
      this.callOffs.countDocuments(filter).exec(),
    ]);
    return { items, page, pageSize, total };
  }

  /** The orderer changes quantities or adds contract lines until cut-off. */
  async amend(id: string, changes: { lineId: string; quantity: number }[], by: AuthUser, now: Date): Promise<CallOffDoc> {
    const co = await this.get(id);
    const contract = await this.contracts.findById(co.contractId).lean<ContractDoc>().exec();
    if (!contract) throw new NotFoundException('合同不存在');
    const problems = amendProblems({ now, cutoffAt: co.cutoffAt, status: co.status, lines: changes }, contract.lines);
    if (problems.length) rejectFields(problems[0].status, problems.map(({ field, message }) => ({ field, message })));
    let lines = co.lines.map((l) => ({ ...l }));
    for (const ch of changes) {
      const existing = lines.find((l) => l.lineId === ch.lineId);
      if (existing) {
        existing.quantity = ch.quantity;
        if (existing.state === 'dropped' && ch.quantity > 0) existing.state = 'ok';
      } else if (ch.quantity > 0) {
        const l = contract.lines.find((x) => x.lineId === ch.lineId) as ContractDoc['lines'][number];
        if (co.channel === 'hot_meal' && l.temperatureClass !== 'hot') rejectFields(422, [{ field: 'lines', message: `${l.nameZh} 不是热餐` }]);
        lines.push({ lineId: l.lineId, productId: l.productId, skuId: l.skuId, nameZh: l.nameZh, specZh: l.specZh, temperatureClass: l.temperatureClass, unitPriceFen: l.unitPriceFen, unitGrams: l.unitGrams, quantity: ch.quantity, state: 'ok' });
      }
    }
    lines = await reviewLines(lines, contract.substitutionPolicy, co.window.from, cachedLookup(this.catalogue));
    return this.save(co, { lines, totalFen: totalFen(lines) }, { action: 'amended', by: by.userId, at: now, note: changes.map((c) => `${c.lineId}=${c.quantity}`).join(', ') });
  }

  /** The buyer admin approves or declines an offered substitute (before cut-off). */
  async decideSubstitute(id: string, lineId: string, approve: boolean, by: AuthUser, now: Date): Promise<CallOffDoc> {
    const co = await this.get(id);
    if (now >= co.cutoffAt) rejectFields(409, [{ field: 'cutoffAt', message: '已过截单时间，替代品未确认的明细不配送' }], 'Conflict');
    const line = co.lines.find((l) => l.lineId === lineId);
    if (!line) rejectFields(404, [{ field: 'lineId', message: '没有这个明细' }], 'Not Found');
    if (line.state !== 'substitute-offered' || !line.substitute) rejectFields(409, [{ field: 'lineId', message: '该明细没有待确认的替代品' }], 'Conflict');
    const lines = co.lines.map((l) =>
      l.lineId !== lineId ? l : approve ? { ...l, state: 'substituted' as const, substituteDecidedBy: by.userId } : { ...l, state: 'dropped' as const, reasonZh: `${l.reasonZh ?? ''}；采购方拒绝替代品` },
    );
    return this.save(co, { lines, totalFen: totalFen(lines) }, { action: approve ? 'substitute-approved' : 'substitute-declined', by: by.userId, at: now, note: `${lineId} → ${line.substitute.nameZh}` });
  }

  /** The buyer admin lets an over-budget call-off go ahead: it is reserved at once. */
  async approveBudget(id: string, by: AuthUser, now: Date): Promise<CallOffDoc> {
    const co = await this.get(id);
    if (co.status !== 'awaiting-approval') rejectFields(409, [{ field: 'status', message: '该配送单不在待审批状态' }], 'Conflict');
    return this.outbox.transaction(async (session) => {
      const budget = { ...co.budget, approvedBy: by.userId, approvedAt: now };
      const updated = await this.casUpdate(co, { status: 'reserving', budget }, { action: 'budget-approved', by: by.userId, at: now }, session);
      await this.recordOrderPlaced(updated, now, session);
      return updated;
    });
  }

  /** Closes every call-off whose cut-off has passed; returns how many were closed. */
  async closeDue(now: Date, limit = 200): Promise<number> {
    let closed = 0;
    for (;;) {
      const due = await this.callOffs.find({ status: 'open', cutoffAt: { $lte: now } }).sort({ cutoffAt: 1 }).limit(limit).lean<CallOffDoc[]>().exec();
      if (due.length === 0) return closed;
      let progressed = 0;
      for (const co of due) {
        try {
          await this.close(co, now);
          progressed++;
          closed++;
        } catch (e) {
          if ((e as { code?: string }).code !== 'CONFLICT') throw e; // another worker closed it
        }
      }
      if (progressed === 0) return closed;
    }
  }

  /** Final review at cut-off, then: nothing left → cancelled; over budget → awaiting approval; else reserve. */
  async close(co: CallOffDoc, now: Date): Promise<CallOffDoc> {
    const contract = await this.contracts.findById(co.contractId).lean<ContractDoc>().exec();
    if (!contract || !generatesCallOffs(contract.status)) {
      return this.save(co, { status: 'cancelled' }, { action: 'cancelled', by: 'cut-off', at: now, note: '合同未在执行中' });
    }
    const reviewed = await reviewLines(co.lines, contract.substitutionPolicy, co.window.from, cachedLookup(this.catalogue));
    const lines = reviewed.map((l) => (l.state === 'substitute-offered' ? { ...l, state: 'dropped' as const, reasonZh: `${l.reasonZh ?? ''}；替代品未在截单前确认，本次不配送` } : l));
    const total = totalFen(lines);
    if (deliverableLines(lines).length === 0) {
      return this.save(co, { lines, totalFen: total, status: 'cancelled' }, { action: 'cancelled', by: 'cut-off', at: now, note: '没有可配送的明细' });
    }
    const committedFen = await this.committedInMonth(co.contractId, co.deliveryDate, co._id);
    const overBudget = exceedsBudget(contract.monthlyBudgetFen, committedFen, total);
    const budget = { ...co.budget, committedFen, overBudget };
    if (overBudget && !co.budget.approvedBy) {
      return this.save(co, { lines, totalFen: total, budget, status: 'awaiting-approval' }, { action: 'held-over-budget', by: 'cut-off', at: now, note: `本月已用 ${committedFen} 分，上限 ${contract.monthlyBudgetFen} 分` });
    }
    return this.outbox.transaction(async (session) => {
      const updated = await this.casUpdate(co, { lines, totalFen: total, budget, status: 'reserving' }, { action: 'cut-off', by: 'cut-off', at: now }, session);
      await this.recordOrderPlaced(updated, now, session);
      return updated;
    });
  }

  async committedInMonth(contractId: string, date: LocalDate, exceptId: string): Promise<number> {
    const { first, last } = monthRange(monthOf(date));
    const rows = await this.callOffs
      .aggregate<{ sum: number }>([
        { $match: { contractId, deliveryDate: { $gte: first, $lte: last }, status: { $in: COMMITTED }, _id: { $ne: exceptId } } },
        { $group: { _id: null, sum: { $sum: '$totalFen' } } },
      ])
      .exec();
    return rows[0]?.sum ?? 0;
  }

  /** order-placed for the catalog's reservation saga (channel contract / hot_meal). */
  async recordOrderPlaced(co: CallOffDoc, now: Date, session: ClientSession): Promise<void> {
    const data: OrderPlacedV1 = {
      orderId: co._id,
      buyerId: co.orgId,
      channel: co.channel,
      lines: orderLines(co.lines),
      // Paid on account at once after the reservation (see README): the hold only bridges the saga.
      reserveUntil: new Date(now.getTime() + 2 * 3_600_000).toISOString(),
      placedAt: now.toISOString(),
    };
    await this.outbox.record(session, EVENT_TYPES.OrderPlaced, co._id, data);
  }

  /** Re-reviews open call-offs holding a product whose certification just changed. */
  async reviewForProduct(productId: string, lookup: CatalogueLookup, now: Date): Promise<number> {
    const open = await this.callOffs
      .find({ status: { $in: ['open', 'awaiting-approval'] }, $or: [{ 'lines.productId': productId }, { 'lines.substitute.productId': productId }] })
      .lean<CallOffDoc[]>()
      .exec();
    let changed = 0;
    for (const co of open) {
      const contract = await this.contracts.findById(co.contractId, { substitutionPolicy: 1 }).lean<ContractDoc>().exec();
      const lines = await reviewLines(co.lines, contract?.substitutionPolicy ?? 'none', co.window.from, lookup);
      if (JSON.stringify(lines) === JSON.stringify(co.lines)) continue;
      await this.save(co, { lines, totalFen: totalFen(lines) }, { action: 'certification-changed', by: 'certification', at: now, note: productId }).catch((e) => {
        if ((e as { code?: string }).code !== 'CONFLICT') throw e;
      });
      changed++;
    }
    return changed;
  }

  private save(co: CallOffDoc, set: Partial<CallOffDoc>, entry: CallOffDoc['history'][number]): Promise<CallOffDoc> {
    return this.casUpdate(co, set, entry);
  }

  /** Compare-and-set on the version: a concurrent change wins, this one reports CONFLICT (409). */
  async casUpdate(co: CallOffDoc, set: Partial<CallOffDoc>, entry: CallOffDoc['history'][number], session?: ClientSession): Promise<CallOffDoc> {
    const updated = await this.callOffs
      .findOneAndUpdate({ _id: co._id, version: co.version }, { $set: set, $inc: { version: 1 }, $push: { history: entry } }, { returnDocument: 'after', session })
      .lean<CallOffDoc>()
      .exec();
    if (!updated) throw new DomainError('CONFLICT', '配送单刚被他人修改，请刷新后重试', 409);
    return updated;
  }
}

export function orderLines(lines: readonly CallOffLineDoc[]): OrderPlacedV1['lines'] {
  return deliverableLines(lines).map((l) => {
    const d = deliveredAs(l);
    return { productId: d.productId, skuId: d.skuId, quantity: l.quantity, unitPriceFen: d.unitPriceFen };
  });
}
