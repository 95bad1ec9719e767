import { Schema } from 'mongoose';
import type { CaseKind, CaseStatus } from '../../domain/after-sales';

export const AFTER_SALES_CASE = 'AfterSalesCase';

export interface AfterSalesCaseDoc {
  _id: string;
  orderId: string;
  buyerId: string;
  merchantId: string;
  productId: string;
  kind: CaseKind;
  status: CaseStatus;
  reason: string;
  descriptionZh: string;
  lines: { skuId: string; quantity: number }[];
  /** Photos' metadata only (the files live in object storage). */
  photos: { name: string; contentType: string; sizeBytes: number; sha256?: string }[];
  complaintKind?: 'quality' | 'safety' | 'fake' | 'service';
  /** Requested refund (partial refunds): absent = the value of the lines. */
  requestedFen?: number;
  decision?: { by: string; role: 'merchant' | 'operator'; approve: boolean; noteZh: string; at: Date; refundFen?: number; compensationFen?: number };
  createdAt: Date;
  updatedAt: Date;
}

export const AfterSalesCaseSchema = new Schema<AfterSalesCaseDoc>(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    buyerId: { type: String, required: true },
    merchantId: { type: String, required: true },
    productId: { type: String, required: true },
    kind: { type: String, required: true },
    status: { type: String, required: true },
    reason: { type: String, required: true },
    descriptionZh: { type: String, required: true },
    lines: { type: Schema.Types.Mixed, default: () => [] },
    photos: { type: Schema.Types.Mixed, default: () => [] },
    complaintKind: String,
    requestedFen: Number,
    decision: Schema.Types.Mixed,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'after_sales_cases', versionKey: false, minimize: false },
);
AfterSalesCaseSchema.index({ buyerId: 1, createdAt: -1 });
AfterSalesCaseSchema.index({ merchantId: 1, status: 1, createdAt: -1 });
AfterSalesCaseSchema.index({ orderId: 1 });
