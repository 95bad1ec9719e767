import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DomainError, EVENT_TYPES, NOT_PURCHASABLE_REASON_ZH, SERVICE_CONFIG, type DeliveryAddress, type NotPurchasableReason, type OrderChannel, type OrderPlacedV1, type ServiceConfig } from '@techan/common';
import type { PaymentMethod } from '../../domain/checkout';
import { CatalogueStore } from '../catalogue/catalogue.store';
import { AuthorityUnavailable, CertificationAuthority } from '../catalogue/certification-authority';
import { CART, type CartDoc } from '../persistence/cart.schema';
import type { OrderDoc, OrderLineDoc } from '../persistence/order.schema';
import { OrderStore } from '../persistence/order.store';
import { userCartId } from '../cart/cart.service';

/** An order from any channel: the retail cart, a contract call-off or a hot-meal order (see apps/orders/README.md). */
export interface PlaceOrderCommand {
  /** Give a stable id (e.g. the call-off id) to make placing idempotent; omitted → a new id. */
  orderId?: string;
  buyerId: string;
  channel: OrderChannel;
  lines: { productId: string; skuId: string; quantity: number }[];
  paymentMethod: PaymentMethod;
  address: DeliveryAddress;
  window: { from: Date; until: Date };
  /** Certification is checked at this moment (a contract's delivery date); default now. */
  checkAt?: Date;
  buyerOrgId?: string;
  siteId?: string;
  sourceRef?: string;
  cartId?: string;
}

export interface NotOrderableLine {
  productId: string;
  skuId: string;
  reason: string;
  reasonZh: string;
}

export function newOrderId(): string {
  const t = Date.now().toString(36);
  return `o-${t}-${randomBytes(5).toString('hex')}`;
}

/**
 * Starts the checkout saga: checks every line against the catalogue (certified-only, prices from the
 * projection), stores the order as pending and records order-placed in the same transaction (outbox).
 * Catalog's reply (stock-reserved / stock-rejected) continues it in CheckoutSaga.
 */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger(CheckoutService.name);

  constructor(
    @Inject(OrderStore) private readonly store: OrderStore,
    @Inject(CatalogueStore) private readonly catalogue: CatalogueStore,
    @Inject(CertificationAuthority) private readonly authority: CertificationAuthority,
    @InjectModel(CART) private readonly carts: Model<CartDoc>,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async placeOrder(cmd: PlaceOrderCommand): Promise<OrderDoc> {
    if (!cmd.lines.length) throw new DomainError('EMPTY_ORDER', '订单没有商品', 400);
    if (cmd.orderId) {
      const existing = await this.store.get(cmd.orderId);
      if (existing) return this.sameOrder(existing, cmd);
    }
    const at = cmd.checkAt ?? new Date();
    const lines: OrderLineDoc[] = [];
    const refused: NotOrderableLine[] = [];
    const seen = new Set<string>();
    for (const l of cmd.lines) {
      if (seen.has(l.skuId)) throw new DomainError('DUPLICATE_LINE', `同一规格 ${l.skuId} 出现了两次`, 400);
      seen.add(l.skuId);
      const v = await this.catalogue.verdict(l.productId, l.skuId, at);
      if (!v.orderable || !v.sku || !v.item) {
        refused.push({ productId: l.productId, skuId: l.skuId, reason: v.reason ?? 'not_orderable', reasonZh: v.reasonZh ?? '暂不可售' });
        continue;
      }
      const net = v.sku.netContent;
      lines.push({
        productId: l.productId,
        skuId: l.skuId,
        merchantId: v.item.merchantId,
        nameZh: v.item.nameZh,
        specZh: v.sku.specZh,
        unit: v.sku.unit,
        quantity: l.quantity,
        unitPriceFen: v.sku.priceFen,
        temperatureClass: v.item.temperatureClass ?? 'ambient',
        // Millilitres of food count as grams for capacity planning; pieces have no known weight.
        weightGrams: net && net.unit !== 'piece' ? Math.round(net.value * l.quantity) : 0,
        ...(v.item.imageUrl ? { imageUrl: v.item.imageUrl } : {}),
      });
    }
    if (!refused.length) refused.push(...(await this.refusedAtSource(lines, at)));
    if (refused.length) {
      throw new DomainError('NOT_ORDERABLE', `以下商品暂不可购买：${refused.map((r) => `${r.skuId}（${r.reasonZh}）`).join('；')}`, 409);
    }
    const now = new Date();
    const orderId = cmd.orderId ?? newOrderId();
    const deadline = new Date(now.getTime() + Number(this.config['CHECKOUT_TIMEOUT_MS']));
    const order: OrderDoc = {
      _id: orderId,
      buyerId: cmd.buyerId,
      channel: cmd.channel,
      ...(cmd.sourceRef ? { sourceRef: cmd.sourceRef } : {}),
      ...(cmd.buyerOrgId ? { buyerOrgId: cmd.buyerOrgId } : {}),
      ...(cmd.siteId ? { siteId: cmd.siteId } : {}),
      status: 'pending_stock',
      lines,
      totalFen: lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0),
      paymentMethod: cmd.paymentMethod,
      address: cmd.address,
      window: cmd.window,
      ...(cmd.cartId ? { cartId: cmd.cartId } : {}),
      deadline,
      payment: { capturedFen: 0, refundedFen: 0 },
      refunds: [],
      compensationFen: 0,
      delivery: { status: 'none' },
      history: [{ status: 'pending_stock', at: now, noteZh: '订单已提交，正在确认库存' }],
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    const placed: OrderPlacedV1 = {
      orderId,
      buyerId: cmd.buyerId,
      channel: cmd.channel,
      lines: lines.map((l) => ({ productId: l.productId, skuId: l.skuId, quantity: l.quantity, unitPriceFen: l.unitPriceFen })),
      reserveUntil: deadline.toISOString(),
      placedAt: now.toISOString(),
    };
    try {
      await this.store.transaction(async (session) => {
        if (cmd.cartId) {
          // One checkout per cart at a time: the lock is part of the same transaction as the order.
          const locked = await this.carts.updateOne({ _id: cmd.cartId, checkoutOrderId: null }, { $set: { checkoutOrderId: orderId, updatedAt: now } }, { session });
          if (locked.modifiedCount !== 1) throw new DomainError('CART_IN_CHECKOUT', '购物车正在结算', 409);
        }
        await this.store.create(order, [{ type: EVENT_TYPES.OrderPlaced, subject: orderId, data: placed }], session);
      });
    } catch (e) {
      if ((e as { code?: number }).code === 11000 && cmd.orderId) {
        const existing = await this.store.get(cmd.orderId);
        if (existing) return this.sameOrder(existing, cmd);
      }
      throw e;
    }
    return order;
  }

  /**
   * Lines certification itself refuses now, though the projection still shows them certified (its
   * event is on the way): refusing here spares the shopper a payment page that could never be captured.
   * Certification out → none: placing moves no money, and the capture asks again and waits for an answer.
   */
  private async refusedAtSource(lines: OrderLineDoc[], at: Date): Promise<NotOrderableLine[]> {
    let refused: Map<string, NotPurchasableReason>;
    try {
      refused = await this.authority.refusals(lines.map((l) => l.productId), at);
    } catch (e) {
      if (!(e instanceof AuthorityUnavailable)) throw e;
      this.logger.warn(`order placed on the projection's word: ${e.message}`);
      return [];
    }
    return lines.flatMap((l) => {
      const reason = refused.get(l.productId);
      return reason ? [{ productId: l.productId, skuId: l.skuId, reason, reasonZh: NOT_PURCHASABLE_REASON_ZH[reason] }] : [];
    });
  }

  /** A repeated placement with the same id is the same order, as long as it is the same buyer. */
  private sameOrder(existing: OrderDoc, cmd: PlaceOrderCommand): OrderDoc {
    if (existing.buyerId !== cmd.buyerId) throw new DomainError('ORDER_ID_TAKEN', 'order id already used', 409);
    return existing;
  }

  /**
   * The shopper's checkout of their cart. A second checkout while one is in progress returns that same
   * order (nothing is charged twice); a cart with a line that cannot be ordered is refused with the reasons.
   */
  async checkoutCart(userId: string, input: { paymentMethod: PaymentMethod; address: DeliveryAddress; window?: { from: Date; until: Date } }): Promise<{ order: OrderDoc; created: boolean }> {
    const cartId = userCartId(userId);
    for (let attempt = 0; attempt < 3; attempt++) {
      const cart = await this.carts.findById(cartId).lean<CartDoc>().exec();
      if (cart?.checkoutOrderId) {
        const live = await this.store.get(cart.checkoutOrderId);
        if (live && !['cancelled', 'refunded'].includes(live.status)) return { order: live, created: false };
        // The order ended (its cart unlock may have been missed): release the lock and go on.
        await this.carts.updateOne({ _id: cartId, checkoutOrderId: cart.checkoutOrderId }, { $set: { checkoutOrderId: null } });
        continue;
      }
      if (!cart?.lines.length) throw new DomainError('EMPTY_CART', '购物车是空的', 400);
      try {
        const order = await this.placeOrder({
          buyerId: userId,
          channel: 'retail',
          lines: cart.lines,
          paymentMethod: input.paymentMethod,
          address: input.address,
          window: input.window ?? nextDayWindow(new Date()),
          cartId,
        });
        return { order, created: true };
      } catch (e) {
        if (e instanceof DomainError && e.code === 'CART_IN_CHECKOUT') continue; // a concurrent checkout won: return its order
        throw e;
      }
    }
    throw new DomainError('CART_BUSY', '购物车正在结算，请稍后重试', 409);
  }

}

/** Default delivery window: tomorrow 09:00–18:00 China time. */
export function nextDayWindow(now: Date): { from: Date; until: Date } {
  const chinaMidnight = new Date(Math.floor((now.getTime() + 8 * 3600_000) / 86_400_000) * 86_400_000 - 8 * 3600_000);
  const from = new Date(chinaMidnight.getTime() + 86_400_000 + 9 * 3600_000);
  return { from, until: new Date(from.getTime() + 9 * 3600_000) };
}
