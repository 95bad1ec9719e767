import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DomainError, Outbox, type AuthUser } from '@techan/common';
import { quantityProblem } from '../../../domain/institutional/call-off-rules';
import { HOT_MEAL_DEFAULT_CUTOFF, maxRideMinutes } from '../../../domain/institutional/hot-meal';
import { keepsRetainedSamples } from '../../../domain/institutional/organisation';
import { sampleDueAt } from '../../../domain/institutional/samples';
import { shanghaiInstant } from '../../../domain/institutional/time';
import { CatalogueStore } from '../../catalogue/catalogue.store';
import {
  INST_CALL_OFF,
  INST_CONTRACT,
  INST_ORGANISATION,
  INST_SAMPLE,
  INST_SITE,
  type CallOffDoc,
  type CallOffLineDoc,
  type ContractDoc,
  type OrganisationDoc,
  type SampleDoc,
  type SiteDoc,
} from '../../persistence/institutional.schemas';
import { CallOffSaga } from '../call-offs/call-off-saga.service';
import { callOffId, CallOffsService } from '../call-offs/call-offs.service';
import { cachedLookup, reviewLines, totalFen } from '../call-offs/line-review';
import { rejectFields, type FieldProblem } from '../errors';
import type { HotMealOrderBody } from './hot-meals.dto';

/**
 * 优餐 hot meals: a school or hospital orders lunch portions by the morning cut-off (a call-off on the
 * hot_meal channel, reserved like any other at cut-off); the central kitchen records the batch's
 * cooking-complete time, which turns into the delivery request's maximum ride time and, for schools
 * and hospitals, a 留样 task for the site's receiver.
 */
@Injectable()
export class HotMealsService {
  constructor(
    @InjectModel(INST_CALL_OFF) private readonly callOffs: Model<CallOffDoc>,
    @InjectModel(INST_CONTRACT) private readonly contracts: Model<ContractDoc>,
    @InjectModel(INST_SITE) private readonly sites: Model<SiteDoc>,
    @InjectModel(INST_ORGANISATION) private readonly orgs: Model<OrganisationDoc>,
    @InjectModel(INST_SAMPLE) private readonly samples: Model<SampleDoc>,
    @Inject(CallOffsService) private readonly service: CallOffsService,
    @Inject(CallOffSaga) private readonly saga: CallOffSaga,
    @Inject(CatalogueStore) private readonly catalogue: CatalogueStore,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async order(orgId: string, body: HotMealOrderBody, by: AuthUser, now: Date): Promise<CallOffDoc> {
    const problems: FieldProblem[] = [];
    const contract = await this.contracts.findById(body.contractId).lean<ContractDoc>().exec();
    if (!contract || contract.orgId !== orgId) rejectFields(422, [{ field: 'contractId', message: '不是本单位的合同' }]);
    if (contract.status !== 'active' || body.serviceDate < contract.validFrom || body.serviceDate > contract.validUntil) {
      problems.push({ field: 'contractId', message: '合同在该日期不在执行中' });
    }
    const site = await this.sites.findById(body.siteId).lean<SiteDoc>().exec();
    if (!site || site.orgId !== orgId) problems.push({ field: 'siteId', message: '不是本单位的站点' });
    const cutoffAt = shanghaiInstant(body.serviceDate, contract.hotMealCutoff ?? HOT_MEAL_DEFAULT_CUTOFF);
    if (now >= cutoffAt) problems.push({ field: 'serviceDate', message: `当日热餐已于 ${contract.hotMealCutoff ?? HOT_MEAL_DEFAULT_CUTOFF} 截单` });
    const lines: CallOffLineDoc[] = [];
    body.lines.forEach((l, i) => {
      const cl = contract.lines.find((x) => x.lineId === l.lineId);
      if (!cl) return problems.push({ field: `lines.${i}.lineId`, message: `合同中没有明细 ${l.lineId}` });
      if (cl.temperatureClass !== 'hot') return problems.push({ field: `lines.${i}.lineId`, message: `${cl.nameZh} 不是热餐` });
      const q = quantityProblem(l.quantity, cl);
      if (q) return problems.push({ field: `lines.${i}.quantity`, message: q });
      lines.push({ lineId: cl.lineId, productId: cl.productId, skuId: cl.skuId, nameZh: cl.nameZh, specZh: cl.specZh, temperatureClass: 'hot', unitPriceFen: cl.unitPriceFen, unitGrams: cl.unitGrams, quantity: l.quantity, state: 'ok' });
    });
    if (problems.length) rejectFields(problems.some((p) => p.field === 'serviceDate') ? 409 : 422, problems);
    const window = { from: shanghaiInstant(body.serviceDate, body.window.from), until: shanghaiInstant(body.serviceDate, body.window.until) };
    const reviewed = await reviewLines(lines, contract.substitutionPolicy, window.from, cachedLookup(this.catalogue));
    const doc: CallOffDoc = {
      _id: callOffId(contract._id, body.siteId, body.serviceDate, 'hot_meal'),
      orgId,
      contractId: contract._id,
      siteId: body.siteId,
      channel: 'hot_meal',
      deliveryDate: body.serviceDate,
      cutoffAt,
      window,
      status: 'open',
      lines: reviewed,
      totalFen: totalFen(reviewed),
      budget: { ...(contract.monthlyBudgetFen ? { capFen: contract.monthlyBudgetFen } : {}), committedFen: 0, overBudget: false },
      history: [{ action: 'ordered', by: by.userId, at: now }],
      version: 1,
      generatedAt: now,
    };
    if ((await this.service.insertNew([doc])) === 0) {
      rejectFields(409, [{ field: 'serviceDate', message: '该站点当日已有热餐订单，请修改原订单' }], 'Conflict');
    }
    return doc;
  }

  /**
   * The kitchen records cooking complete: the delivery request goes to logistics with the ride limit,
   * and a 留样 task is created for school and hospital sites — one transaction.
   */
  async cooked(id: string, body: { cookedAt?: string; dishes: string[] }, by: AuthUser, now: Date): Promise<CallOffDoc> {
    const co = await this.service.get(id);
    if (co.channel !== 'hot_meal') rejectFields(404, [{ field: 'id', message: '不是热餐订单' }], 'Not Found');
    const products = await this.catalogue.findMany(co.lines.map((l) => l.productId));
    const merchants = new Set([...products.values()].map((p) => p.merchantId));
    if (!by.roles.includes('operator') && !(by.roles.includes('merchant') && [...merchants].every((m) => by.merchantIds.includes(m)))) {
      throw new ForbiddenException('只有出餐的中央厨房可以登记出餐时间');
    }
    if (co.status !== 'reserved') throw new DomainError('NOT_RESERVED', `订单状态为 ${co.status}，不能登记出餐`, 409);
    const cookedAt = body.cookedAt ? new Date(body.cookedAt) : now;
    if (cookedAt > now) rejectFields(422, [{ field: 'cookedAt', message: '出餐时间不能晚于现在' }]);
    const org = await this.orgs.findById(co.orgId).lean<OrganisationDoc>().exec();
    const ride = maxRideMinutes(org?.type ?? 'enterprise', cookedAt, now);
    if (ride === null) rejectFields(409, [{ field: 'cookedAt', message: '出餐已超过保温时限，不能配送（须重新制作）' }], 'Conflict');
    return this.outbox.transaction(async (session) => {
      const batch = { cookedAt, dishes: body.dishes, recordedBy: by.userId, maxRideMinutes: ride };
      const updated = await this.service.casUpdate(co, { batch, status: 'delivery-requested', requestId: `dr-${co._id}` }, { action: 'cooked', by: by.userId, at: now, note: body.dishes.join('、') }, session);
      await this.saga.recordDeliveryRequested(updated, now, session, { cookedAt, maxRideMinutes: ride });
      if (org && keepsRetainedSamples(org.type)) {
        const task: SampleDoc = {
          _id: `sp-${co._id}`,
          orgId: co.orgId,
          siteId: co.siteId,
          callOffId: co._id,
          serviceDate: co.deliveryDate,
          dishes: body.dishes,
          dueAt: sampleDueAt(new Date(co.window.until)),
          createdAt: now,
        };
        await this.samples.create([task], { session });
      }
      return updated;
    });
  }
}
