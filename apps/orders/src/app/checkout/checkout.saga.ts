import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import {
  evaluatePurchasable,
  EVENT_TYPES,
  NOT_PURCHASABLE_REASON_ZH,
  SERVICE_CONFIG,
  StockRejectedV1,
  StockReservedV1,
  type CertificateSnapshot,
  type DeliveryRequestedV1,
  type OrderCancelledV1,
  type OrderPaidV1,
  type OrderRefundedV1,
  type ServiceConfig,
} from '@techan/common';
import { capturesLater, decidePayment, isExpiryRejected, isProviderUnavailable, sessionExpiresAt, stripeKeys, type PaymentAction, type ProviderState } from '../../domain/checkout';
import { CANCEL_REASONS_ZH, isUndeliveredAfterPayment, type CancelReason, type OrderStatus } from '../../domain/order-status';
import { CatalogueStore } from '../catalogue/catalogue.store';
import { AuthorityUnavailable, CertificationAuthority } from '../catalogue/certification-authority';
import type { OrderDoc, RefundRecord } from '../persistence/order.schema';
import { OrderLocks } from '../persistence/order-locks';
import { OrderStore, type PendingEvent } from '../persistence/order.store';
import { StripeGateway } from '../payments/stripe.gateway';

const OPEN = ['pending_stock', 'awaiting_payment', 'authorised'] as const;

/** Why an order's lines cannot be sold now, in Chinese, or null when all can. */
export interface Recheck {
  ok: boolean;
  reasonZh?: string;
  productId?: string;
}

/**
 * The checkout saga (DESIGN §3) for every channel: order placed → catalog reserves and re-checks →
 * Stripe Checkout Session (manual capture for cards) → authorised → re-check → capture → paid →
 * catalog commits, logistics delivers. Every state change is a compare-and-set on the order with its
 * events in the same transaction (outbox); every Stripe call carries an idempotency key derived from
 * the order, so any step may run twice. Payment steps are decided from Stripe's current state read
 * back (`reconcile`), never from the webhook that woke us, so duplicates and reordering are harmless.
 */
@Injectable()
export class CheckoutSaga {
  private readonly logger = new Logger(CheckoutSaga.name);

  constructor(
    @Inject(OrderStore) private readonly store: OrderStore,
    @Inject(CatalogueStore) private readonly catalogue: CatalogueStore,
    @Inject(CertificationAuthority) private readonly authority: CertificationAuthority,
    @Inject(StripeGateway) private readonly gateway: StripeGateway,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(OrderLocks) private readonly lock: OrderLocks,
  ) {}

  // ---- certification re-check ----

  async recheck(order: Pick<OrderDoc, 'lines'>, at = new Date()): Promise<Recheck> {
    const items = await this.catalogue.findMany(order.lines.map((l) => l.productId));
    for (const line of order.lines) {
      const item = items.get(line.productId);
      const certificates: CertificateSnapshot[] = item?.certificates ?? [];
      const verdict = evaluatePurchasable(certificates, at);
      if (!item || item.listed === false || !verdict.purchasable) {
        const why = !item ? '商品已不存在' : item.listed === false ? '商家已下架该产品' : NOT_PURCHASABLE_REASON_ZH[verdict.reason ?? 'no_certificate'];
        return { ok: false, productId: line.productId, reasonZh: `${line.nameZh}：${why}` };
      }
    }
    return { ok: true };
  }

  /**
   * The last look before money moves: the projection, then certification's own records (a block the
   * certifier was told about is there, even while its event is still on the way to the projection).
   * Throws AuthorityUnavailable when certification cannot answer: the caller waits and tries again.
   */
  async recheckAtSource(order: Pick<OrderDoc, 'lines'>, at = new Date()): Promise<Recheck> {
    const projected = await this.recheck(order, at);
    if (!projected.ok) return projected;
    const refused = await this.authority.refusals(order.lines.map((l) => l.productId), at);
    for (const line of order.lines) {
      const reason = refused.get(line.productId);
      if (reason) return { ok: false, productId: line.productId, reasonZh: `${line.nameZh}：${NOT_PURCHASABLE_REASON_ZH[reason]}` };
    }
    return { ok: true };
  }

  // ---- catalog's replies ----

  async onStockReserved(raw: unknown): Promise<void> {
    const data = StockReservedV1.parse(raw);
    await this.lock.run(data.orderId, async () => {
      const order = await this.store.get(data.orderId);
      if (!order || order.status !== 'pending_stock') return;
      const reservedUntil = new Date(data.reservedUntil);
      if (order.paymentMethod === 'invoice') return this.confirmOnAccount(order, reservedUntil);
      let session: Stripe.Checkout.Session;
      try {
        if (!capturesLater(order.paymentMethod)) {
          // Alipay / WeChat Pay capture at once: check at the source just before the shopper can pay.
          const check = await this.recheckAtSource(order);
          if (!check.ok) {
            await this.cancelOpen(order, 'blocked', check.reasonZh);
            return;
          }
        }
        session = await this.createSession(order, reservedUntil);
      } catch (error) {
        if (!isProviderUnavailable(error) && !(error instanceof AuthorityUnavailable)) throw error;
        // Stripe or certification is out: keep the reservation and let the sweeper create the payment
        // page once both answer (the shopper's page waits for it) instead of spending the bus's retries in seconds.
        this.logger.warn(`payment page for ${order._id} not created yet: ${(error as Error).message}`);
        await this.store.move(order._id, 'awaiting_payment', { set: { reservedUntil }, noteZh: '库存已锁定，支付页面生成中' });
        return;
      }
      const moved = await this.store.move(order._id, 'awaiting_payment', {
        set: { reservedUntil, 'payment.sessionId': session.id, 'payment.url': session.url ?? undefined },
        noteZh: '库存已锁定，待付款',
      });
      // Cancelled while we were creating the session: make sure nobody can pay it.
      if (!moved) await this.expireSession(session.id);
    });
  }

  /** Payment pages not created while Stripe was out (see onStockReserved), created now; the same idempotency key as the first try. */
  async createMissingSessions(limit = 50): Promise<number> {
    const waiting = await this.store.orders
      .find({ status: 'awaiting_payment', paymentMethod: { $ne: 'invoice' }, 'payment.sessionId': { $exists: false }, deadline: { $gt: new Date() } }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    let created = 0;
    for (const { _id } of waiting) {
      await this.lock.run(_id, async () => {
        const order = await this.store.get(_id);
        if (!order || order.status !== 'awaiting_payment' || order.payment.sessionId) return;
        if (!capturesLater(order.paymentMethod)) {
          const check = await this.recheckAtSource(order);
          if (!check.ok) return void (await this.cancelOpen(order, 'blocked', check.reasonZh));
        }
        const session = await this.createSession(order, order.reservedUntil ?? order.deadline);
        const updated = await this.store.patch(
          _id,
          { status: 'awaiting_payment', 'payment.sessionId': { $exists: false } },
          { $set: { 'payment.sessionId': session.id, 'payment.url': session.url ?? undefined }, $push: { history: { status: 'awaiting_payment', at: new Date(), noteZh: '支付页面已生成，待付款' } } },
        );
        if (!updated) await this.expireSession(session.id);
        else created++;
      });
    }
    return created;
  }

  async onStockRejected(raw: unknown): Promise<void> {
    const data = StockRejectedV1.parse(raw);
    const details = data.lines.filter((l) => l.reason).map((l) => (l.reason === 'insufficient_stock' ? `${l.skuId} 库存不足` : `${l.skuId} ${l.reason === 'unknown_sku' ? '商品不存在' : '暂不可售'}`));
    await this.store.move(data.orderId, 'cancelled', {
      set: { cancelReason: 'stock_rejected', cancelReasonZh: `${CANCEL_REASONS_ZH.stock_rejected}${details.length ? `（${details.join('；')}）` : ''}` },
      noteZh: CANCEL_REASONS_ZH.stock_rejected,
      cart: 'unlock',
    });
  }

  /** Contract orders paid by monthly invoice: after the reservation and a re-check, they are confirmed on account. */
  private async confirmOnAccount(order: OrderDoc, reservedUntil: Date): Promise<void> {
    const check = await this.recheck(order);
    if (!check.ok) return void (await this.cancelOpen(order, 'blocked', check.reasonZh));
    await this.store.move(order._id, 'paid', {
      set: { reservedUntil, 'payment.capturedFen': order.totalFen },
      noteZh: '已确认（月结）',
      events: (o) => this.paidEvents(o),
    });
  }

  /**
   * Creates the payment page. Every try for an order goes under one idempotency key, so every try must
   * send the same parameters: the expiry is chosen once and kept on the order before the first request
   * (a retry after Stripe created the page but our write failed used to send another `expires_at`, got
   * idempotency_error on every try and lost the checkout; found by the chaos harness, MongoDB killed).
   */
  private async createSession(order: OrderDoc, reservedUntil: Date): Promise<Stripe.Checkout.Session> {
    const deadline = new Date(Math.min(order.deadline.getTime(), reservedUntil.getTime()));
    const expiresAt = await this.fixSessionExpiry(order, () => sessionExpiresAt(new Date(), deadline));
    try {
      return await this.requestSession(order, expiresAt);
    } catch (error) {
      if (!isExpiryRejected(error)) throw error;
      // The first try never reached Stripe and the kept expiry is now too close: nothing was saved under
      // the key, so fix a new one and ask again.
      const renewed = await this.fixSessionExpiry(order, () => sessionExpiresAt(new Date(), deadline), expiresAt);
      return this.requestSession(order, renewed);
    }
  }

  /** The order's kept page expiry; chosen by `choose` and kept when there is none yet (or it is `replacing`). */
  private async fixSessionExpiry(order: OrderDoc, choose: () => Date, replacing?: Date): Promise<Date> {
    const kept = order.payment.sessionExpiresAt ? new Date(order.payment.sessionExpiresAt) : undefined;
    if (kept && (!replacing || kept.getTime() !== replacing.getTime())) return kept;
    const chosen = choose();
    const guard = replacing ? { 'payment.sessionExpiresAt': replacing } : { 'payment.sessionExpiresAt': { $exists: false } };
    const updated = await this.store.patch(order._id, guard, { $set: { 'payment.sessionExpiresAt': chosen } });
    if (updated) {
      order.payment.sessionExpiresAt = chosen;
      return chosen;
    }
    const current = (await this.store.get(order._id))?.payment.sessionExpiresAt;
    if (!current) throw new Error(`order ${order._id}: the payment page's expiry could not be kept`);
    order.payment.sessionExpiresAt = new Date(current);
    return new Date(current);
  }

  private requestSession(order: OrderDoc, expiresAt: Date): Promise<Stripe.Checkout.Session> {
    const base = (this.config['PUBLIC_BASE_URL'] as string).replace(/\/$/, '');
    const card = order.paymentMethod === 'card';
    return this.gateway.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        allowed_payment_method_types: [order.paymentMethod as 'card' | 'alipay' | 'wechat_pay'],
        ...(order.paymentMethod === 'wechat_pay' ? { payment_method_options: { wechat_pay: { client: 'web' } } } : {}),
        line_items: order.lines.map((l) => ({
          quantity: l.quantity,
          price_data: { currency: 'cny', unit_amount: l.unitPriceFen, product_data: { name: `${l.nameZh}（${l.specZh}）` } },
        })),
        payment_intent_data: { ...(card ? { capture_method: 'manual' as const } : {}), metadata: { orderId: order._id } },
        client_reference_id: order._id,
        metadata: { orderId: order._id },
        expires_at: Math.floor(expiresAt.getTime() / 1000),
        success_url: `${base}/orders/${order._id}/return?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${base}/orders/cart?order=${order._id}`,
        locale: 'zh',
      },
      { idempotencyKey: stripeKeys.session(order._id) },
    );
  }

  private async expireSession(sessionId: string): Promise<void> {
    try {
      await this.gateway.stripe.checkout.sessions.expire(sessionId);
    } catch (e) {
      // Already complete or expired: reconcile handles what was paid.
      this.logger.debug(`session ${sessionId} not expired: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // ---- payment ----

  /** Reads Stripe's current state for the order's payment. */
  private async providerState(order: OrderDoc): Promise<{ state: ProviderState; pi?: Stripe.PaymentIntent }> {
    let piId = order.payment.paymentIntentId;
    let sessionExpired = false;
    if (!piId && order.payment.sessionId) {
      const session = await this.gateway.stripe.checkout.sessions.retrieve(order.payment.sessionId);
      piId = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? undefined);
      sessionExpired = session.status === 'expired';
    }
    if (!piId) return { state: sessionExpired ? 'expired' : order.payment.sessionId ? 'open' : 'none' };
    const pi = await this.gateway.stripe.paymentIntents.retrieve(piId);
    const state: ProviderState =
      pi.status === 'requires_capture' ? 'authorised' : pi.status === 'succeeded' ? 'captured' : pi.status === 'canceled' ? 'cancelled' : sessionExpired ? 'expired' : 'open';
    return { state, pi };
  }

  /** Brings the order in line with its payment at Stripe. Safe to call any number of times, in any order. */
  async reconcile(orderId: string): Promise<void> {
    await this.lock.run(orderId, () => this.reconcileLocked(orderId));
  }

  private async reconcileLocked(orderId: string, depth = 0): Promise<void> {
    const order = await this.store.get(orderId);
    if (!order || order.paymentMethod === 'invoice' || (!order.payment.sessionId && !order.payment.paymentIntentId)) return;
    const { state, pi } = await this.providerState(order);
    if (pi && !order.payment.paymentIntentId) await this.store.patch(orderId, {}, { $set: { 'payment.paymentIntentId': pi.id } });
    const now = new Date();
    // Money taken at once (Alipay / WeChat Pay) on an open order is kept only if certification itself
    // still allows the sale; an authorisation is looked at again at the source just before its capture.
    const check =
      state === 'captured' && order.status === 'awaiting_payment' ? await this.recheckAtSource(order, now) : state === 'authorised' || state === 'captured' ? await this.recheck(order, now) : { ok: true };
    const reservedUntil = order.reservedUntil ?? order.deadline;
    const action = decidePayment({ status: order.status, provider: state, orderable: check.ok, reserved: now < reservedUntil && now < order.deadline });
    if (pi?.last_payment_error && state === 'open' && order.payment.lastErrorZh !== pi.last_payment_error.message) {
      await this.store.patch(orderId, { status: 'awaiting_payment' }, { $set: { 'payment.lastErrorZh': pi.last_payment_error.message ?? '付款失败' } });
    }
    try {
      await this.execute(order, action, pi, check);
    } catch (e) {
      // Stripe moved meanwhile (e.g. the intent was cancelled as we captured): read it again, once.
      if (depth === 0 && isStripeStateError(e)) return this.reconcileLocked(orderId, 1);
      throw e;
    }
  }

  private async execute(order: OrderDoc, action: PaymentAction, pi: Stripe.PaymentIntent | undefined, check: Recheck): Promise<void> {
    const stripe = this.gateway.stripe;
    switch (action.kind) {
      case 'nothing':
        return;
      case 'capture': {
        if (order.status === 'awaiting_payment') {
          await this.store.move(order._id, 'authorised', { set: { 'payment.paymentIntentId': pi?.id }, noteZh: '银行卡已授权，正在复核认证状态' });
        }
        // The last look before money moves, at the source: the projection lags the certifier's decisions.
        // Certification unreachable → AuthorityUnavailable: the order stays authorised and is tried again.
        const last = await this.recheckAtSource(order);
        if (!last.ok) return this.cancelAuthorisation(order, pi as Stripe.PaymentIntent, 'blocked', last.reasonZh);
        const captured = await stripe.paymentIntents.capture((pi as Stripe.PaymentIntent).id, {}, { idempotencyKey: stripeKeys.capture(order._id) });
        await this.markPaid(order._id, captured.amount_received);
        return;
      }
      case 'cancel_authorisation':
        return this.cancelAuthorisation(order, pi as Stripe.PaymentIntent, action.reason, check.ok ? undefined : check.reasonZh);
      case 'mark_paid':
        await this.markPaid(order._id, (pi as Stripe.PaymentIntent).amount_received);
        return;
      case 'refund_all': {
        const amount = (pi as Stripe.PaymentIntent).amount_received;
        const reasonZh = action.reason === 'blocked' ? `${CANCEL_REASONS_ZH.blocked}，已全额退款（${check.ok ? '' : check.reasonZh}）` : action.reason === 'timeout' ? `${CANCEL_REASONS_ZH.timeout}，款项已全额退回` : '订单已取消，款项已全额退回';
        const refund = await stripe.refunds.create(
          { payment_intent: (pi as Stripe.PaymentIntent).id, amount, reason: 'requested_by_customer', metadata: { orderId: order._id } },
          { idempotencyKey: stripeKeys.refund(order._id, 'all') },
        );
        const record: RefundRecord = { refundId: 'all', stripeRefundId: refund.id, amountFen: amount, reason: action.reason === 'blocked' ? 'blocked' : 'cancelled', at: new Date() };
        await this.store.move(order._id, 'refunded', {
          set: { 'payment.capturedFen': amount, 'payment.refundedFen': amount, ...(order.status === 'cancelled' ? {} : { cancelReason: action.reason, cancelReasonZh: reasonZh }) },
          push: { refunds: record },
          noteZh: reasonZh,
          cart: 'unlock',
          events: (o) => [
            ...(order.status === 'cancelled' ? [] : [this.cancelledEvent(o._id, action.reason)]),
            this.refundedEvent(o._id, record),
          ],
        });
        return;
      }
      case 'cancel_order':
        await this.store.move(order._id, 'cancelled', {
          set: { cancelReason: action.reason, cancelReasonZh: CANCEL_REASONS_ZH[action.reason] },
          noteZh: CANCEL_REASONS_ZH[action.reason],
          cart: 'unlock',
          events: (o) => [this.cancelledEvent(o._id, action.reason)],
        });
        return;
    }
  }

  private async cancelAuthorisation(order: OrderDoc, pi: Stripe.PaymentIntent, reason: CancelReason, detailZh?: string): Promise<void> {
    if (pi.status === 'requires_capture') {
      await this.gateway.stripe.paymentIntents.cancel(pi.id, { cancellation_reason: reason === 'blocked' ? 'fraudulent' : 'abandoned' }, { idempotencyKey: stripeKeys.cancel(order._id) });
    }
    const reasonZh = `${CANCEL_REASONS_ZH[reason]}${detailZh ? `（${detailZh}）` : ''}，授权已撤销，未扣款`;
    await this.store.move(order._id, 'cancelled', {
      set: { cancelReason: reason, cancelReasonZh: reasonZh },
      noteZh: reasonZh,
      cart: 'unlock',
      events: (o) => [this.cancelledEvent(o._id, reason)],
    });
  }

  private async markPaid(orderId: string, amountFen: number): Promise<void> {
    await this.store.move(orderId, 'paid', {
      set: { 'payment.capturedFen': amountFen, 'delivery.status': 'requested', 'delivery.requestId': `dr-${orderId}`, 'delivery.updatedAt': new Date() },
      noteZh: '已付款，等待配送',
      cart: 'clear',
      events: (o) => this.paidEvents(o),
    });
  }

  // ---- cancellation and blocks ----

  /** Cancels an order that took no money yet (or whose authorisation is cancelled here), releasing its stock. */
  private async cancelOpen(order: OrderDoc, reason: CancelReason, detailZh?: string): Promise<OrderDoc | null> {
    const reasonZh = `${CANCEL_REASONS_ZH[reason]}${detailZh ? `（${detailZh}）` : ''}`;
    const moved = await this.store.move(order._id, 'cancelled', {
      set: { cancelReason: reason, cancelReasonZh: reasonZh },
      noteZh: reasonZh,
      cart: 'unlock',
      events: (o) => [this.cancelledEvent(o._id, reason)],
    });
    if (moved?.payment.sessionId) await this.expireSession(moved.payment.sessionId);
    return moved;
  }

  /**
   * Stops an unpaid order: no new payment can start (session expired), an authorisation is cancelled,
   * money already taken (Alipay/WeChat Pay) goes back. Used for shopper cancellation, timeouts and blocks.
   */
  async stop(orderId: string, reason: 'shopper' | 'timeout' | 'blocked', detailZh?: string): Promise<void> {
    await this.lock.run(orderId, async () => {
      const order = await this.store.get(orderId);
      if (!order || !OPEN.includes(order.status as (typeof OPEN)[number])) return;
      if (order.status === 'pending_stock' || order.paymentMethod === 'invoice') return void (await this.cancelOpen(order, reason, detailZh));
      if (order.payment.sessionId) await this.expireSession(order.payment.sessionId);
      const { state, pi } = await this.providerState(order);
      if (state === 'authorised') return this.cancelAuthorisation(order, pi as Stripe.PaymentIntent, reason, detailZh);
      if (state === 'captured') {
        // Paid at the last moment: for a block or timeout give it back; a shopper's cancel of a paid order is a refund.
        const action: PaymentAction = { kind: 'refund_all', reason: reason === 'blocked' ? 'blocked' : reason === 'timeout' ? 'timeout' : 'cancelled' };
        return this.execute(order, action, pi, detailZh ? { ok: false, productId: '', reasonZh: detailZh } : { ok: true });
      }
      await this.cancelOpen(order, reason, detailZh);
    });
  }

  /**
   * Runs `work` alone among every process's steps on the order (payment steps, refunds; OrderLocks):
   * two refunds of one order computed side by side would each see the other's money as still there.
   */
  exclusive<T>(orderId: string, work: () => Promise<T>): Promise<T> {
    return this.lock.run(orderId, work);
  }

  /**
   * Refunds what is left of a paid, undelivered order (the shopper's cancel before dispatch, or a recall):
   * stock and delivery released. The Stripe key names the amount, so a retry of the same refund is the
   * same request, and one made after another refund of the order (e.g. of a rejected line) asks only
   * for what that left; Stripe refuses more than the unrefunded rest in any case.
   */
  async refundPaid(orderId: string, reason: 'cancelled' | 'recall', noteZh: string): Promise<OrderDoc | null> {
    return this.lock.run(orderId, async () => {
      const order = await this.store.get(orderId);
      if (!order || !isUndeliveredAfterPayment(order.status)) return null;
      const amount = order.payment.capturedFen - order.payment.refundedFen;
      let stripeRefundId: string | undefined;
      if (amount > 0 && order.paymentMethod !== 'invoice') {
        const pi = order.payment.paymentIntentId as string;
        const refund = await this.gateway.stripe.refunds.create({ payment_intent: pi, amount, reason: 'requested_by_customer', metadata: { orderId } }, { idempotencyKey: stripeKeys.refund(orderId, `${reason}:${amount}`) });
        stripeRefundId = refund.id;
      }
      const record: RefundRecord = { refundId: reason, ...(stripeRefundId ? { stripeRefundId } : {}), amountFen: amount, reason, at: new Date() };
      return this.store.move(orderId, 'refunded', {
        set: { 'payment.refundedFen': order.payment.capturedFen, cancelReason: reason, cancelReasonZh: noteZh, 'delivery.status': order.delivery.status === 'dispatched' ? 'held' : order.delivery.status },
        push: amount > 0 ? { refunds: record } : {},
        noteZh,
        events: (o) => [this.cancelledEvent(o._id, reason === 'recall' ? 'recall' : 'shopper'), ...(amount > 0 ? [this.refundedEvent(o._id, record)] : [])],
      });
    });
  }

  /**
   * A product's certification changed. Blocked now → every open order with it stops (authorisations
   * cancelled, no money moves); a red warning → paid orders not yet delivered are recalled and refunded.
   */
  async onProductStatus(productId: string, certificates: CertificateSnapshot[]): Promise<number> {
    const verdict = evaluatePurchasable(certificates, new Date());
    if (verdict.purchasable) return 0;
    const reasonZh = NOT_PURCHASABLE_REASON_ZH[verdict.reason ?? 'no_certificate'];
    const statuses: OrderStatus[] = verdict.reason === 'red_warning' ? [...OPEN, 'paid', 'shipping', 'held'] : [...OPEN];
    const affected = await this.store.orders.find({ 'lines.productId': productId, status: { $in: statuses } }, { _id: 1, status: 1, lines: 1 }).lean<Pick<OrderDoc, '_id' | 'status' | 'lines'>[]>().exec();
    await Promise.all(
      affected.map(async (o) => {
        const name = o.lines.find((l) => l.productId === productId)?.nameZh ?? productId;
        if (isUndeliveredAfterPayment(o.status)) {
          await this.refundPaid(o._id, 'recall', `召回：${name}${reasonZh}，订单已暂扣并全额退款`);
        } else {
          await this.stop(o._id, 'blocked', `${name}：${reasonZh}`);
        }
      }),
    );
    if (affected.length) this.logger.log(`product ${productId} blocked (${verdict.reason}): ${affected.length} orders stopped or recalled`);
    return affected.length;
  }

  /**
   * Authorised cards not captured for a while (certification or Stripe did not answer at the time, or
   * the process died between the authorisation and the capture): decided again from Stripe's state.
   */
  async captureStalled(olderThanMs = 10_000, limit = 50): Promise<number> {
    const stalled = await this.store.orders
      .find({ status: 'authorised', updatedAt: { $lte: new Date(Date.now() - olderThanMs) } }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    for (const { _id } of stalled) await this.reconcile(_id);
    return stalled.length;
  }

  /** Orders past their deadline (payment window or reservation) are stopped. */
  async sweepTimeouts(limit = 200): Promise<number> {
    const now = new Date();
    const due = await this.store.orders
      .find({ status: { $in: [...OPEN] }, $or: [{ deadline: { $lte: now } }, { reservedUntil: { $lte: now } }] }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    for (const o of due) await this.stop(o._id, 'timeout');
    return due.length;
  }

  // ---- events ----

  private cancelledEvent(orderId: string, reason: string): PendingEvent {
    const data: OrderCancelledV1 = { orderId, reason, cancelledAt: new Date().toISOString() };
    return { type: EVENT_TYPES.OrderCancelled, subject: orderId, data };
  }

  refundedEvent(orderId: string, r: RefundRecord): PendingEvent {
    const data: OrderRefundedV1 = {
      orderId,
      refundId: r.stripeRefundId ?? `${orderId}:${r.refundId}`,
      amountFen: r.amountFen,
      reason: r.reason,
      ...(r.lines?.length ? { lines: r.lines } : {}),
      refundedAt: r.at.toISOString(),
    };
    return { type: EVENT_TYPES.OrderRefunded, subject: orderId, data };
  }

  private paidEvents(o: OrderDoc): PendingEvent[] {
    const paid: OrderPaidV1 = {
      orderId: o._id,
      buyerId: o.buyerId,
      channel: o.channel,
      lines: o.lines.map((l) => ({ productId: l.productId, skuId: l.skuId, quantity: l.quantity, unitPriceFen: l.unitPriceFen })),
      totalFen: o.totalFen,
      paidAt: new Date().toISOString(),
    };
    const delivery: DeliveryRequestedV1 = {
      requestId: `dr-${o._id}`,
      orderId: o._id,
      channel: o.channel,
      buyerId: o.buyerId,
      ...(o.buyerOrgId ? { buyerOrgId: o.buyerOrgId } : {}),
      ...(o.siteId ? { siteId: o.siteId } : {}),
      address: o.address,
      window: { from: new Date(o.window.from).toISOString(), until: new Date(o.window.until).toISOString() },
      lines: o.lines.map((l) => ({
        lineId: `${o._id}:${l.skuId}`,
        productId: l.productId,
        skuId: l.skuId,
        nameZh: l.nameZh,
        quantity: l.quantity,
        temperatureClass: l.temperatureClass,
        weightGrams: l.weightGrams,
      })),
      requestedAt: new Date().toISOString(),
    };
    return [
      { type: EVENT_TYPES.OrderPaid, subject: o._id, data: paid },
      { type: EVENT_TYPES.DeliveryRequested, subject: delivery.requestId, data: delivery },
    ];
  }
}

function isStripeStateError(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'payment_intent_unexpected_state' || code === 'charge_already_refunded';
}
