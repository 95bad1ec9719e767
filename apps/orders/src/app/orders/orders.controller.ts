import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, DomainError, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { ORDER_STATUSES, shopperMayCancel } from '../../domain/order-status';
import { CheckoutSaga } from '../checkout/checkout.saga';
import type { OrderDoc } from '../persistence/order.schema';
import { OrderStore } from '../persistence/order.store';
import { OrderView } from './order.view';

const ListQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
  status: z.enum(ORDER_STATUSES).optional(),
});
const OrderId = z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/, 'not an order id');

/** Who may see an order: its buyer, an operator, or a merchant whose goods are on it. Others get 404 (no probing). */
export function assertMayRead(user: AuthUser, order: OrderDoc | null): asserts order is OrderDoc {
  const ok =
    order &&
    (order.buyerId === user.userId || user.roles.includes('operator') || (user.roles.includes('merchant') && order.lines.some((l) => user.merchantIds.includes(l.merchantId))));
  if (!ok) throw new DomainError('NOT_FOUND', '没有这个订单', 404);
}

/** "My orders": list and detail with status history, cancel before dispatch, and a payment refresh for the return page. */
@Controller('orders')
export class OrdersController {
  constructor(
    @Inject(OrderStore) private readonly store: OrderStore,
    @Inject(CheckoutSaga) private readonly saga: CheckoutSaga,
  ) {}

  @Get()
  @Roles('shopper', 'operator', 'merchant')
  async list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(ListQuery)) q: z.infer<typeof ListQuery>) {
    const filter: Record<string, unknown> = user.roles.includes('operator')
      ? {}
      : user.roles.includes('shopper')
        ? { buyerId: user.userId }
        : { 'lines.merchantId': { $in: user.merchantIds } };
    if (q.status) filter['status'] = q.status;
    const [items, total] = await Promise.all([
      this.store.orders.find(filter).sort({ createdAt: -1 }).skip((q.page - 1) * q.pageSize).limit(q.pageSize).lean<OrderDoc[]>().exec(),
      this.store.orders.countDocuments(filter),
    ]);
    return { items: items.map((o) => OrderView.of(o)), page: q.page, pageSize: q.pageSize, total };
  }

  @Get(':id')
  async detail(@CurrentUser() user: AuthUser, @Param('id', new ZodPipe(OrderId)) id: string) {
    const order = await this.store.get(id);
    assertMayRead(user, order);
    return OrderView.of(order);
  }

  /** The return page calls this: it applies the payment's current state without waiting for the webhook. */
  @Post(':id/refresh-payment')
  @HttpCode(200)
  async refresh(@CurrentUser() user: AuthUser, @Param('id', new ZodPipe(OrderId)) id: string) {
    const order = await this.store.get(id);
    if (!order || order.buyerId !== user.userId) throw new DomainError('NOT_FOUND', '没有这个订单', 404);
    await this.saga.reconcile(id);
    return OrderView.of((await this.store.get(id)) as OrderDoc);
  }

  /** The buyer cancels before dispatch: unpaid → nothing charged (authorisation cancelled); paid → full refund. */
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@CurrentUser() user: AuthUser, @Param('id', new ZodPipe(OrderId)) id: string) {
    const order = await this.store.get(id);
    if (!order) throw new DomainError('NOT_FOUND', '没有这个订单', 404);
    if (order.buyerId !== user.userId) {
      assertMayRead(user, order);
      throw new DomainError('FORBIDDEN', '只有下单人可以取消订单', 403);
    }
    if (!shopperMayCancel(order.status)) {
      throw new DomainError('CANNOT_CANCEL', order.status === 'shipping' || order.status === 'delivered' ? '订单已发货，不能取消，请在收货后申请退货' : '该订单已结束，不能取消', 409);
    }
    if (order.status === 'paid') await this.saga.refundPaid(id, 'cancelled', '您已取消订单，款项已全额退回');
    else await this.saga.stop(id, 'shopper');
    return OrderView.of((await this.store.get(id)) as OrderDoc);
  }
}
