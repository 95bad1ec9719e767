import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, Public, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { MAX_QUANTITY_PER_LINE } from '../../domain/cart';
import { CartService, guestCartId, userCartId } from './cart.service';

const AddLine = z.strictObject({
  productId: z.string().min(1).max(100),
  skuId: z.string().min(1).max(100),
  quantity: z.number().int().min(1).max(MAX_QUANTITY_PER_LINE),
});
const SetQuantity = z.strictObject({ quantity: z.number().int().min(1).max(MAX_QUANTITY_PER_LINE) });
const Merge = z.strictObject({ guestToken: z.string().regex(/^[0-9a-f]{32}$/) });
const GuestToken = z.string().regex(/^[0-9a-f]{32}$/, 'not a guest cart token');
const SkuId = z.string().min(1).max(100);

/** The signed-in shopper's cart. Prices and names come from the catalogue, never from the request. */
@Controller('cart')
@Roles('shopper')
export class CartController {
  constructor(@Inject(CartService) private readonly carts: CartService) {}

  @Get()
  view(@CurrentUser() user: AuthUser) {
    return this.carts.view(userCartId(user.userId));
  }

  @Post('lines')
  add(@CurrentUser() user: AuthUser, @Body(new ZodPipe(AddLine)) body: z.infer<typeof AddLine>) {
    return this.carts.add(userCartId(user.userId), body);
  }

  @Patch('lines/:skuId')
  set(@CurrentUser() user: AuthUser, @Param('skuId', new ZodPipe(SkuId)) skuId: string, @Body(new ZodPipe(SetQuantity)) body: z.infer<typeof SetQuantity>) {
    return this.carts.setQuantity(userCartId(user.userId), skuId, body.quantity);
  }

  @Delete('lines/:skuId')
  remove(@CurrentUser() user: AuthUser, @Param('skuId', new ZodPipe(SkuId)) skuId: string) {
    return this.carts.remove(userCartId(user.userId), skuId);
  }

  /** At sign-in: the guest cart (its token) joins this shopper's cart. */
  @Post('merge')
  @HttpCode(200)
  merge(@CurrentUser() user: AuthUser, @Body(new ZodPipe(Merge)) body: z.infer<typeof Merge>) {
    return this.carts.mergeGuest(userCartId(user.userId), body.guestToken);
  }
}

/** A guest's cart, addressed by an unguessable token the browser keeps; merged into the shopper's at sign-in. */
@Controller('guest-carts')
@Public()
export class GuestCartController {
  constructor(@Inject(CartService) private readonly carts: CartService) {}

  @Post()
  create() {
    return { guestToken: this.carts.newGuestToken() };
  }

  @Get(':token')
  view(@Param('token', new ZodPipe(GuestToken)) token: string) {
    return this.carts.view(guestCartId(token));
  }

  @Post(':token/lines')
  add(@Param('token', new ZodPipe(GuestToken)) token: string, @Body(new ZodPipe(AddLine)) body: z.infer<typeof AddLine>) {
    return this.carts.add(guestCartId(token), body);
  }

  @Patch(':token/lines/:skuId')
  set(@Param('token', new ZodPipe(GuestToken)) token: string, @Param('skuId', new ZodPipe(SkuId)) skuId: string, @Body(new ZodPipe(SetQuantity)) body: z.infer<typeof SetQuantity>) {
    return this.carts.setQuantity(guestCartId(token), skuId, body.quantity);
  }

  @Delete(':token/lines/:skuId')
  remove(@Param('token', new ZodPipe(GuestToken)) token: string, @Param('skuId', new ZodPipe(SkuId)) skuId: string) {
    return this.carts.remove(guestCartId(token), skuId);
  }
}
