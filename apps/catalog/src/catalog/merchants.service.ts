import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ClientSession, Model } from 'mongoose';
import { EVENT_TYPES, type MerchantUpsertedV1 } from '@techan/common';
import {
  applyReview,
  MerchantRegistration,
  MerchantReview,
  MERCHANT_STATUS_ZH,
  parseInput,
  reviewDueBy,
  submitForReview,
} from '../domain';
import { MERCHANT, newId, PRODUCT, type MerchantDoc, type ProductDoc } from '../persistence/schemas';
import { CLOCK, type Clock } from './clock';
import { CATALOG_EVENTS, type CatalogEventPublisher } from './events';
import { ConflictError, ForbiddenError, isDuplicateKey, NotFoundError } from './errors';
import { actsFor, isOperator, type Principal } from './principal';

export interface MerchantView {
  id: string;
  name: string;
  creditCode: string;
  town: string;
  status: MerchantDoc['status'];
  statusZh: string;
  submittedAt: string;
  reviewDueBy?: string;
  reviewedAt?: string;
  rejectionReason?: string;
  licenceDocument: string;
  contact: MerchantDoc['contact'];
}

/** Members: the account that registered the enterprise (granting further members comes with the console). */
export function merchantUpserted(m: MerchantDoc, at: Date): MerchantUpsertedV1 {
  return { merchantId: m._id, name: m.name, status: m.status, memberUserIds: [m.ownerId], updatedAt: at.toISOString() };
}

export function merchantView(m: MerchantDoc): MerchantView {
  return {
    id: m._id,
    name: m.name,
    creditCode: m.creditCode,
    town: m.town,
    status: m.status,
    statusZh: MERCHANT_STATUS_ZH[m.status],
    submittedAt: m.submittedAt.toISOString(),
    ...(m.status === 'pending' ? { reviewDueBy: reviewDueBy(m.submittedAt).toISOString() } : {}),
    ...(m.reviewedAt ? { reviewedAt: m.reviewedAt.toISOString() } : {}),
    ...(m.rejectionReason ? { rejectionReason: m.rejectionReason } : {}),
    licenceDocument: m.licenceDocument,
    contact: m.contact,
  };
}

@Injectable()
export class MerchantsService {
  constructor(
    @InjectModel(MERCHANT) private readonly merchants: Model<MerchantDoc>,
    @InjectModel(PRODUCT) private readonly products: Model<ProductDoc>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CATALOG_EVENTS) private readonly events: CatalogEventPublisher,
  ) {}

  /**
   * Tells the other services who acts for this enterprise (techan.catalog.merchant-upserted.v1), in
   * the transaction of the change, so they resolve memberships server-side from the moment it commits.
   */
  async publishUpserted(m: MerchantDoc, at: Date, session?: ClientSession): Promise<void> {
    await this.events.publish(EVENT_TYPES.MerchantUpserted, m._id, merchantUpserted(m, at), session);
  }

  /** An account may register several enterprises; each credit code only once. */
  async register(principal: Principal, body: unknown): Promise<MerchantView> {
    const input = parseInput(MerchantRegistration, body);
    const doc: MerchantDoc = {
      _id: newId('m'),
      ownerId: principal.sub,
      ...input,
      ...this.reviewFields(submitForReview(this.clock.now())),
    } as MerchantDoc;
    try {
      await this.events.transaction(async (session) => {
        await this.merchants.create([doc], { session });
        await this.publishUpserted(doc, this.clock.now(), session);
      });
    } catch (e) {
      if (isDuplicateKey(e)) throw new ConflictError('该统一社会信用代码已登记');
      throw e;
    }
    return merchantView(doc);
  }

  async mine(principal: Principal): Promise<MerchantView[]> {
    const docs = await this.merchants
      .find({ $or: [{ ownerId: principal.sub }, { _id: { $in: principal.merchantIds.map(String) } }] })
      .sort({ submittedAt: -1 }).lean<MerchantDoc[]>().exec();
    return docs.map(merchantView);
  }

  /** The operator's review queue, oldest submission first. */
  async pending(): Promise<MerchantView[]> {
    const docs = await this.merchants.find({ status: 'pending' }).sort({ submittedAt: 1 }).limit(200).lean<MerchantDoc[]>().exec();
    return docs.map(merchantView);
  }

  async get(principal: Principal, id: string): Promise<MerchantView> {
    const m = await this.find(id);
    if (!actsFor(principal, m) && !isOperator(principal)) throw new ForbiddenError('只能查看自己的企业');
    return merchantView(m);
  }

  async review(operator: Principal, id: string, body: unknown): Promise<MerchantView> {
    const review = parseInput(MerchantReview, body);
    const current = await this.find(id);
    const next = applyReview(
      { status: current.status, submittedAt: current.submittedAt.toISOString() },
      review,
      operator.sub,
      this.clock.now(),
    );
    // Conditional on still being pending: two operators reviewing at once cannot both win.
    const updated = await this.events.transaction(async (session) => {
      const doc = await this.merchants
        .findOneAndUpdate({ _id: id, status: 'pending' }, { $set: this.reviewFields(next) }, { returnDocument: 'after', session })
        .lean<MerchantDoc>()
        .exec();
      if (doc) await this.publishUpserted(doc, this.clock.now(), session);
      return doc;
    });
    if (!updated) throw new ConflictError('该企业已被其他审核员处理');
    if (updated.status === 'approved') {
      await this.products.updateMany({ merchantId: id }, { $set: { merchantApproved: true } });
    }
    return merchantView(updated);
  }

  /** The merchant if the caller owns it and it may list products. */
  async requireOwnedApproved(principal: Principal, merchantId: string): Promise<MerchantDoc> {
    const m = await this.find(merchantId);
    if (!actsFor(principal, m)) throw new ForbiddenError('只能管理自己企业的产品');
    if (m.status !== 'approved') throw new ForbiddenError(`企业${MERCHANT_STATUS_ZH[m.status]}，审核通过后才能上架产品`);
    return m;
  }

  async find(id: string): Promise<MerchantDoc> {
    if (typeof id !== 'string' || !/^m_[a-z0-9]{1,40}$/.test(id)) throw new NotFoundError('企业');
    const m = await this.merchants.findById(id).lean<MerchantDoc>().exec();
    if (!m) throw new NotFoundError('企业');
    return m;
  }

  private reviewFields(s: ReturnType<typeof submitForReview>) {
    return {
      status: s.status,
      submittedAt: new Date(s.submittedAt),
      ...(s.reviewedAt ? { reviewedAt: new Date(s.reviewedAt) } : {}),
      ...(s.reviewedBy ? { reviewedBy: s.reviewedBy } : {}),
      ...(s.rejectionReason ? { rejectionReason: s.rejectionReason } : {}),
    };
  }
}
