import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentUser, DeliveryAddress, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { SHOPPER_PAYMENT_METHODS } from '../../domain/checkout';
import { OrderView } from '../orders/order.view';
import { CheckoutService } from './checkout.service';

const Checkout = z
  .strictObject({
    paymentMethod: z.enum(SHOPPER_PAYMENT_METHODS),
    address: DeliveryAddress.strict(),
    window: z.strictObject({ from: z.iso.datetime(), until: z.iso.datetime() }).optional(),
  })
  .refine((b) => !b.window || new Date(b.window.from) < new Date(b.window.until), { message: 'window.from must be before window.until', path: ['window'] });

/**
 * POST /checkout: the shopper's cart becomes an order (202, pending). The order then gets its payment
 * page (`payment.url`) once catalog reserved the stock — poll GET /orders/:id. Prices and totals come
 * from the catalogue; a price sent by the client is refused as an unknown field.
 */
@Controller('checkout')
@Roles('shopper')
export class CheckoutController {
  constructor(@Inject(CheckoutService) private readonly checkout: CheckoutService) {}

  @Post()
  async start(@CurrentUser() user: AuthUser, @Body(new ZodPipe(Checkout)) body: z.infer<typeof Checkout>, @Res({ passthrough: true }) res: Response) {
    const { order, created } = await this.checkout.checkoutCart(user.userId, {
      paymentMethod: body.paymentMethod,
      address: body.address,
      ...(body.window ? { window: { from: new Date(body.window.from), until: new Date(body.window.until) } } : {}),
    });
    res.status(created ? 202 : 200);
    return OrderView.of(order);
  }
}
