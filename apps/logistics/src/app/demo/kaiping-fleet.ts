import type { TemperatureClass } from '@techan/common';

/**
 * Demo depots and fleet of 开平 (seed 004 §五): the county distribution centre in the cold-chain
 * logistics park, regional warehouses in the towns, and the central kitchen of 开平优餐 for hot meals.
 * Loaded through the service's own HTTP API (`seed-demo.ts`), like any operator would.
 */
export const DEMO_DISPATCHER = 'u-dispatcher-1';

export const KAIPING_DEPOTS = [
  { id: 'kaiping-dc', nameZh: '开平市县级配送中心', kind: 'county_dc', address: '广东省江门市开平市翠山湖新区冷链物流园 1 号', lat: 22.4075, lng: 112.6231, opensAt: '05:30', closesAt: '21:00' },
  { id: 'magang-wh', nameZh: '马冈区域仓', kind: 'regional_warehouse', address: '开平市马冈镇振兴路 8 号', lat: 22.2728, lng: 112.5562, opensAt: '06:00', closesAt: '19:00' },
  { id: 'chishui-wh', nameZh: '赤水区域仓', kind: 'regional_warehouse', address: '开平市赤水镇墟顶路 3 号', lat: 22.1955, lng: 112.4766, opensAt: '06:00', closesAt: '19:00' },
  { id: 'dasha-wh', nameZh: '大沙区域仓', kind: 'regional_warehouse', address: '开平市大沙镇大沙墟 12 号', lat: 22.5565, lng: 112.5274, opensAt: '06:00', closesAt: '19:00' },
  { id: 'kaiping-kitchen', nameZh: '开平优餐中央厨房', kind: 'central_kitchen', address: '开平市三埠街道港口路 28 号', lat: 22.3702, lng: 112.6993, opensAt: '05:00', closesAt: '20:00' },
] as const;

type Compartments = { temperatureClass: TemperatureClass; capacityKg: number }[];
const coldChain: Compartments = [
  { temperatureClass: 'frozen', capacityKg: 600 },
  { temperatureClass: 'chilled', capacityKg: 900 },
];
const chilledAmbient: Compartments = [
  { temperatureClass: 'chilled', capacityKg: 500 },
  { temperatureClass: 'ambient', capacityKg: 1200 },
];
const ambientVan: Compartments = [{ temperatureClass: 'ambient', capacityKg: 1000 }];
const threeZone: Compartments = [
  { temperatureClass: 'frozen', capacityKg: 300 },
  { temperatureClass: 'chilled', capacityKg: 400 },
  { temperatureClass: 'ambient', capacityKg: 600 },
];
const hotBox: Compartments = [{ temperatureClass: 'hot', capacityKg: 350 }];

/** [depot, vehicle id, plate, compartments, fixed cost (fen/day), cost per km (fen), driver] */
export const KAIPING_FLEET: [string, string, string, Compartments, number, number, { id: string; name: string; phone: string; shift: { start: string; end: string } }][] = [
  ['kaiping-dc', 'kp-cold-01', '粤J·L0101', coldChain, 42_000, 320, { id: 'drv-huang', name: '黄志强', phone: '13902270101', shift: { start: '06:00', end: '14:00' } }],
  ['kaiping-dc', 'kp-cold-02', '粤J·L0102', coldChain, 42_000, 320, { id: 'drv-liang', name: '梁国华', phone: '13902270102', shift: { start: '06:00', end: '14:00' } }],
  ['kaiping-dc', 'kp-3z-01', '粤J·L0201', threeZone, 38_000, 290, { id: 'drv-tan', name: '谭伟明', phone: '13902270201', shift: { start: '07:00', end: '16:00' } }],
  ['kaiping-dc', 'kp-3z-02', '粤J·L0202', threeZone, 38_000, 290, { id: 'drv-guan', name: '关少峰', phone: '13902270202', shift: { start: '07:00', end: '16:00' } }],
  ['kaiping-dc', 'kp-ca-01', '粤J·L0301', chilledAmbient, 30_000, 250, { id: 'drv-situ', name: '司徒健', phone: '13902270301', shift: { start: '08:00', end: '17:00' } }],
  ['kaiping-dc', 'kp-van-01', '粤J·L0401', ambientVan, 22_000, 180, { id: 'drv-zhou', name: '周家乐', phone: '13902270401', shift: { start: '08:00', end: '17:00' } }],
  ['magang-wh', 'mg-3z-01', '粤J·M0101', threeZone, 36_000, 280, { id: 'drv-xu', name: '许永康', phone: '13902271101', shift: { start: '06:30', end: '15:00' } }],
  ['chishui-wh', 'cs-ca-01', '粤J·C0101', chilledAmbient, 30_000, 250, { id: 'drv-fang', name: '方德荣', phone: '13902271201', shift: { start: '07:00', end: '16:00' } }],
  ['dasha-wh', 'ds-van-01', '粤J·D0101', ambientVan, 22_000, 180, { id: 'drv-wu', name: '吴振东', phone: '13902271301', shift: { start: '07:00', end: '16:00' } }],
  ['kaiping-kitchen', 'kc-hot-01', '粤J·Y0101', hotBox, 26_000, 220, { id: 'drv-chen', name: '陈锦辉', phone: '13902272101', shift: { start: '09:30', end: '13:30' } }],
  ['kaiping-kitchen', 'kc-hot-02', '粤J·Y0102', hotBox, 26_000, 220, { id: 'drv-li', name: '李伟', phone: '13902272102', shift: { start: '09:30', end: '13:30' } }],
  ['kaiping-kitchen', 'kc-hot-03', '粤J·Y0103', hotBox, 26_000, 220, { id: 'drv-ou', name: '区锦全', phone: '13902272103', shift: { start: '09:30', end: '13:30' } }],
];

/** Loads the demo fleet through the API; `post` returns the HTTP status (409 = already there, fine). */
export async function loadKaipingFleet(post: (path: string, body: unknown) => Promise<number>): Promise<{ created: number; existing: number }> {
  let created = 0;
  let existing = 0;
  const count = (status: number, what: string) => {
    if (status === 201) created++;
    else if (status === 409) existing++;
    else throw new Error(`${what}: HTTP ${status}`);
  };
  for (const d of KAIPING_DEPOTS) count(await post('/depots', { ...d, staffUserIds: [DEMO_DISPATCHER] }), `depot ${d.id}`);
  for (const [depot, id, plate, compartments, fixedCostFen, perKmCostFen, driver] of KAIPING_FLEET) {
    count(await post(`/depots/${depot}/drivers`, { ...driver, userId: `u-${driver.id}` }), `driver ${driver.id}`);
    count(
      await post(`/depots/${depot}/vehicles`, {
        id,
        plate,
        compartments: compartments.map((c) => ({ ...c, deviceId: `tl-${id}-${c.temperatureClass}` })),
        fixedCostFen,
        perKmCostFen,
        driverId: driver.id,
      }),
      `vehicle ${id}`,
    );
  }
  return { created, existing };
}
