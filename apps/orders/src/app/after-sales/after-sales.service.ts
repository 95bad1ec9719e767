import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DomainError, EVENT_TYPES, Outbox, type AuthUser, type ComplaintConfirmedV1 } from '@techan/common';
import { CaseError, complaintSeverity, decide, returnWindowOpen, type CaseKind, type ComplaintKind, type Decider } from '../../domain/after-sales';
import { fakeCompensation, RefundError, valueOfLines } from '../../domain/refunds';
import { AFTER_SALES_CASE, type AfterSalesCaseDoc } from '../persistence/after-sales.schema';
import type { OrderDoc } from '../persistence/order.schema';
import { OrderStore } from '../persistence/order.store';
import { RefundService } from '../orders/refund.service';

export interface OpenCase {
  orderId: string;
  kind: CaseKind;
  reason: string;
  descriptionZh: string;
  lines: { skuId: string; quantity: number }[];
  photos: AfterSalesCaseDoc['photos'];
  complaintKind?: ComplaintKind;
  requestedFen?: number;
}

const PAID_STATUSES = ['paid', 'shipping', 'delivered', 'held', 'refunded'];

/**
 * After-sales cases: the shopper opens one on a paid order; the merchant (returns, exchanges) or the
 * operator (anything, and alone for complaints and 假一赔廿 claims) decides. Approval pays out through
 * Stripe Refunds (once per case: the case id is the refund reference) and a confirmed complaint or
 * fake is published as complaint-confirmed for certification.
 */
@Injectable()
export class AfterSalesService {
  constructor(
    @InjectModel(AFTER_SALES_CASE) private readonly cases: Model<AfterSalesCaseDoc>,
    @Inject(OrderStore) private readonly orders: OrderStore,
    @Inject(RefundService) private readonly refunds: RefundService,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async open(user: AuthUser, input: OpenCase): Promise<AfterSalesCaseDoc> {
    const order = await this.orders.get(input.orderId);
    if (!order || order.buyerId !== user.userId) throw new DomainError('NOT_FOUND', '没有这个订单', 404);
    if (!PAID_STATUSES.includes(order.status)) throw new DomainError('NOT_PAID', '订单未付款，无需售后', 409);
    const products = new Set<string>();
    for (const l of input.lines) {
      const line = order.lines.find((o) => o.skuId === l.skuId);
      if (!line) throw new DomainError('LINE_NOT_IN_ORDER', `订单中没有 ${l.skuId}`, 400);
      if (l.quantity > line.quantity) throw new DomainError('QUANTITY_TOO_LARGE', `${line.nameZh} 最多 ${line.quantity} 件`, 400);
      products.add(line.productId);
    }
    if (products.size !== 1) throw new DomainError('ONE_PRODUCT', '一次申请只针对一个商品', 400);
    const productId = [...products][0];
    const line = order.lines.find((o) => o.productId === productId) as OrderDoc['lines'][number];
    if ((input.kind === 'return' || input.kind === 'exchange') && !returnWindowOpen(order.delivery.deliveredAt, new Date(), input.reason as never)) {
      throw new DomainError('RETURN_WINDOW', order.delivery.deliveredAt ? '已超过退换货期限' : '订单送达后才能申请退换货', 409);
    }
    if (input.kind === 'complaint' && !input.complaintKind) throw new DomainError('COMPLAINT_KIND', '请选择投诉类型', 400);
    if (input.requestedFen !== undefined) {
      const max = valueOfLines(order.lines, input.lines);
      if (input.requestedFen > max) throw new DomainError('AMOUNT_TOO_LARGE', `最多可申请退款 ¥${(max / 100).toFixed(2)}`, 400);
    }
    const now = new Date();
    const doc: AfterSalesCaseDoc = {
      _id: `as-${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`,
      orderId: order._id,
      buyerId: user.userId,
      merchantId: line.merchantId,
      productId,
      kind: input.kind,
      status: 'submitted',
      reason: input.reason,
      descriptionZh: input.descriptionZh,
      lines: input.lines,
      photos: input.photos,
      ...(input.complaintKind ? { complaintKind: input.complaintKind } : input.kind === 'fake_claim' ? { complaintKind: 'fake' as const } : {}),
      ...(input.requestedFen !== undefined ? { requestedFen: input.requestedFen } : {}),
      createdAt: now,
      updatedAt: now,
    };
    await this.cases.create(doc);
    return doc;
  }

  async get(user: AuthUser, id: string): Promise<AfterSalesCaseDoc> {
    const doc = await this.cases.findById(id).lean<AfterSalesCaseDoc>().exec();
    if (!doc || !this.mayRead(user, doc)) throw new DomainError('NOT_FOUND', '没有这个售后申请', 404);
    return doc;
  }

  mayRead(user: AuthUser, doc: AfterSalesCaseDoc): boolean {
    return doc.buyerId === user.userId || user.roles.includes('operator') || (user.roles.includes('merchant') && user.merchantIds.includes(doc.merchantId));
  }

  async list(user: AuthUser, page: number, pageSize: number, status?: string) {
    const filter: Record<string, unknown> = user.roles.includes('operator') ? {} : user.roles.includes('merchant') ? { merchantId: { $in: user.merchantIds } } : { buyerId: user.userId };
    if (status) filter['status'] = status;
    const [items, total] = await Promise.all([
      this.cases.find(filter).sort({ createdAt: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<AfterSalesCaseDoc[]>().exec(),
      this.cases.countDocuments(filter),
    ]);
    return { items, total, page, pageSize };
  }

  async decide(user: AuthUser, id: string, input: { approve: boolean; noteZh: string; refundFen?: number }): Promise<AfterSalesCaseDoc> {
    const c = await this.get(user, id);
    const role: Decider | null = user.roles.includes('operator') ? 'operator' : user.roles.includes('merchant') && user.merchantIds.includes(c.merchantId) ? 'merchant' : null;
    if (!role) throw new DomainError('FORBIDDEN', '只有商家或品牌运营机构可以处理售后', 403);
    let next;
    try {
      next = decide(c.kind, c.status, role, input.approve);
    } catch (e) {
      if (e instanceof CaseError) throw new DomainError(e.code.toUpperCase(), e.message, e.code === 'not_allowed' ? 403 : 409);
      throw e;
    }
    let refundFen: number | undefined;
    let compensationFen: number | undefined;
    if (input.approve && (c.kind === 'return' || c.kind === 'fake_claim')) {
      const order = (await this.orders.get(c.orderId)) as OrderDoc;
      const returned = new Map<string, number>();
      for (const r of order.refunds) for (const l of r.lines ?? []) returned.set(l.skuId, (returned.get(l.skuId) ?? 0) + l.quantity);
      try {
        if (c.kind === 'return') {
          const value = valueOfLines(order.lines, c.lines, returned);
          refundFen = Math.min(input.refundFen ?? c.requestedFen ?? value, value);
        } else {
          const line = order.lines.find((l) => l.skuId === c.lines[0].skuId) as OrderDoc['lines'][number];
          ({ refundFen, compensationFen } = fakeCompensation(line.unitPriceFen, c.lines.reduce((s, l) => s + l.quantity, 0)));
          refundFen = Math.min(refundFen, order.payment.capturedFen - order.payment.refundedFen);
        }
      } catch (e) {
        if (e instanceof RefundError) throw new DomainError(e.code.toUpperCase(), e.message, 409);
        throw e;
      }
      // Money first, under the case id: a retried decision refunds nothing twice.
      if (refundFen > 0 || compensationFen) {
        await this.refunds.refund(c.orderId, {
          refundRef: c._id,
          amountFen: refundFen,
          reason: c.kind === 'return' ? 'return' : 'fake_compensation',
          lines: c.lines,
          noteZh: c.kind === 'return' ? `退货退款 ¥${(refundFen / 100).toFixed(2)}` : `假一赔廿：退还货款 ¥${(refundFen / 100).toFixed(2)}，另赔偿 ¥${((compensationFen ?? 0) / 100).toFixed(2)}（补偿金）`,
          ...(compensationFen ? { compensationFen } : {}),
        });
      }
    }
    const now = new Date();
    const decision = { by: user.userId, role, approve: input.approve, noteZh: input.noteZh, at: now, ...(refundFen !== undefined ? { refundFen } : {}), ...(compensationFen !== undefined ? { compensationFen } : {}) };
    const confirmsComplaint = input.approve && (c.kind === 'complaint' || c.kind === 'fake_claim') && c.complaintKind !== undefined;
    return this.outbox.transaction(async (session) => {
      const updated = await this.cases
        .findOneAndUpdate({ _id: id, status: 'submitted' }, { $set: { status: next, decision, updatedAt: now } }, { session, returnDocument: 'after' })
        .lean<AfterSalesCaseDoc>()
        .exec();
      if (!updated) throw new DomainError('ALREADY_DECIDED', '该申请已处理', 409);
      if (confirmsComplaint && c.complaintKind !== 'service') {
        const data: ComplaintConfirmedV1 = {
          complaintId: c._id,
          productId: c.productId,
          merchantId: c.merchantId,
          orderId: c.orderId,
          kind: c.complaintKind as ComplaintKind,
          severity: complaintSeverity(c.complaintKind as ComplaintKind),
          summary: `${c.descriptionZh}（裁定：${input.noteZh}）`.slice(0, 2000),
          confirmedAt: now.toISOString(),
        };
        await this.outbox.record(session, EVENT_TYPES.ComplaintConfirmed, c.productId, data);
      }
      return updated;
    });
  }
}
