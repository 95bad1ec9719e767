import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DomainError } from '@techan/common';
import { addLine, CartError, mergeCarts, removeLine, setQuantity, type CartLine } from '../../domain/cart';
import { CatalogueStore } from '../catalogue/catalogue.store';
import { CART, type CartDoc } from '../persistence/cart.schema';

export interface CartLineView extends CartLine {
  nameZh: string;
  specZh?: string;
  unit?: string;
  imageUrl?: string;
  merchantName?: string;
  /** From the catalogue, now (never from the client). */
  unitPriceFen?: number;
  lineTotalFen?: number;
  orderable: boolean;
  reasonZh?: string;
}

export interface CartView {
  cartId: string;
  lines: CartLineView[];
  /** Total of the lines that can be ordered now (fen). */
  totalFen: number;
  /** True when every line can be ordered and no checkout of this cart is in progress. */
  checkoutAllowed: boolean;
  checkoutOrderId: string | null;
  version: number;
}

export const userCartId = (userId: string) => `u:${userId}`;
export const guestCartId = (token: string) => `g:${token}`;

/**
 * Carts: per signed-in shopper (`u:<userId>`) or per guest token (`g:<token>`), merged at sign-in.
 * Every write is a compare-and-set on the cart's version; every view re-evaluates each line against
 * the catalogue projection (certified-only, listed, known SKU) at that moment.
 */
@Injectable()
export class CartService {
  constructor(
    @InjectModel(CART) private readonly carts: Model<CartDoc>,
    @Inject(CatalogueStore) private readonly catalogue: CatalogueStore,
  ) {}

  newGuestToken(): string {
    return randomBytes(16).toString('hex');
  }

  async view(cartId: string, at = new Date()): Promise<CartView> {
    const cart = await this.carts.findById(cartId).lean<CartDoc>().exec();
    const lines = cart?.lines ?? [];
    const items = await this.catalogue.findMany(lines.map((l) => l.productId));
    const views: CartLineView[] = [];
    for (const l of lines) {
      const verdict = await this.catalogue.verdict(l.productId, l.skuId, at).catch(() => null);
      const item = items.get(l.productId);
      const sku = verdict?.sku;
      views.push({
        ...l,
        nameZh: item?.nameZh ?? l.productId,
        ...(sku ? { specZh: sku.specZh, unit: sku.unit, unitPriceFen: sku.priceFen, lineTotalFen: sku.priceFen * l.quantity } : {}),
        ...(item?.imageUrl ? { imageUrl: item.imageUrl } : {}),
        ...(item?.merchantName ? { merchantName: item.merchantName } : {}),
        orderable: verdict?.orderable ?? false,
        ...(verdict?.orderable ? {} : { reasonZh: verdict?.reasonZh ?? '暂不可售' }),
      });
    }
    const totalFen = views.filter((v) => v.orderable).reduce((s, v) => s + (v.lineTotalFen ?? 0), 0);
    const checkoutOrderId = cart?.checkoutOrderId ?? null;
    return { cartId, lines: views, totalFen, checkoutAllowed: views.length > 0 && views.every((v) => v.orderable) && !checkoutOrderId, checkoutOrderId, version: cart?.version ?? 0 };
  }

  async add(cartId: string, line: CartLine): Promise<CartView> {
    const verdict = await this.catalogue.verdict(line.productId, line.skuId, new Date());
    if (!verdict.orderable) {
      const status = verdict.reason === 'unknown_product' || verdict.reason === 'unknown_sku' ? 404 : 409;
      throw new DomainError('NOT_ORDERABLE', verdict.reasonZh ?? '暂不可售', status);
    }
    await this.change(cartId, (lines) => addLine(lines, line));
    return this.view(cartId);
  }

  async setQuantity(cartId: string, skuId: string, quantity: number): Promise<CartView> {
    await this.change(cartId, (lines) => setQuantity(lines, skuId, quantity));
    return this.view(cartId);
  }

  async remove(cartId: string, skuId: string): Promise<CartView> {
    await this.change(cartId, (lines) => removeLine(lines, skuId));
    return this.view(cartId);
  }

  /** At sign-in: the guest's lines join the shopper's cart and the guest cart is removed. */
  async mergeGuest(userCart: string, guestToken: string): Promise<CartView> {
    const guest = await this.carts.findById(guestCartId(guestToken)).lean<CartDoc>().exec();
    if (guest?.lines.length) await this.change(userCart, (lines) => mergeCarts(lines, guest.lines));
    await this.carts.deleteOne({ _id: guestCartId(guestToken) });
    return this.view(userCart);
  }

  private async change(cartId: string, apply: (lines: CartLine[]) => CartLine[]): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const cart = await this.carts.findById(cartId).lean<CartDoc>().exec();
      if (cart?.checkoutOrderId) throw new DomainError('CART_IN_CHECKOUT', '购物车正在结算，请先完成付款或取消该订单', 409);
      let lines: CartLine[];
      try {
        lines = apply(cart?.lines ?? []);
      } catch (e) {
        if (e instanceof CartError) throw new DomainError(e.code.toUpperCase(), e.messageZh, e.code === 'not_in_cart' ? 404 : 400);
        throw e;
      }
      const now = new Date();
      if (!cart) {
        try {
          await this.carts.create({ _id: cartId, lines, checkoutOrderId: null, version: 1, updatedAt: now });
          return;
        } catch (e) {
          if ((e as { code?: number }).code === 11000) continue;
          throw e;
        }
      }
      const res = await this.carts.updateOne({ _id: cartId, version: cart.version, checkoutOrderId: null }, { $set: { lines, updatedAt: now }, $inc: { version: 1 } });
      if (res.modifiedCount === 1) return;
    }
    throw new DomainError('CART_BUSY', '购物车正被同时修改，请重试', 409);
  }
}
