/** Shapes of the catalog's public JSON API (apps/catalog/src/catalog/catalog.controller.ts). */
export interface HallView {
  id: string;
  name: string;
  level: 'county' | 'town';
  town: string | null;
  slogan: string;
  acceptedMarks: { mark: string; name: string }[];
  minOtopLevel?: number;
}

export interface CategoryNode {
  id: string;
  nameZh: string;
  children: CategoryNode[];
}

export interface ProductCard {
  id: string;
  name: string;
  category: string[];
  town?: string;
  tier: string;
  temperature: string;
  priceFen: number;
  priceText: string;
  starLevel?: number;
  halls: string[];
  marks: string[];
  image?: string;
}

export interface SearchPage {
  items: ProductCard[];
  nextCursor: string | null;
  query: Record<string, unknown>;
}

export interface ProductPageView {
  id: string;
  name: string;
  description: string;
  category: string[];
  town: string;
  tier: string;
  originDegree: string;
  temperature: string;
  shelfLifeDays?: number;
  images: string[];
  merchant?: { id: string; name: string };
  starLevel?: number;
  halls: { id: string; name: string }[];
  certificates: { mark: string; level?: number; number?: string; status: string; validFrom: string; validUntil: string }[];
  skus: { skuId: string; spec: string; unit: string; priceFen: number; priceText: string; available: number; gtin?: string }[];
  availability: { buyable: boolean; reason?: string; messageZh?: string; noticeZh?: string; buyableUntil?: string };
  canBuy: boolean;
}

export interface PriceIndexSeries {
  group: string;
  nameZh: string;
  measureZh: string;
  baseDay: string;
  method: string;
  points: { day: string; index: number; medianUnitPriceFen: number | null }[];
}
