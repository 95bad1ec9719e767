import { Schema } from 'mongoose';
import type { TemperatureClass } from '@techan/common';
import type { BuyerRole, OrganisationType } from '../../domain/institutional/organisation';
import type { ContractStatus } from '../../domain/institutional/contract-state';
import type { DeliverySchedule } from '../../domain/institutional/schedule';
import type { SubstituteOffer } from '../../domain/institutional/substitute';

export const INST_ORGANISATION = 'InstitutionalOrganisation';
export const INST_SITE = 'InstitutionalSite';
export const INST_CONTRACT = 'InstitutionalContract';
export const INST_CALL_OFF = 'InstitutionalCallOff';
export const INST_SAMPLE = 'InstitutionalSample';
export const INST_INVOICE = 'InstitutionalInvoice';

export interface HistoryEntry {
  action: string;
  by: string;
  at: Date;
  note?: string;
}

export interface OrganisationDoc {
  _id: string;
  name: string;
  type: OrganisationType;
  creditCode: string;
  people: { userId: string; name: string; roles: BuyerRole[] }[];
  /** The organisation's Stripe customer, once invoiced. */
  stripeCustomerId?: string;
  createdBy: string;
  createdAt: Date;
}

export interface SiteDoc {
  _id: string;
  orgId: string;
  name: string;
  address: { text: string; lat: number; lng: number };
  contact: { name: string; phone: string };
  /** Receiving windows per ISO weekday (1 = Monday). */
  receivingWindows: { weekday: number; from: string; until: string }[];
  createdAt: Date;
}

export interface ContractLineDoc {
  lineId: string;
  productId: string;
  skuId: string;
  nameZh: string;
  specZh: string;
  categoryId?: string;
  temperatureClass: TemperatureClass;
  unitPriceFen: number;
  minQuantity: number;
  maxQuantity: number;
  /** Grams of one unit (dispatch capacity); 0 when unknown. */
  unitGrams: number;
}

export interface ContractDoc {
  _id: string;
  orgId: string;
  number: string;
  titleZh: string;
  status: ContractStatus;
  validFrom: string;
  validUntil: string;
  lines: ContractLineDoc[];
  monthlyBudgetFen?: number;
  /** auto: equal-or-better substitutes are applied; approve: the buyer admin approves before cut-off; none: never. */
  substitutionPolicy: 'auto' | 'approve' | 'none';
  /** Hot meals (优餐): the morning order cut-off on the service day. */
  hotMealCutoff?: string;
  schedules: DeliverySchedule[];
  history: HistoryEntry[];
  version: number;
  createdAt: Date;
}

export type CallOffStatus =
  | 'open'
  | 'awaiting-approval'
  | 'reserving'
  | 'reserved'
  | 'delivery-requested'
  | 'delivered'
  | 'rejected'
  | 'cancelled';

export type CallOffLineState = 'ok' | 'unavailable' | 'substitute-offered' | 'substituted' | 'dropped';

export interface CallOffLineDoc {
  lineId: string;
  productId: string;
  skuId: string;
  nameZh: string;
  specZh: string;
  temperatureClass: TemperatureClass;
  unitPriceFen: number;
  unitGrams: number;
  quantity: number;
  state: CallOffLineState;
  reasonZh?: string;
  substitute?: SubstituteOffer;
  substituteDecidedBy?: string;
  /** From proof of delivery (of the product actually delivered). */
  accepted?: number;
  rejected?: number;
  short?: number;
  recalled?: number;
}

export interface CallOffDoc {
  _id: string;
  orgId: string;
  contractId: string;
  siteId: string;
  channel: 'contract' | 'hot_meal';
  deliveryDate: string;
  cutoffAt: Date;
  window: { from: Date; until: Date };
  status: CallOffStatus;
  lines: CallOffLineDoc[];
  totalFen: number;
  budget: { capFen?: number; committedFen: number; overBudget: boolean; approvedBy?: string; approvedAt?: Date };
  /** Hot meals: the kitchen's batch. */
  batch?: { cookedAt: Date; dishes: string[]; recordedBy: string; maxRideMinutes: number };
  rejection?: { skuId: string; reason?: string; detail?: string }[];
  requestId?: string;
  deliveredAt?: Date;
  history: HistoryEntry[];
  version: number;
  generatedAt: Date;
}

export interface SampleDoc {
  _id: string;
  orgId: string;
  siteId: string;
  callOffId: string;
  serviceDate: string;
  dishes: string[];
  dueAt: Date;
  confirmedAt?: Date;
  confirmedBy?: string;
  kept?: { dish: string; grams: number }[];
  storedAt?: Date;
  keepUntil?: Date;
  discardedAt?: Date;
  createdAt: Date;
}

/** A monthly Stripe Invoice (send_invoice, due in 30 days) of an organisation. */
export interface InvoiceDoc {
  _id: string; // inv-<orgId>-<month>: one invoice per organisation and month
  orgId: string;
  month: string;
  totalFen: number;
  status: 'creating' | 'open' | 'paid';
  stripe: { customerId?: string; invoiceId?: string; number?: string; hostedUrl?: string; dueDate?: Date };
  createdBy: string;
  createdAt: Date;
  paidAt?: Date;
}

const opts = { versionKey: false, minimize: false } as const;

export const OrganisationSchema = new Schema<OrganisationDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    type: { type: String, required: true },
    creditCode: { type: String, required: true },
    people: { type: Schema.Types.Mixed, default: () => [] },
    stripeCustomerId: String,
    createdBy: String,
    createdAt: Date,
  },
  { ...opts, collection: 'institutional_organisations' },
);
// One organisation per credit code.
OrganisationSchema.index({ creditCode: 1 }, { unique: true });

export const SiteSchema = new Schema<SiteDoc>(
  {
    _id: String,
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    address: { type: Schema.Types.Mixed, required: true },
    contact: { type: Schema.Types.Mixed, required: true },
    receivingWindows: { type: Schema.Types.Mixed, default: () => [] },
    createdAt: Date,
  },
  { ...opts, collection: 'institutional_sites' },
);
// An organisation's sites, listed in its pages.
SiteSchema.index({ orgId: 1, _id: 1 });

export const ContractSchema = new Schema<ContractDoc>(
  {
    _id: String,
    orgId: { type: String, required: true },
    number: { type: String, required: true },
    titleZh: String,
    status: { type: String, required: true },
    validFrom: String,
    validUntil: String,
    lines: { type: Schema.Types.Mixed, default: () => [] },
    monthlyBudgetFen: Number,
    substitutionPolicy: String,
    hotMealCutoff: String,
    schedules: { type: Schema.Types.Mixed, default: () => [] },
    history: { type: Schema.Types.Mixed, default: () => [] },
    version: { type: Number, default: 1 },
    createdAt: Date,
  },
  { ...opts, collection: 'institutional_contracts' },
);
ContractSchema.index({ number: 1 }, { unique: true });
// Generation walks active contracts; overlap checks look for the same SKU in an organisation's contracts.
ContractSchema.index({ status: 1, _id: 1 });
ContractSchema.index({ orgId: 1, 'lines.skuId': 1 });

export const CallOffSchema = new Schema<CallOffDoc>(
  {
    _id: String,
    orgId: { type: String, required: true },
    contractId: { type: String, required: true },
    siteId: { type: String, required: true },
    channel: { type: String, required: true },
    deliveryDate: { type: String, required: true },
    cutoffAt: Date,
    window: { type: Schema.Types.Mixed },
    status: { type: String, required: true },
    lines: { type: Schema.Types.Mixed, default: () => [] },
    totalFen: Number,
    budget: { type: Schema.Types.Mixed },
    batch: { type: Schema.Types.Mixed },
    rejection: { type: Schema.Types.Mixed },
    requestId: String,
    deliveredAt: Date,
    history: { type: Schema.Types.Mixed, default: () => [] },
    version: { type: Number, default: 1 },
    generatedAt: Date,
  },
  { ...opts, collection: 'institutional_call_offs' },
);
// Exactly once per contract, site, delivery date and channel: the database refuses a second one,
// whichever job, retry or restarted worker tries to create it.
CallOffSchema.index({ contractId: 1, siteId: 1, deliveryDate: 1, channel: 1 }, { unique: true });
// The cut-off sweep; the calendar of an organisation; re-checks when a product's certification changes.
CallOffSchema.index({ status: 1, cutoffAt: 1 });
CallOffSchema.index({ orgId: 1, deliveryDate: 1 });
CallOffSchema.index({ 'lines.productId': 1, status: 1 });

export const SampleSchema = new Schema<SampleDoc>(
  {
    _id: String,
    orgId: { type: String, required: true },
    siteId: String,
    callOffId: String,
    serviceDate: String,
    dishes: [String],
    dueAt: Date,
    confirmedAt: Date,
    confirmedBy: String,
    kept: { type: Schema.Types.Mixed },
    storedAt: Date,
    keepUntil: Date,
    discardedAt: Date,
    createdAt: Date,
  },
  { ...opts, collection: 'institutional_samples' },
);
// One sample task per meal batch (call-off) per site.
SampleSchema.index({ callOffId: 1, siteId: 1 }, { unique: true });
SampleSchema.index({ orgId: 1, dueAt: -1 });

export const InvoiceSchema = new Schema<InvoiceDoc>(
  {
    _id: String,
    orgId: { type: String, required: true },
    month: { type: String, required: true },
    totalFen: Number,
    status: { type: String, required: true },
    stripe: { type: Schema.Types.Mixed, default: () => ({}) },
    createdBy: String,
    createdAt: Date,
    paidAt: Date,
  },
  { ...opts, collection: 'institutional_invoices' },
);
// An organisation's invoices, newest first; the webhook finds an invoice by Stripe's id.
InvoiceSchema.index({ orgId: 1, month: -1 });
InvoiceSchema.index({ 'stripe.invoiceId': 1 });

export const INSTITUTIONAL_MODELS = [
  { name: INST_INVOICE, schema: InvoiceSchema },
  { name: INST_ORGANISATION, schema: OrganisationSchema },
  { name: INST_SITE, schema: SiteSchema },
  { name: INST_CONTRACT, schema: ContractSchema },
  { name: INST_CALL_OFF, schema: CallOffSchema },
  { name: INST_SAMPLE, schema: SampleSchema },
];
