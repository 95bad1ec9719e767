import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { DomainError, type AuthUser } from '@techan/common';
import { contractTransition, periodsOverlap, type ContractCommand } from '../../../domain/institutional/contract-state';
import { quantityProblem } from '../../../domain/institutional/call-off-rules';
import { scheduleProblems, type DeliverySchedule } from '../../../domain/institutional/schedule';
import { CatalogueStore } from '../../catalogue/catalogue.store';
import { INST_CONTRACT, INST_ORGANISATION, INST_SITE, type ContractDoc, type ContractLineDoc, type OrganisationDoc, type SiteDoc } from '../../persistence/institutional.schemas';
import { rejectFields, type FieldProblem } from '../errors';
import type { Page } from '../pagination';
import type { CreateContractBody } from './contracts.dto';

/** Framework contracts between an organisation and the operator, and their life cycle. */
@Injectable()
export class ContractsService {
  constructor(
    @InjectModel(INST_CONTRACT) private readonly contracts: Model<ContractDoc>,
    @InjectModel(INST_ORGANISATION) private readonly orgs: Model<OrganisationDoc>,
    @InjectModel(INST_SITE) private readonly sites: Model<SiteDoc>,
    @Inject(CatalogueStore) private readonly catalogue: CatalogueStore,
  ) {}

  /** Validates everything first (nothing half-written), then inserts the draft in one write. */
  async create(body: CreateContractBody, by: AuthUser, now: Date): Promise<ContractDoc> {
    if (!(await this.orgs.exists({ _id: body.orgId }))) rejectFields(422, [{ field: 'orgId', message: '单位不存在' }]);
    const problems: FieldProblem[] = [];
    const items = await this.catalogue.findMany(body.lines.map((l) => l.productId));
    const lines: ContractLineDoc[] = [];
    const seenSku = new Set<string>();
    body.lines.forEach((l, i) => {
      const item = items.get(l.productId);
      const sku = item?.skus.find((s) => s.skuId === l.skuId);
      if (!item || !sku || item.listed === false) {
        problems.push({ field: `lines.${i}.skuId`, message: '运营方不销售该产品或规格' });
        return;
      }
      if (seenSku.has(l.skuId)) problems.push({ field: `lines.${i}.skuId`, message: '同一规格在合同中重复' });
      seenSku.add(l.skuId);
      const grams = sku.netContent?.unit === 'g' ? Math.round(sku.netContent.value) : 0;
      lines.push({
        lineId: l.lineId ?? `l${i + 1}`,
        productId: l.productId,
        skuId: l.skuId,
        nameZh: item.nameZh,
        specZh: sku.specZh,
        ...(item.categoryId ? { categoryId: item.categoryId } : {}),
        temperatureClass: item.temperatureClass ?? 'ambient',
        unitPriceFen: l.unitPriceFen,
        minQuantity: l.minQuantity,
        maxQuantity: l.maxQuantity,
        unitGrams: grams,
      });
    });
    if (new Set(lines.map((l) => l.lineId)).size !== lines.length) problems.push({ field: 'lines', message: '明细编号重复' });

    // Overlapping validity for the same SKU in another live contract of the organisation.
    const others = await this.contracts
      .find({ orgId: body.orgId, status: { $ne: 'ended' }, 'lines.skuId': { $in: body.lines.map((l) => l.skuId) } })
      .lean<ContractDoc[]>()
      .exec();
    body.lines.forEach((l, i) => {
      const clash = others.find((c) => c.lines.some((x) => x.skuId === l.skuId) && periodsOverlap(c, body));
      if (clash) problems.push({ field: `lines.${i}.skuId`, message: `与合同 ${clash.number} 的有效期重叠（同一规格）` });
    });

    const siteIds = body.schedules.map((s) => s.siteId);
    const sites = await this.sites.find({ _id: { $in: siteIds } }, { orgId: 1 }).lean<SiteDoc[]>().exec();
    const lineIds = new Set(lines.map((l) => l.lineId));
    const schedules: DeliverySchedule[] = body.schedules.map((s, i) => ({
      scheduleId: s.scheduleId ?? `s${i + 1}`,
      siteId: s.siteId,
      frequency: s.frequency,
      weekdays: [...new Set(s.weekdays)].sort(),
      ...(s.dayOfMonth ? { dayOfMonth: s.dayOfMonth } : {}),
      window: s.window,
      cutoff: s.cutoff,
      quantities: s.quantities,
    }));
    schedules.forEach((s, i) => {
      const site = sites.find((x) => x._id === s.siteId);
      if (!site || site.orgId !== body.orgId) problems.push({ field: `schedules.${i}.siteId`, message: '不是本单位的站点' });
      if (siteIds.indexOf(s.siteId) !== i) problems.push({ field: `schedules.${i}.siteId`, message: '每个站点在一份合同中只能有一个配送计划' });
      for (const p of scheduleProblems(s, lineIds)) problems.push({ field: `schedules.${i}.${p.field}`, message: p.message });
      s.quantities.forEach((q, j) => {
        const line = lines.find((l) => l.lineId === q.lineId);
        const p = line && quantityProblem(q.quantity, line);
        if (p) problems.push({ field: `schedules.${i}.quantities.${j}.quantity`, message: p });
      });
    });
    if (problems.length) rejectFields(422, problems);

    const doc: ContractDoc = {
      _id: `ct-${randomUUID().slice(0, 12)}`,
      orgId: body.orgId,
      number: body.number,
      titleZh: body.titleZh,
      status: 'draft',
      validFrom: body.validFrom,
      validUntil: body.validUntil,
      lines,
      ...(body.monthlyBudgetFen ? { monthlyBudgetFen: body.monthlyBudgetFen } : {}),
      substitutionPolicy: body.substitutionPolicy,
      ...(body.hotMealCutoff ? { hotMealCutoff: body.hotMealCutoff } : {}),
      schedules,
      history: [{ action: 'created', by: by.userId, at: now }],
      version: 1,
      createdAt: now,
    };
    await this.contracts.create([doc]).catch((e: { code?: number }) => {
      if (e.code === 11000) rejectFields(409, [{ field: 'number', message: '合同编号已存在' }], 'Conflict');
      throw e;
    });
    return doc;
  }

  async get(id: string): Promise<ContractDoc> {
    const c = await this.contracts.findById(id).lean<ContractDoc>().exec();
    if (!c) throw new NotFoundException('合同不存在');
    return c;
  }

  async list(filter: Record<string, unknown>, page: number, pageSize: number): Promise<Page<ContractDoc>> {
    const [items, total] = await Promise.all([
      this.contracts.find(filter).sort({ createdAt: -1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean<ContractDoc[]>().exec(),
      this.contracts.countDocuments(filter).exec(),
    ]);
    return { items, page, pageSize, total };
  }

  /** A state change as a compare-and-set on the version: a concurrent change makes this one fail (409). */
  async transition(id: string, command: ContractCommand, by: AuthUser, now: Date, note?: string): Promise<ContractDoc> {
    const c = await this.get(id);
    const r = contractTransition(c.status, command);
    if (!r.ok) throw new DomainError('ILLEGAL_TRANSITION', (r as { reasonZh: string }).reasonZh, 409);
    const to = (r as { to: ContractDoc['status'] }).to;
    const entry = { action: command, by: by.userId, at: now, ...(note ? { note } : {}) };
    const updated = await this.contracts
      .findOneAndUpdate({ _id: id, version: c.version }, { $set: { status: to }, $inc: { version: 1 }, $push: { history: entry } }, { returnDocument: 'after' })
      .lean<ContractDoc>()
      .exec();
    if (!updated) throw new DomainError('CONFLICT', '合同刚被他人修改，请刷新后重试', 409);
    return updated;
  }
}
