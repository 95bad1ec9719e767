/** The orders service's institutional views, as the buyer portal reads them (apps/orders institutional.schemas.ts). */
export type BuyerRole = 'buyer_admin' | 'orderer' | 'site_receiver' | 'finance';

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface Organisation {
  _id: string;
  name: string;
  type: 'school' | 'hospital' | 'elderly_home' | 'agency' | 'enterprise';
  creditCode: string;
  people: { userId: string; name: string; roles: BuyerRole[] }[];
}

export interface Site {
  _id: string;
  orgId: string;
  name: string;
  address: { text: string; lat: number; lng: number };
  contact: { name: string; phone: string };
  receivingWindows: { weekday: number; from: string; until: string }[];
}

export interface HistoryEntry {
  action: string;
  by: string;
  at: string;
  note?: string;
}

export interface ContractLine {
  lineId: string;
  productId: string;
  skuId: string;
  nameZh: string;
  specZh: string;
  temperatureClass: 'frozen' | 'chilled' | 'ambient' | 'hot';
  unitPriceFen: number;
  minQuantity: number;
  maxQuantity: number;
}

export interface Schedule {
  scheduleId: string;
  siteId: string;
  frequency: 'daily' | 'weekly' | 'monthly';
  weekdays: number[];
  dayOfMonth?: number;
  window: { from: string; until: string };
  cutoff: { daysBefore: number; time: string };
  quantities: { lineId: string; quantity: number }[];
}

export interface Contract {
  _id: string;
  orgId: string;
  number: string;
  titleZh: string;
  status: 'draft' | 'active' | 'suspended' | 'ended';
  validFrom: string;
  validUntil: string;
  lines: ContractLine[];
  monthlyBudgetFen?: number;
  substitutionPolicy: 'auto' | 'approve' | 'none';
  hotMealCutoff?: string;
  schedules: Schedule[];
  history: HistoryEntry[];
}

export type CallOffStatus = 'open' | 'awaiting-approval' | 'reserving' | 'reserved' | 'delivery-requested' | 'delivered' | 'rejected' | 'cancelled';
export type LineState = 'ok' | 'unavailable' | 'substitute-offered' | 'substituted' | 'dropped';

export interface CallOffLine {
  lineId: string;
  productId: string;
  skuId: string;
  nameZh: string;
  specZh: string;
  unitPriceFen: number;
  quantity: number;
  state: LineState;
  reasonZh?: string;
  substitute?: { productId: string; skuId: string; nameZh: string; specZh: string; unitPriceFen: number; certificationZh?: string; originalCertificationZh?: string };
  substituteDecidedBy?: string;
  accepted?: number;
  rejected?: number;
  short?: number;
  recalled?: number;
}

export interface CallOff {
  _id: string;
  orgId: string;
  contractId: string;
  siteId: string;
  channel: 'contract' | 'hot_meal';
  deliveryDate: string;
  cutoffAt: string;
  window: { from: string; until: string };
  status: CallOffStatus;
  lines: CallOffLine[];
  totalFen: number;
  budget: { capFen?: number; committedFen: number; overBudget: boolean; approvedBy?: string; approvedAt?: string };
  batch?: { cookedAt: string; dishes: string[]; maxRideMinutes: number };
  deliveredAt?: string;
  demoHistory?: boolean;
  history: HistoryEntry[];
}

export interface Sample {
  _id: string;
  orgId: string;
  siteId: string;
  callOffId: string;
  serviceDate: string;
  dishes: string[];
  dueAt: string;
  status: 'pending' | 'overdue' | 'kept' | 'discarded';
  confirmedAt?: string;
  kept?: { dish: string; grams: number }[];
  keepUntil?: string;
}

export interface StatementLine {
  deliveryDate: string;
  orderId: string;
  siteId: string;
  skuId: string;
  nameZh: string;
  unitPriceFen: number;
  ordered: number;
  accepted: number;
  rejected: number;
  short: number;
  recalled: number;
  amountFen: number;
  demoHistory?: boolean;
}

export interface Statement {
  orgId: string;
  orgName: string;
  month: string;
  lines: StatementLine[];
  totals: { orderedFen: number; shortFen: number; rejectedFen: number; recallFen: number; totalFen: number };
  pendingDeliveries: number;
  demoHistoryDeliveries: number;
}

export interface Invoice {
  _id: string;
  month: string;
  totalFen: number;
  status: 'creating' | 'open' | 'paid';
  stripe: { number?: string; hostedUrl?: string; dueDate?: string };
  paidAt?: string;
}
