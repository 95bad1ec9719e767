/**
 * Where retail orders are delivered: Kaiping's towns and subdistricts (镇/街道, plus the 翠山湖 new
 * district) with the approximate position of each seat (WGS-84, ~1 km). The checkout asks the shopper
 * for one and sends its position with the address, so route planning sees orders spread over the
 * county rather than at one point; drivers navigate by the address text. A street-level geocoder can
 * replace these positions where one is reachable (none is from the local stack).
 */
export const DELIVERY_AREAS = [
  { code: 'changsha', nameZh: '长沙街道', lat: 22.377, lng: 112.698 },
  { code: 'sanbu', nameZh: '三埠街道', lat: 22.366, lng: 112.708 },
  { code: 'shuikou', nameZh: '水口镇', lat: 22.397, lng: 112.772 },
  { code: 'cuishanhu', nameZh: '翠山湖新区', lat: 22.427, lng: 112.800 },
  { code: 'shatang', nameZh: '沙塘镇', lat: 22.466, lng: 112.724 },
  { code: 'cangcheng', nameZh: '苍城镇', lat: 22.522, lng: 112.655 },
  { code: 'longsheng', nameZh: '龙胜镇', lat: 22.553, lng: 112.690 },
  { code: 'yueshan', nameZh: '月山镇', lat: 22.482, lng: 112.603 },
  { code: 'dasha', nameZh: '大沙镇', lat: 22.452, lng: 112.428 },
  { code: 'magang', nameZh: '马冈镇', lat: 22.357, lng: 112.532 },
  { code: 'tangkou', nameZh: '塘口镇', lat: 22.377, lng: 112.598 },
  { code: 'chikan', nameZh: '赤坎镇', lat: 22.313, lng: 112.590 },
  { code: 'baihe', nameZh: '百合镇', lat: 22.272, lng: 112.563 },
  { code: 'xiangang', nameZh: '蚬冈镇', lat: 22.205, lng: 112.622 },
  { code: 'jinji', nameZh: '金鸡镇', lat: 22.168, lng: 112.551 },
  { code: 'chishui', nameZh: '赤水镇', lat: 22.213, lng: 112.712 },
] as const;

export type DeliveryAreaCode = (typeof DELIVERY_AREAS)[number]['code'];

export function deliveryArea(code: string): (typeof DELIVERY_AREAS)[number] | undefined {
  return DELIVERY_AREAS.find((a) => a.code === code);
}
