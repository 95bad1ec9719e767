import { COUNTY_MARK, evaluatePurchasable, type CertificateSnapshot, type Mark, type TownMark } from '@techan/common';
import type { PurchasableVerdict } from '@techan/common';
import type { TownCode } from './taxonomy';

/**
 * Brand halls (品牌馆): the county hall 开平优品馆 and the six town halls (seed 004). Each hall accepts a
 * set of marks; a product appears in a hall while it holds a currently valid certificate of one of them.
 * The county hall takes the county mark, GI and every OTOP star level (a product certified only under
 * OTOP must be reachable somewhere: the county hall is the entry to everything certified in Kaiping);
 * the town halls take their own mark only.
 */
export interface BrandHall {
  id: string;
  nameZh: string;
  level: 'county' | 'town';
  town?: TownCode;
  acceptedMarks: readonly Mark[];
  /** Minimum OTOP star level counted in this hall when `otop` is accepted. */
  minOtopLevel?: number;
  sloganZh: string;
}

const townHall = (mark: TownMark, nameZh: string, sloganZh: string): BrandHall => ({
  id: mark,
  nameZh: `${nameZh}优品馆`,
  level: 'town',
  town: mark,
  acceptedMarks: [mark],
  sloganZh,
});

export const HALLS: readonly BrandHall[] = [
  {
    id: COUNTY_MARK,
    nameZh: '开平优品馆',
    level: 'county',
    acceptedMarks: [COUNTY_MARK, 'gi', 'otop'],
    sloganZh: '统一采购 · 政府背书 · 溯源直供',
  },
  townHall('magang', '马冈', '全国首个镇域行政区品牌，马冈鹅的故乡'),
  townHall('dasha', '大沙', '岭南生态气候标志地，大沙茶与山泉水'),
  townHall('tangkou', '塘口', '碉乡民宿与塘口文创'),
  townHall('xiangang', '蚬冈', '侨心游与蚬冈煲仔饭'),
  townHall('chishui', '赤水', '热情之水，温泉与狮山水库'),
  townHall('jinji', '金鸡', '中微子之乡，泉水西洋菜'),
];

const HALL_BY_ID = new Map(HALLS.map((h) => [h.id, h]));
export const HALL_IDS = HALLS.map((h) => h.id) as [string, ...string[]];

export function findHall(id: string): BrandHall | undefined {
  return HALL_BY_ID.get(id);
}

/** Whether one certificate counts towards a hall (mark accepted, star level high enough). */
export function certificateCountsInHall(hall: BrandHall, cert: Pick<CertificateSnapshot, 'mark' | 'level'>): boolean {
  if (!hall.acceptedMarks.includes(cert.mark)) return false;
  if (cert.mark === 'otop' && hall.minOtopLevel !== undefined) return (cert.level ?? 0) >= hall.minOtopLevel;
  return true;
}

/**
 * DESIGN §3 rule restricted to one hall. A red warning on *any* certificate blocks the product
 * everywhere, including one of a mark this hall does not accept.
 */
export function evaluateInHall(hall: BrandHall, certificates: readonly CertificateSnapshot[], now: Date): PurchasableVerdict {
  if (certificates.some((c) => c.status === 'red_warning')) return { purchasable: false, reason: 'red_warning' };
  const counted = certificates.filter((c) => certificateCountsInHall(hall, c));
  if (counted.length === 0) return { purchasable: false, reason: certificates.length ? 'not_accepted' : 'no_certificate' };
  return evaluatePurchasable(counted, now, hall.acceptedMarks);
}

/** The halls a product appears in right now, from its certificates. */
export function hallsForProduct(certificates: readonly CertificateSnapshot[], now: Date): BrandHall[] {
  return HALLS.filter((h) => evaluateInHall(h, certificates, now).purchasable);
}
