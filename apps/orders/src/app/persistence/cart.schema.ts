import { Schema } from 'mongoose';
import type { CartLine } from '../../domain/cart';

export const CART = 'Cart';

/** One cart per owner: `u:<userId>` for a signed-in shopper, `g:<token>` for a guest. */
export interface CartDoc {
  _id: string;
  lines: CartLine[];
  /** Set while an order from this cart is being paid; the cart cannot change meanwhile. */
  checkoutOrderId?: string | null;
  version: number;
  updatedAt: Date;
}

export const CartSchema = new Schema<CartDoc>(
  {
    _id: { type: String, required: true },
    lines: { type: Schema.Types.Mixed, default: () => [] },
    checkoutOrderId: { type: String, default: null },
    version: { type: Number, default: 0 },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'carts', versionKey: false, minimize: false },
);
