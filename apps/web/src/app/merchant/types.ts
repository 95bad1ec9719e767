/** What the catalog and certification services answer to the merchant console. */

export interface MerchantView {
  id: string;
  name: string;
  creditCode: string;
  town: string;
  status: 'pending' | 'approved' | 'rejected';
  statusZh?: string;
  submittedAt: string;
  reviewDueBy?: string;
  reviewedAt?: string;
  rejectionReason?: string;
  licenceDocument?: string;
}

export interface OwnSku {
  skuId: string;
  code: string;
  specZh: string;
  unit: string;
  netContent?: { value: number; unit: 'g' | 'ml' | 'piece' };
  priceFen: number;
  available: number;
}

export interface OwnProduct {
  id: string;
  name: string;
  listed: boolean;
  minPriceFen: number;
  skus: OwnSku[];
  images: string[];
  categoryId: string;
  starLevel: number;
}

export interface ProductImage {
  id: string;
  uploaded: boolean;
  urls: { w320: string; w800: string };
}

export interface CategoryNode {
  id: string;
  nameZh: string;
  children: CategoryNode[];
}

export interface ApplicationView {
  id: string;
  productId: string;
  merchantId: string;
  target: { scheme: 'otop'; level: number } | { scheme: 'regional'; mark: string; tier: string };
  status: string;
  submittedAt: string;
  shortfalls: { message: string }[];
  sample?: { instructions?: string; requestedAt?: string };
  decision?: { approved: boolean; reasons: string[]; at: string };
  certificateId?: string;
}

export interface WarningView {
  colour: 'yellow' | 'red';
  raisedAt: string;
  reason: string;
  source: string;
  clearedAt?: string;
}

export interface CertificateView {
  id: string;
  productId: string;
  merchantId: string;
  mark: string;
  level?: number;
  tier?: string;
  number?: string;
  origin: string;
  status: string;
  validFrom: string;
  validUntil: string;
  nextInspectionAt?: string;
  inspectionDeadline?: string;
  graceUntil?: string;
  warnings: WarningView[];
}
