export interface CartLine {
  productId: string;
  skuId: string;
  quantity: number;
  nameZh: string;
  specZh?: string;
  unit?: string;
  imageUrl?: string;
  merchantName?: string;
  unitPriceFen?: number;
  lineTotalFen?: number;
  orderable: boolean;
  reasonZh?: string;
}

export interface Cart {
  lines: CartLine[];
  totalFen: number;
  checkoutAllowed: boolean;
  checkoutOrderId: string | null;
}

export interface OrderLine {
  productId: string;
  skuId: string;
  nameZh: string;
  specZh: string;
  unit: string;
  quantity: number;
  unitPriceFen: number;
  lineTotalFen: number;
}

export interface Order {
  orderId: string;
  status: string;
  statusZh: string;
  lines: OrderLine[];
  totalFen: number;
  paymentMethodZh: string;
  payment: { url?: string; capturedFen: number; refundedFen: number; lastErrorZh?: string };
  refunds: { amountFen: number; reason: string; at: string }[];
  compensationFen: number;
  cancelReasonZh?: string;
  delivery: { status: string; statusZh: string; noteZh?: string };
  address: { text: string; contactName?: string; contactPhone?: string };
  history: { status: string; statusZh: string; at: string; noteZh?: string }[];
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
