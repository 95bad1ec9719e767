import type { CertificateStatus, Mark } from '@techan/common';
import type { NetContentUnit, OriginDegree, QualityTier, SalesUnit, TemperatureClass, TownCode } from './taxonomy';
import type { MerchantStatus } from './listing';

/**
 * Demo data for the seed command: enterprises of Kaiping (fictional names, valid credit codes with
 * Kaiping's division code 440783) and 50+ products named after seed 004 (马冈鹅, 大沙茶, 丝苗米, 禽蛋 …).
 * A few products carry a suspended, red-warned, expired or yellow-warned certificate so the hall shows
 * why they cannot be bought.
 */

export interface DemoMerchant {
  key: string;
  name: string;
  creditCode: string;
  town: TownCode;
  contact: { name: string; phone: string };
  status: MerchantStatus;
  rejectionReason?: string;
}

export const DEMO_MERCHANTS: readonly DemoMerchant[] = [
  { key: 'magang-goose', name: '开平市马冈优品鹅业有限公司', creditCode: '91440783MA4UK7R28A', town: 'magang', contact: { name: '关伟强', phone: '13702201188' }, status: 'approved' },
  { key: 'dasha-tea', name: '开平市大沙茶业发展有限公司', creditCode: '91440783MA51C3P85U', town: 'dasha', contact: { name: '司徒慧', phone: '13827063321' }, status: 'approved' },
  { key: 'tangkou-eggs', name: '开平市塘口禽蛋养殖专业合作社', creditCode: '93440783MA4WD2N65X', town: 'tangkou', contact: { name: '方志明', phone: '13600282017' }, status: 'approved' },
  { key: 'shatang-rice', name: '开平市沙塘优粮米业有限公司', creditCode: '91440783MA52H8L14X', town: 'shatang', contact: { name: '谢家豪', phone: '13929014466' }, status: 'approved' },
  { key: 'tanjiang-youlian', name: '开平市潭江优联供应链有限公司', creditCode: '91440783MA4XTE932U', town: 'sanbu', contact: { name: '吴嘉欣', phone: '0750-2212345' }, status: 'approved' },
  { key: 'xiangang-claypot', name: '开平市蚬冈侨心煲仔饭店', creditCode: '92440783MA53B6K451', town: 'xiangang', contact: { name: '许国良', phone: '13531708890' }, status: 'approved' },
  { key: 'diaoxiang-tour', name: '开平市碉乡文旅发展有限公司', creditCode: '91440783MA4YQ1D7XF', town: 'tangkou', contact: { name: '张碧云', phone: '13750226655' }, status: 'approved' },
  { key: 'chishui-fishery', name: '开平市赤水狮山水库渔业专业合作社', creditCode: '93440783MA54M9F26X', town: 'chishui', contact: { name: '梁振华', phone: '13414960372' }, status: 'approved' },
  { key: 'jinji-neutrino', name: '开平市金鸡中微子文创有限公司', creditCode: '91440783MA4ULA8551', town: 'jinji', contact: { name: '胡晓东', phone: '15917302218' }, status: 'approved' },
  { key: 'sanbu-heritage', name: '开平市三埠传统食品有限公司', creditCode: '91440783MA55N2G38Q', town: 'sanbu', contact: { name: '周月娥', phone: '13822374519' }, status: 'approved' },
  { key: 'cangcheng-coop', name: '开平市苍城镇潭碧村股份经济合作社', creditCode: 'N2440783MA4W8J1721', town: 'cangcheng', contact: { name: '黄炳坤', phone: '13590886027' }, status: 'approved' },
  { key: 'magang-crafts', name: '开平市马冈非遗工坊有限公司', creditCode: '91440783MA56P4Q985', town: 'magang', contact: { name: '邓丽芳', phone: '13126600871' }, status: 'pending' },
];

export interface DemoSku {
  code: string;
  specZh: string;
  unit: SalesUnit;
  netContent: { value: number; unit: NetContentUnit };
  priceFen: number;
  stock: number;
  gtin?: string;
}

export interface DemoCertificate {
  mark: Mark;
  level?: number;
  status?: CertificateStatus;
  /** Months relative to the seed time; defaults: valid from 6 months ago to 18 months ahead. */
  fromMonths?: number;
  untilMonths?: number;
}

export interface DemoProduct {
  key: string;
  merchant: string;
  nameZh: string;
  descriptionZh: string;
  categoryId: string;
  town: TownCode;
  tier: QualityTier;
  originDegree: OriginDegree;
  temperatureClass: TemperatureClass;
  shelfLifeDays: number;
  skus: DemoSku[];
  certificates: DemoCertificate[];
}

const g = (value: number) => ({ value, unit: 'g' as const });
const ml = (value: number) => ({ value, unit: 'ml' as const });
const pcs = (value: number) => ({ value, unit: 'piece' as const });
const sku = (code: string, specZh: string, unit: SalesUnit, net: DemoSku['netContent'], priceFen: number, stock: number): DemoSku => ({
  code,
  specZh,
  unit,
  netContent: net,
  priceFen,
  stock,
});

type P = Omit<DemoProduct, 'originDegree' | 'shelfLifeDays'> & Partial<Pick<DemoProduct, 'originDegree' | 'shelfLifeDays'>>;
const product = (p: P): DemoProduct => ({ originDegree: 'fully_local', shelfLifeDays: 7, ...p });

const GOOSE: DemoProduct[] = [
  product({ key: 'goose-whole', merchant: 'magang-goose', nameZh: '马冈鹅（整只，冰鲜）', descriptionZh: '马冈鹅为开平马冈镇地方良种，黑鬃、乌喙、乌脚，放养一百天以上，肉质紧实、皮薄脂香。当日屠宰，全程冷链配送。', categoryId: 'agri.goose', town: 'magang', tier: 'premium', temperatureClass: 'chilled', shelfLifeDays: 4, skus: [sku('W30', '整只约3千克', '只', g(3000), 26800, 120), sku('W40', '整只约4千克', '只', g(4000), 34800, 80)], certificates: [{ mark: 'gi' }, { mark: 'kaiping' }, { mark: 'magang' }, { mark: 'otop', level: 5 }] }),
  product({ key: 'goose-roast', merchant: 'magang-goose', nameZh: '马冈烧鹅', descriptionZh: '选用一百二十天马冈鹅，古法明炉烧制，皮脆肉嫩。上午下单，中午保温送达。', categoryId: 'agri.goose', town: 'magang', tier: 'premium', temperatureClass: 'hot', shelfLifeDays: 0, skus: [sku('HALF', '半只约1.5千克', '份', g(1500), 13800, 40), sku('QTR', '四分之一只', '份', g(750), 7200, 60)], certificates: [{ mark: 'kaiping' }, { mark: 'magang' }] }),
  product({ key: 'goose-braised', merchant: 'magang-goose', nameZh: '马冈卤鹅预制菜', descriptionZh: '马冈鹅卤水慢煮，真空包装速冻，解冻加热即可食用。', categoryId: 'agri.goose', town: 'magang', tier: 'mid', temperatureClass: 'frozen', shelfLifeDays: 180, skus: [sku('500', '500克/盒', '盒', g(500), 6800, 300), sku('1000', '1千克/盒', '盒', g(1000), 12800, 150)], certificates: [{ mark: 'magang' }, { mark: 'otop', level: 3 }] }),
  product({ key: 'goose-liver', merchant: 'magang-goose', nameZh: '马冈鹅肝', descriptionZh: '马冈鹅切件之鹅肝，冰鲜分装。', categoryId: 'agri.goose', town: 'magang', tier: 'premium', temperatureClass: 'chilled', shelfLifeDays: 3, skus: [sku('250', '250克/盒', '盒', g(250), 5800, 90)], certificates: [{ mark: 'magang' }, { mark: 'kaiping' }] }),
  product({ key: 'goose-gizzard', merchant: 'magang-goose', nameZh: '马冈鹅肾', descriptionZh: '马冈鹅切件之鹅肾，爽脆，适合卤水、生炒。', categoryId: 'agri.goose', town: 'magang', tier: 'mid', temperatureClass: 'frozen', shelfLifeDays: 90, skus: [sku('500', '500克/袋', '袋', g(500), 4600, 200)], certificates: [{ mark: 'magang' }] }),
  product({ key: 'goose-feet', merchant: 'magang-goose', nameZh: '马冈鹅掌', descriptionZh: '马冈鹅切件之鹅掌，速冻保存，宜红烧、卤水。', categoryId: 'agri.goose', town: 'magang', tier: 'mid', temperatureClass: 'frozen', shelfLifeDays: 90, skus: [sku('500', '500克/袋', '袋', g(500), 5600, 180)], certificates: [{ mark: 'magang' }] }),
  product({ key: 'goose-wings', merchant: 'magang-goose', nameZh: '马冈鹅翼', descriptionZh: '马冈鹅切件之鹅翼，速冻保存。', categoryId: 'agri.goose', town: 'magang', tier: 'mass', temperatureClass: 'frozen', shelfLifeDays: 90, skus: [sku('1000', '1千克/袋', '袋', g(1000), 7800, 160)], certificates: [{ mark: 'magang' }] }),
  product({ key: 'goose-roll', merchant: 'magang-goose', nameZh: '马冈鹅蛋卷', descriptionZh: '以马冈鹅蛋制作的传统蛋卷，香脆松化，手信佳品。', categoryId: 'agri.goose', town: 'magang', tier: 'mid', originDegree: 'partly_local', temperatureClass: 'ambient', shelfLifeDays: 180, skus: [sku('GIFT', '礼盒 400克', '盒', g(400), 6800, 400)], certificates: [{ mark: 'magang' }, { mark: 'kaiping' }] }),
  product({ key: 'goose-pate', merchant: 'magang-goose', nameZh: '马冈鹅肝酱', descriptionZh: '马冈鹅加工品，细腻顺滑，冷藏保存。', categoryId: 'agri.goose', town: 'magang', tier: 'premium', originDegree: 'partly_local', temperatureClass: 'chilled', shelfLifeDays: 30, skus: [sku('120', '120克/罐', '罐', g(120), 8800, 100)], certificates: [{ mark: 'magang' }] }),
  product({ key: 'goose-gosling', merchant: 'magang-goose', nameZh: '马冈鹅苗', descriptionZh: '马冈鹅种鹅场孵化，出壳3日龄鹅苗，供养殖户预订（保价收购）。', categoryId: 'agri.goose', town: 'magang', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('100', '100只起订', '只', pcs(1), 1800, 5000)], certificates: [{ mark: 'magang' }] }),
];

const TEA: DemoProduct[] = [
  product({ key: 'tea-yellow-king', merchant: 'dasha-tea', nameZh: '大沙里黄茶（茶王）', descriptionZh: '2022 中国十大茶王，大沙镇天露山茶园手工制作，汤色杏黄、回甘持久。', categoryId: 'agri.tea', town: 'dasha', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 730, skus: [sku('250', '250克 礼盒', '盒', g(250), 39800, 60), sku('100', '100克 罐装', '罐', g(100), 16800, 120)], certificates: [{ mark: 'kaiping' }, { mark: 'dasha' }, { mark: 'otop', level: 5 }] }),
  product({ key: 'tea-black', merchant: 'dasha-tea', nameZh: '大沙红茶', descriptionZh: '大沙茶园春茶，全发酵工艺，蜜香浓郁。', categoryId: 'agri.tea', town: 'dasha', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 730, skus: [sku('250', '250克 罐装', '罐', g(250), 12800, 200), sku('500', '500克 袋装', '袋', g(500), 22800, 80)], certificates: [{ mark: 'dasha' }, { mark: 'kaiping' }] }),
  product({ key: 'tea-green', merchant: 'dasha-tea', nameZh: '大沙绿茶', descriptionZh: '明前采摘，炒青工艺，清香鲜爽。', categoryId: 'agri.tea', town: 'dasha', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 540, skus: [sku('250', '250克 罐装', '罐', g(250), 9800, 220)], certificates: [{ mark: 'dasha' }] }),
  product({ key: 'tea-yellow', merchant: 'dasha-tea', nameZh: '大沙黄茶', descriptionZh: '闷黄工艺，口感醇和，日常口粮茶。', categoryId: 'agri.tea', town: 'dasha', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 730, skus: [sku('500', '500克 袋装', '袋', g(500), 13800, 300)], certificates: [{ mark: 'dasha' }, { mark: 'otop', level: 2 }] }),
  product({ key: 'tea-gift', merchant: 'dasha-tea', nameZh: '大沙茶三色礼盒（红茶·绿茶·黄茶）', descriptionZh: '大沙红茶、绿茶、黄茶各100克，商务礼品装。', categoryId: 'agri.tea', town: 'dasha', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 540, skus: [sku('300', '300克 礼盒', '盒', g(300), 26800, 90)], certificates: [{ mark: 'kaiping' }, { mark: 'dasha' }] }),
];

const EGGS_POULTRY: DemoProduct[] = [
  product({ key: 'egg-century', merchant: 'tangkou-eggs', nameZh: '开平皮蛋', descriptionZh: '塘口鸭蛋传统工艺腌制，溏心、无铅。', categoryId: 'agri.poultry_eggs', town: 'tangkou', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 60, skus: [sku('12', '12枚/盒', '盒', pcs(12), 3600, 500), sku('30', '30枚/箱', '箱', pcs(30), 8200, 200)], certificates: [{ mark: 'tangkou' }, { mark: 'kaiping' }] }),
  product({ key: 'egg-salted', merchant: 'tangkou-eggs', nameZh: '非遗咸蛋', descriptionZh: '长沙街非遗咸蛋技艺，红泥腌制，蛋黄起沙流油。', categoryId: 'agri.poultry_eggs', town: 'changsha', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 45, skus: [sku('10', '10枚/盒', '盒', pcs(10), 3800, 400)], certificates: [{ mark: 'kaiping' }, { mark: 'otop', level: 3 }] }),
  product({ key: 'egg-fresh-chicken', merchant: 'tangkou-eggs', nameZh: '塘口走地鸡蛋', descriptionZh: '林下散养土鸡所产鲜蛋，每日集蛋，冷藏配送。', categoryId: 'agri.poultry_eggs', town: 'tangkou', tier: 'mass', temperatureClass: 'chilled', shelfLifeDays: 30, skus: [sku('30', '30枚/盒', '盒', pcs(30), 4500, 600), sku('60', '60枚/箱', '箱', pcs(60), 8600, 200)], certificates: [{ mark: 'tangkou' }] }),
  product({ key: 'egg-cooked', merchant: 'tangkou-eggs', nameZh: '卤水熟食蛋', descriptionZh: '开平蛋品之熟食蛋，卤水慢煮，开袋即食。', categoryId: 'agri.poultry_eggs', town: 'tangkou', tier: 'mass', temperatureClass: 'chilled', shelfLifeDays: 15, skus: [sku('6', '6枚/袋', '袋', pcs(6), 1800, 300)], certificates: [{ mark: 'tangkou' }] }),
  product({ key: 'chicken-yueshan', merchant: 'tangkou-eggs', nameZh: '月山鸡（冰鲜）', descriptionZh: '月山镇放养一百五十天以上，皮黄肉实，适合白切。', categoryId: 'agri.poultry_eggs', town: 'yueshan', tier: 'premium', temperatureClass: 'chilled', shelfLifeDays: 4, skus: [sku('W', '整只约1.5千克', '只', g(1500), 13800, 90)], certificates: [{ mark: 'kaiping' }, { mark: 'otop', level: 4 }] }),
  product({ key: 'pigeon', merchant: 'tangkou-eggs', nameZh: '开平乳鸽', descriptionZh: '开平家禽之乳鸽，二十八日龄，冰鲜配送，宜红烧。', categoryId: 'agri.poultry_eggs', town: 'tangkou', tier: 'mid', temperatureClass: 'chilled', shelfLifeDays: 3, skus: [sku('2', '2只装', '盒', g(700), 6800, 120)], certificates: [{ mark: 'tangkou' }] }),
  product({ key: 'duck-roast', merchant: 'tangkou-eggs', nameZh: '开平烧鸭预制菜', descriptionZh: '开平禽蛋制品之鸭预制菜，速冻锁鲜，复热即食。', categoryId: 'agri.poultry_eggs', town: 'tangkou', tier: 'mass', originDegree: 'partly_local', temperatureClass: 'frozen', shelfLifeDays: 120, skus: [sku('800', '800克/盒', '盒', g(800), 5900, 240)], certificates: [{ mark: 'tangkou' }], }),
];

const RICE: DemoProduct[] = [
  product({ key: 'rice-simiao', merchant: 'shatang-rice', nameZh: '开平生态丝苗米', descriptionZh: '潭江流域稻田种植，米粒细长、饭香软糯。', categoryId: 'agri.rice', town: 'shatang', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 365, skus: [sku('5KG', '5千克/袋', '袋', g(5000), 8900, 800), sku('10KG', '10千克/袋', '袋', g(10000), 16800, 300)], certificates: [{ mark: 'kaiping' }, { mark: 'gi' }] }),
  product({ key: 'rice-low-gi', merchant: 'shatang-rice', nameZh: '开平稳糖米', descriptionZh: '低升糖指数功能性稻米，适合控糖人群。', categoryId: 'agri.rice', town: 'shatang', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 365, skus: [sku('2500', '2.5千克/盒', '盒', g(2500), 12800, 260)], certificates: [{ mark: 'kaiping' }, { mark: 'otop', level: 4 }] }),
  product({ key: 'rice-xiaozhan', merchant: 'shatang-rice', nameZh: '开平小粘米', descriptionZh: '苍城镇传统品种开平小粘，口感软滑。', categoryId: 'agri.rice', town: 'cangcheng', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 365, skus: [sku('5KG', '5千克/袋', '袋', g(5000), 6900, 900)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'rice-noodle', merchant: 'shatang-rice', nameZh: '丝苗米粉', descriptionZh: '以开平丝苗米制作的干米粉，爽滑不糊汤。', categoryId: 'agri.rice', town: 'shatang', tier: 'mass', originDegree: 'partly_local', temperatureClass: 'ambient', shelfLifeDays: 365, skus: [sku('400', '400克/袋', '袋', g(400), 1280, 1000)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'rice-gift', merchant: 'shatang-rice', nameZh: '丝苗米礼盒', descriptionZh: '生态丝苗米真空小包装，节假日慰问佳品。', categoryId: 'agri.rice', town: 'shatang', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 365, skus: [sku('3KG', '500克×6 礼盒', '盒', g(3000), 9800, 200)], certificates: [{ mark: 'kaiping' }] }),
];

const AQUATIC_VEG: DemoProduct[] = [
  product({ key: 'fish-dasha', merchant: 'chishui-fishery', nameZh: '大沙水库鱼', descriptionZh: '大沙河水库生态养殖大头鱼，肉质清甜无泥味。', categoryId: 'agri.aquatic', town: 'dasha', tier: 'mid', temperatureClass: 'chilled', shelfLifeDays: 2, skus: [sku('2KG', '约2千克/条', '件', g(2000), 9800, 70)], certificates: [{ mark: 'dasha' }] }),
  product({ key: 'fish-shishan', merchant: 'chishui-fishery', nameZh: '狮山水库鱼', descriptionZh: '赤水镇狮山水库生态鱼，冰鲜宰杀配送。', categoryId: 'agri.aquatic', town: 'chishui', tier: 'mid', temperatureClass: 'chilled', shelfLifeDays: 2, skus: [sku('1500', '约1.5千克/条', '件', g(1500), 7600, 80)], certificates: [{ mark: 'chishui' }, { mark: 'kaiping' }] }),
  product({ key: 'water-shishan', merchant: 'chishui-fishery', nameZh: '狮山山泉水', descriptionZh: '赤水狮山天然山泉水，“开平优品”+“赤水优品”双标识。', categoryId: 'industrial.food', town: 'chishui', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 365, skus: [sku('550X24', '550毫升×24瓶', '箱', ml(13200), 4800, 600)], certificates: [{ mark: 'kaiping' }, { mark: 'chishui' }] }),
  product({ key: 'orange-wogan', merchant: 'cangcheng-coop', nameZh: '开平沃柑', descriptionZh: '皮薄多汁、化渣清甜，产地直发。', categoryId: 'agri.fruit_veg', town: 'cangcheng', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 20, skus: [sku('5KG', '5千克/箱', '箱', g(5000), 6800, 300)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'dragonfruit', merchant: 'cangcheng-coop', nameZh: '开平红心火龙果', descriptionZh: '马冈、苍城火龙果基地出品，果肉红艳。', categoryId: 'agri.fruit_veg', town: 'magang', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 15, skus: [sku('2500', '2.5千克/箱', '箱', g(2500), 5800, 260)], certificates: [{ mark: 'magang' }] }),
  product({ key: 'wax-gourd', merchant: 'cangcheng-coop', nameZh: '潭碧冬瓜', descriptionZh: '地理标志产品，苍城镇潭碧村种植，肉厚瓤少、耐储存。', categoryId: 'agri.fruit_veg', town: 'cangcheng', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 60, skus: [sku('10KG', '整只约10千克', '只', g(10000), 5200, 150)], certificates: [{ mark: 'gi' }, { mark: 'kaiping' }] }),
  product({ key: 'lettuce-dasha', merchant: 'cangcheng-coop', nameZh: '大沙麦菜', descriptionZh: '大沙镇高山麦菜，清甜爽脆，冷链当日达。', categoryId: 'agri.fruit_veg', town: 'dasha', tier: 'mass', temperatureClass: 'chilled', shelfLifeDays: 5, skus: [sku('1KG', '1千克/袋', '袋', g(1000), 1600, 400)], certificates: [{ mark: 'dasha' }] }),
  product({ key: 'watercress', merchant: 'jinji-neutrino', nameZh: '金鸡泉水西洋菜', descriptionZh: '金鸡镇山泉水灌溉种植，鲜嫩无渣，宜煲汤。', categoryId: 'agri.fruit_veg', town: 'jinji', tier: 'mass', temperatureClass: 'chilled', shelfLifeDays: 4, skus: [sku('1KG', '1千克/袋', '袋', g(1000), 1800, 350)], certificates: [{ mark: 'jinji' }] }),
  product({ key: 'veg-gangling', merchant: 'cangcheng-coop', nameZh: '冈陵时令蔬菜箱', descriptionZh: '冈陵蔬菜基地当季蔬菜组合，每周配送。', categoryId: 'agri.fruit_veg', town: 'cangcheng', tier: 'mass', temperatureClass: 'chilled', shelfLifeDays: 5, skus: [sku('5KG', '5千克/箱', '箱', g(5000), 8800, 100)], certificates: [{ mark: 'kaiping', status: 'yellow_warning' }] }),
  product({ key: 'sugar-apple', merchant: 'cangcheng-coop', nameZh: '马冈释迦果', descriptionZh: '马冈镇种植园出品的释迦果，香甜软糯。', categoryId: 'agri.fruit_veg', town: 'magang', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 7, skus: [sku('2KG', '2千克/箱', '箱', g(2000), 12800, 60)], certificates: [{ mark: 'magang', status: 'expired', fromMonths: -18, untilMonths: -1 }] }),
];

const INDUSTRIAL: DemoProduct[] = [
  product({ key: 'biscuit', merchant: 'tanjiang-youlian', nameZh: '开平优品手信饼干', descriptionZh: '开平食品企业定制生产的“开平优品”饼干礼盒。', categoryId: 'industrial.food', town: 'sanbu', tier: 'mid', originDegree: 'brand_licensed', temperatureClass: 'ambient', shelfLifeDays: 270, skus: [sku('800', '800克 礼盒', '盒', g(800), 8800, 500)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'soy-sauce', merchant: 'tanjiang-youlian', nameZh: '开平优品头抽酱油', descriptionZh: '传统晒油工艺定制酱油，豉香浓郁。', categoryId: 'industrial.food', town: 'sanbu', tier: 'mass', originDegree: 'brand_licensed', temperatureClass: 'ambient', shelfLifeDays: 720, skus: [sku('500', '500毫升/瓶', '瓶', ml(500), 1880, 900)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'fermented-tofu', merchant: 'sanbu-heritage', nameZh: '广合腐乳', descriptionZh: '开平老字号，始创于1893年，细腻醇香。', categoryId: 'industrial.heritage_brand', town: 'sanbu', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 540, skus: [sku('335', '335克/瓶', '瓶', g(335), 1650, 1200)], certificates: [{ mark: 'kaiping' }, { mark: 'otop', level: 4 }] }),
  product({ key: 'binji-cake', merchant: 'sanbu-heritage', nameZh: '彬记老婆饼', descriptionZh: '“彬记”饼业老字号，酥皮千层、冬瓜蓉馅。', categoryId: 'industrial.heritage_brand', town: 'sanbu', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 30, skus: [sku('8', '8个 礼盒', '盒', pcs(8), 4800, 300)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'xinchang-dimsum', merchant: 'sanbu-heritage', nameZh: '新昌茶楼速冻点心', descriptionZh: '新昌茶楼老字号虾饺、烧卖、叉烧包组合，速冻锁鲜。', categoryId: 'industrial.heritage_brand', town: 'sanbu', tier: 'mid', temperatureClass: 'frozen', shelfLifeDays: 180, skus: [sku('MIX', '三款组合 900克', '盒', g(900), 7800, 200)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'douchi', merchant: 'sanbu-heritage', nameZh: '张桥豆豉', descriptionZh: '龙胜镇张桥传统豆豉，豉香醇厚。', categoryId: 'industrial.food', town: 'longsheng', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 365, skus: [sku('250', '250克/罐', '罐', g(250), 1500, 600)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'guilinggao', merchant: 'sanbu-heritage', nameZh: '洪玄堂龟苓膏', descriptionZh: '龙胜镇传统配方龟苓膏，清润甘香。', categoryId: 'industrial.food', town: 'longsheng', tier: 'mass', temperatureClass: 'chilled', shelfLifeDays: 20, skus: [sku('6', '250克×6杯', '盒', g(1500), 3600, 240)], certificates: [{ mark: 'kaiping', status: 'suspended' }] }),
  product({ key: 'yue-sauce', merchant: 'tanjiang-youlian', nameZh: '粤师傅酱料', descriptionZh: '苍城镇粤师傅酱料，煲仔饭专用酱油。', categoryId: 'industrial.food', town: 'cangcheng', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 540, skus: [sku('300', '300毫升/瓶', '瓶', ml(300), 1680, 700)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'water-dasha', merchant: 'dasha-tea', nameZh: '大沙山泉水', descriptionZh: '天露山天然山泉水，“开平优品”+“大沙优品”双标识。', categoryId: 'industrial.food', town: 'dasha', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 365, skus: [sku('550X24', '550毫升×24瓶', '箱', ml(13200), 4500, 700)], certificates: [{ mark: 'kaiping' }, { mark: 'dasha' }] }),
  product({ key: 'garlic', merchant: 'tanjiang-youlian', nameZh: '水口金山火蒜', descriptionZh: '水口镇传统柴火熏制火蒜，蒜香浓郁。', categoryId: 'industrial.food', town: 'shuikou', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 180, skus: [sku('500', '500克/袋', '袋', g(500), 2800, 400)], certificates: [{ mark: 'kaiping', status: 'red_warning' }] }),
  product({ key: 'lingzhi', merchant: 'tanjiang-youlian', nameZh: '健芝缘灵芝切片', descriptionZh: '水口镇林下栽培赤灵芝切片。', categoryId: 'industrial.food', town: 'shuikou', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 730, skus: [sku('250', '250克/盒', '盒', g(250), 19800, 80)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'copper-diaolou', merchant: 'jinji-neutrino', nameZh: '手工铜制碉楼摆件', descriptionZh: '以瑞石楼为原型手工锻铜制作，世界文化遗产开平碉楼纪念。', categoryId: 'industrial.crafts', town: 'jinji', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('S', '小号 高18厘米', '件', pcs(1), 68800, 20), sku('L', '大号 高35厘米', '件', pcs(1), 168800, 8)], certificates: [{ mark: 'kaiping' }, { mark: 'otop', level: 3 }] }),
  product({ key: 'jade-pot', merchant: 'jinji-neutrino', nameZh: '手工玉石花盆', descriptionZh: '开平工艺品，整石手工雕琢。', categoryId: 'industrial.crafts', town: 'jinji', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('M', '中号 直径20厘米', '件', pcs(1), 39800, 15)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'magang-liangfen', merchant: 'magang-goose', nameZh: '马冈凉粉', descriptionZh: '马冈非遗生产技艺，草本凉粉，清热解暑。', categoryId: 'industrial.intangible_heritage', town: 'magang', tier: 'mass', temperatureClass: 'chilled', shelfLifeDays: 7, skus: [sku('500', '500克/盒', '盒', g(500), 1200, 300)], certificates: [{ mark: 'magang' }] }),
  product({ key: 'magang-laifen', merchant: 'magang-goose', nameZh: '马冈濑粉', descriptionZh: '马冈非遗技艺手工濑粉，米香浓、口感韧。', categoryId: 'industrial.intangible_heritage', town: 'magang', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 180, skus: [sku('500', '500克/袋', '袋', g(500), 1600, 500)], certificates: [{ mark: 'magang' }, { mark: 'kaiping' }] }),
  product({ key: 'magang-bamboo', merchant: 'magang-goose', nameZh: '马冈竹编果篮', descriptionZh: '马冈竹器非遗技艺，手工编织。', categoryId: 'industrial.intangible_heritage', town: 'magang', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('M', '中号', '件', pcs(1), 12800, 40)], certificates: [{ mark: 'magang' }] }),
  product({ key: 'lion-drum', merchant: 'sanbu-heritage', nameZh: '金声狮鼓纪念鼓', descriptionZh: '三埠街省级非遗金声狮鼓，手工蒙皮小鼓。', categoryId: 'industrial.intangible_heritage', town: 'sanbu', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('30', '鼓面30厘米', '件', pcs(1), 58800, 12)], certificates: [{ mark: 'kaiping' }] }),
];

const SERVICES: DemoProduct[] = [
  product({ key: 'tour-ruishilou', merchant: 'diaoxiang-tour', nameZh: '瑞石楼碉楼导览', descriptionZh: '“开平碉楼第一楼”瑞石楼专业讲解导览，含蚬冈侨心馆参观。', categoryId: 'service.tourism', town: 'xiangang', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('ADULT', '成人票', '张', pcs(1), 9800, 500)], certificates: [{ mark: 'xiangang' }, { mark: 'kaiping' }] }),
  product({ key: 'tour-zilicun', merchant: 'diaoxiang-tour', nameZh: '自力村碉楼一日游', descriptionZh: '塘口镇自力村碉楼群，世界文化遗产，含午餐煲仔饭。', categoryId: 'service.tourism', town: 'tangkou', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('ADULT', '成人 含午餐', '位', pcs(1), 16800, 300)], certificates: [{ mark: 'tangkou' }, { mark: 'kaiping' }] }),
  product({ key: 'tour-jinjiangli', merchant: 'diaoxiang-tour', nameZh: '锦江里碉楼侨心游', descriptionZh: '蚬冈镇锦江里、联登里侨乡文化线路。', categoryId: 'service.tourism', town: 'xiangang', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('ADULT', '成人票', '张', pcs(1), 8800, 400)], certificates: [{ mark: 'xiangang' }] }),
  product({ key: 'tour-majianglong', merchant: 'diaoxiang-tour', nameZh: '马降龙村落群研学游', descriptionZh: '百合镇马降龙村落群与百年杨桃林研学线路。', categoryId: 'service.tourism', town: 'baihe', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('STUDENT', '学生团 每人', '位', pcs(1), 6800, 1000)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'homestay-tangkou', merchant: 'diaoxiang-tour', nameZh: '塘口碉乡民宿', descriptionZh: '《开平市塘口优品民宿服务规范》认定民宿，碉楼田园景观房。', categoryId: 'service.tourism', town: 'tangkou', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('NIGHT', '景观大床房 每晚', '晚', pcs(1), 48800, 30)], certificates: [{ mark: 'tangkou' }] }),
  product({ key: 'hotspring-chishui', merchant: 'chishui-fishery', nameZh: '赤水温泉民宿套餐', descriptionZh: '赤水温泉民宿一晚，含双人温泉与早餐。', categoryId: 'service.tourism', town: 'chishui', tier: 'premium', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('NIGHT', '双人一晚', '晚', pcs(1), 68800, 25)], certificates: [{ mark: 'chishui' }] }),
  product({ key: 'claypot-qiaoxin', merchant: 'xiangang-claypot', nameZh: '侨心煲仔饭', descriptionZh: '蚬冈优品之煲仔饭，腊味、黄鳝可选，保温送达。', categoryId: 'service.catering', town: 'xiangang', tier: 'mass', temperatureClass: 'hot', shelfLifeDays: 0, skus: [sku('LARD', '腊味煲仔饭', '份', pcs(1), 3800, 200), sku('EEL', '柴火黄鳝煲仔饭', '份', pcs(1), 4800, 150)], certificates: [{ mark: 'xiangang' }, { mark: 'kaiping' }] }),
  product({ key: 'youcan-school', merchant: 'tanjiang-youlian', nameZh: '开平优餐·学生营养午餐', descriptionZh: '中央大厨房制作，两荤一素一汤，保温配送，核心温度不低于60°C，烹饪后4小时内食用，每批留样。', categoryId: 'service.catering', town: 'magang', tier: 'mass', temperatureClass: 'hot', shelfLifeDays: 0, skus: [sku('STD', '标准餐 每份', '份', pcs(1), 1500, 3000)], certificates: [{ mark: 'kaiping' }, { mark: 'magang' }] }),
  product({ key: 'youcan-office', merchant: 'tanjiang-youlian', nameZh: '开平优餐·机关工作餐', descriptionZh: '马冈鹅、丝苗米饭为主的标准工作餐，上午下单，中午送达。', categoryId: 'service.catering', town: 'sanbu', tier: 'mid', temperatureClass: 'hot', shelfLifeDays: 0, skus: [sku('STD', '标准餐 每份', '份', pcs(1), 2500, 1500)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'yuecai-chikan', merchant: 'xiangang-claypot', nameZh: '赤坎鱼滑豆腐角', descriptionZh: '赤坎镇“鱼菜共生”食材制作的传统小吃，热链配送。', categoryId: 'service.catering', town: 'chikan', tier: 'mass', temperatureClass: 'hot', shelfLifeDays: 0, skus: [sku('10', '10件/份', '份', pcs(10), 2800, 200)], certificates: [{ mark: 'kaiping' }] }),
  product({ key: 'creative-xiangang', merchant: 'jinji-neutrino', nameZh: '蚬冈侨心文创明信片', descriptionZh: '蚬冈文创，碉楼与侨批主题手绘明信片。', categoryId: 'service.cultural_creative', town: 'xiangang', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('SET', '12张/套', '套', pcs(12), 3900, 500)], certificates: [{ mark: 'xiangang' }] }),
  product({ key: 'creative-tangkou', merchant: 'jinji-neutrino', nameZh: '塘口碉楼文创帆布袋', descriptionZh: '塘口文创，自力村碉楼图案。', categoryId: 'service.cultural_creative', town: 'tangkou', tier: 'mass', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('ONE', '单个', '件', pcs(1), 4900, 300)], certificates: [{ mark: 'tangkou' }] }),
  product({ key: 'creative-neutrino', merchant: 'jinji-neutrino', nameZh: '中微子科普文创积木', descriptionZh: '金鸡镇江门中微子实验室主题科普积木。', categoryId: 'service.cultural_creative', town: 'jinji', tier: 'mid', temperatureClass: 'ambient', shelfLifeDays: 0, skus: [sku('KIT', '一套 420粒', '套', pcs(1), 12900, 150)], certificates: [{ mark: 'jinji' }, { mark: 'kaiping' }] }),
];

export const DEMO_PRODUCTS: readonly DemoProduct[] = [...GOOSE, ...TEA, ...EGGS_POULTRY, ...RICE, ...AQUATIC_VEG, ...INDUSTRIAL, ...SERVICES];

/** Deterministic PRNG (mulberry32) so demo price histories are the same on every seed run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A believable price history for the demo (the price index needs more than one day): each SKU of the
 * index categories drifts by small daily steps over `days` days ending at `end`, goose seasonally up
 * towards the winter festivals. Returns price points per (product key, SKU code), oldest first.
 */
export function demoPriceHistory(end: Date, days: number): { productKey: string; skuCode: string; at: Date; priceFen: number }[] {
  const rand = seededRandom(20231124);
  const out: { productKey: string; skuCode: string; at: Date; priceFen: number }[] = [];
  const indexCategories = new Set(['agri.goose', 'agri.tea', 'agri.rice', 'agri.poultry_eggs']);
  for (const p of DEMO_PRODUCTS) {
    if (!indexCategories.has(p.categoryId)) continue;
    const drift = p.categoryId === 'agri.goose' ? 0.003 : p.categoryId === 'agri.poultry_eggs' ? 0.001 : 0;
    for (const s of p.skus) {
      // Walk backwards from today's price so the last point equals the listed price.
      const prices: number[] = [s.priceFen];
      for (let d = 1; d < days; d++) {
        const step = 1 + drift + (rand() - 0.5) * 0.02;
        prices.unshift(Math.max(1, Math.round(prices[0] / step)));
      }
      prices.forEach((priceFen, i) => {
        const at = new Date(end.getTime() - (days - 1 - i) * 86_400_000);
        out.push({ productKey: p.key, skuCode: s.code, at, priceFen });
      });
    }
  }
  return out;
}

/** The product-input part of a demo product (what a merchant would submit), without seed-only fields. */
export function demoProductBody(p: DemoProduct) {
  return {
    nameZh: p.nameZh,
    descriptionZh: p.descriptionZh,
    categoryId: p.categoryId,
    town: p.town,
    tier: p.tier,
    originDegree: p.originDegree,
    temperatureClass: p.temperatureClass,
    shelfLifeDays: p.shelfLifeDays,
    images: [] as string[],
    skus: p.skus,
  };
}
