import type { TownMark } from '@techan/common';
import type { Outcome } from '../rules';
import { accept, isValidDate, reject } from '../rules';

/**
 * Geographical-indication (地理标志) registrations (seeds 002, 003, 004). A GI is registered once
 * for a protected area; an individual producer uses the GI mark under an authorisation from the
 * registrant (用标授权), which is what a product's GI certificate records.
 */

export type GiKind = 'agricultural_product_gi' | 'gi_certification_trademark' | 'gi_protected_product';
export const GI_KIND_NAMES_ZH: Record<GiKind, string> = {
  agricultural_product_gi: '农产品地理标志',
  gi_certification_trademark: '地理标志证明商标',
  gi_protected_product: '地理标志保护产品',
};

export interface GiRegistration {
  /** Registration or certificate number as issued by the registering authority. */
  registrationNumber: string;
  name: string;
  kind: GiKind;
  /** The association or body holding the registration (证书持有人). */
  registrant: string;
  /** Towns of Kaiping inside the protected area; `wholeCounty` when the area is all of Kaiping. */
  protectedArea: { wholeCounty: boolean; towns: readonly TownMark[]; description: string };
  registeredAt: Date;
}

export interface GiAuthorisation {
  registrationNumber: string;
  authorisationNumber: string;
  validFrom: Date;
  validUntil: Date;
}

export function validateGiRegistration(registration: GiRegistration): Outcome<GiRegistration> {
  if (!registration.registrationNumber?.trim()) return reject('gi_number_missing', '地理标志登记证书编号不能为空');
  if (!registration.name?.trim()) return reject('gi_name_missing', '地理标志产品名称不能为空');
  if (!registration.registrant?.trim()) return reject('gi_registrant_missing', '证书持有人不能为空');
  if (!isValidDate(registration.registeredAt)) return reject('gi_date_invalid', '登记日期无效');
  if (!registration.protectedArea.wholeCounty && registration.protectedArea.towns.length === 0) {
    return reject('gi_area_empty', '地理标志保护范围不能为空');
  }
  return accept(registration);
}

/**
 * A product may use a GI mark only under a current authorisation of a known registration, and only
 * when it is produced inside the protected area.
 */
export function validateGiAuthorisation(
  authorisation: GiAuthorisation,
  registration: GiRegistration | undefined,
  productTown: TownMark | undefined,
  productInKaiping: boolean,
): Outcome<GiAuthorisation> {
  if (!registration || registration.registrationNumber !== authorisation.registrationNumber) {
    return reject('gi_unknown_registration', `未找到地理标志登记 ${authorisation.registrationNumber}`);
  }
  if (!authorisation.authorisationNumber?.trim()) return reject('gi_authorisation_missing', '用标授权编号不能为空');
  if (!isValidDate(authorisation.validFrom) || !isValidDate(authorisation.validUntil)) {
    return reject('gi_validity_invalid', '授权有效期无效');
  }
  if (authorisation.validFrom.getTime() >= authorisation.validUntil.getTime()) {
    return reject('gi_validity_invalid', '授权有效期的开始日期必须早于结束日期');
  }
  const area = registration.protectedArea;
  const inside = area.wholeCounty ? productInKaiping : productTown !== undefined && area.towns.includes(productTown);
  if (!inside) return reject('gi_outside_area', `产品产地不在“${registration.name}”地理标志保护范围（${area.description}）内`);
  return accept(authorisation);
}

/**
 * Kaiping's GI products named in seed 004 (马冈肉鹅 and 大沙茶 hold national agricultural-product
 * GIs; 潭碧冬瓜 is a national GI product). Registration numbers here are demo placeholders: the
 * operator records the real certificate numbers.
 */
export const DEMO_GI_REGISTRATIONS: readonly GiRegistration[] = [
  {
    registrationNumber: 'DEMO-AGI-MAGANG-GOOSE',
    name: '马冈肉鹅',
    kind: 'agricultural_product_gi',
    registrant: '开平市马冈鹅协会（演示）',
    protectedArea: { wholeCounty: false, towns: ['magang'], description: '开平市马冈镇' },
    registeredAt: new Date('2015-01-01T00:00:00Z'),
  },
  {
    registrationNumber: 'DEMO-AGI-DASHA-TEA',
    name: '大沙茶',
    kind: 'agricultural_product_gi',
    registrant: '开平市大沙茶叶协会（演示）',
    protectedArea: { wholeCounty: false, towns: ['dasha'], description: '开平市大沙镇' },
    registeredAt: new Date('2016-01-01T00:00:00Z'),
  },
  {
    registrationNumber: 'DEMO-GI-TANBI-WAXGOURD',
    name: '潭碧冬瓜',
    kind: 'gi_protected_product',
    registrant: '开平市苍城镇潭碧村（演示）',
    // 苍城镇 has no town brand, so the area is described and checked at county level.
    protectedArea: { wholeCounty: true, towns: [], description: '开平市苍城镇潭碧村及周边' },
    registeredAt: new Date('2018-01-01T00:00:00Z'),
  },
];
