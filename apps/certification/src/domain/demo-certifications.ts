import type { CertificateStatus, TownMark } from '@techan/common';
import { TOWN_MARKS } from '@techan/common';
import type { StarLevel } from './schemes/otop';
import type { OriginDegree, ProductOrigin, QualityTier, RegionalMark } from './schemes/regional';

/**
 * The certification side of the demo data: which demo products hold which certificates. The seed
 * issues each one through this service's own workflow (application → evidence → sample → review →
 * approval, GI authorisations recorded by a certifier), so every demo certificate, trace code and
 * status event exists because certification issued it. Product and merchant ids are the catalogue's
 * demo ids (`p_demo…`, `m_demo…`), the same the catalogue's seed gives its rows.
 */
export interface DemoCertificateSpec {
  /** `gi` and `green` are recorded by a certifier (authorisation / external certificate); the others go through the application workflow. */
  mark: 'otop' | 'gi' | 'green' | RegionalMark;
  level?: StarLevel;
  /** The status the demo shows (reached through the lifecycle: failed inspection, quality risk, expiry …). */
  status?: Extract<CertificateStatus, 'yellow_warning' | 'suspended' | 'red_warning' | 'expired'>;
}

export interface DemoCertification {
  key: string;
  productId: string;
  merchantId: string;
  merchantKey: string;
  merchantName: string;
  /** The account owning the demo enterprise (the catalogue's demo owner; `npm run token -- merchant` signs as the first). */
  ownerUserId: string;
  name: string;
  tier: QualityTier;
  origin: ProductOrigin;
  certificates: DemoCertificateSpec[];
}

const slug = (key: string) => key.replace(/[^a-z0-9]/g, '');
export const demoProductId = (key: string) => `p_demo${slug(key)}`;
export const demoMerchantId = (key: string) => `m_demo${slug(key)}`;
export const demoOwnerId = (merchantKey: string) => `demo-merchant-${merchantKey}`;

export const DEMO_MERCHANT_NAMES: Record<string, string> = {
  'magang-goose': '开平市马冈优品鹅业有限公司',
  'dasha-tea': '开平市大沙茶业发展有限公司',
  'tangkou-eggs': '开平市塘口禽蛋养殖专业合作社',
  'shatang-rice': '开平市沙塘优粮米业有限公司',
  'tanjiang-youlian': '开平市潭江优联供应链有限公司',
  'xiangang-claypot': '开平市蚬冈侨心煲仔饭店',
  'diaoxiang-tour': '开平市碉乡文旅发展有限公司',
  'chishui-fishery': '开平市赤水狮山水库渔业专业合作社',
  'jinji-neutrino': '开平市金鸡中微子文创有限公司',
  'sanbu-heritage': '开平市三埠传统食品有限公司',
  'cangcheng-coop': '开平市苍城镇潭碧村股份经济合作社',
  'magang-crafts': '开平市马冈非遗工坊有限公司',
};

/** GI registration each GI-marked demo product is authorised under (see DEMO_GI_REGISTRATIONS). */
export const DEMO_GI_FOR: Record<string, string> = {
  'goose-whole': 'DEMO-AGI-MAGANG-GOOSE',
  'wax-gourd': 'DEMO-GI-TANBI-WAXGOURD',
};

function demo(key: string, merchantKey: string, name: string, town: string, tier: QualityTier, degree: OriginDegree, certificates: DemoCertificateSpec[]): DemoCertification {
  const townMark = (TOWN_MARKS as readonly string[]).includes(town) ? (town as TownMark) : undefined;
  return {
    key,
    productId: demoProductId(key),
    merchantId: demoMerchantId(merchantKey),
    merchantKey,
    merchantName: DEMO_MERCHANT_NAMES[merchantKey],
    ownerUserId: demoOwnerId(merchantKey),
    name,
    tier,
    origin: { ...(townMark ? { town: townMark } : {}), inKaiping: true, degree },
    certificates,
  };
}

export const DEMO_CERTIFICATIONS: readonly DemoCertification[] = [
  demo('goose-whole', 'magang-goose', '马冈鹅（整只，冰鲜）', 'magang', 'premium', 'fully_local', [{ mark: 'gi' }, { mark: 'kaiping' }, { mark: 'magang' }, { mark: 'otop', level: 5 }]),
  demo('goose-roast', 'magang-goose', '马冈烧鹅', 'magang', 'premium', 'fully_local', [{ mark: 'kaiping' }, { mark: 'magang' }]),
  demo('goose-braised', 'magang-goose', '马冈卤鹅预制菜', 'magang', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'magang' }, { mark: 'otop', level: 3 }]),
  demo('goose-liver', 'magang-goose', '马冈鹅肝', 'magang', 'premium', 'fully_local', [{ mark: 'magang' }, { mark: 'kaiping' }]),
  demo('goose-gizzard', 'magang-goose', '马冈鹅肾', 'magang', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'magang' }]),
  demo('goose-feet', 'magang-goose', '马冈鹅掌', 'magang', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'magang' }]),
  demo('goose-wings', 'magang-goose', '马冈鹅翼', 'magang', 'mass', 'fully_local', [{ mark: 'magang' }]),
  demo('goose-roll', 'magang-goose', '马冈鹅蛋卷', 'magang', 'mid', 'partly_local_main', [{ mark: 'green' }, { mark: 'magang' }, { mark: 'kaiping' }]),
  demo('goose-pate', 'magang-goose', '马冈鹅肝酱', 'magang', 'premium', 'partly_local_main', [{ mark: 'magang' }]),
  demo('goose-gosling', 'magang-goose', '马冈鹅苗', 'magang', 'mass', 'fully_local', [{ mark: 'magang' }]),
  demo('tea-yellow-king', 'dasha-tea', '大沙里黄茶（茶王）', 'dasha', 'premium', 'fully_local', [{ mark: 'kaiping' }, { mark: 'dasha' }, { mark: 'otop', level: 5 }]),
  demo('tea-black', 'dasha-tea', '大沙红茶', 'dasha', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'dasha' }, { mark: 'kaiping' }]),
  demo('tea-green', 'dasha-tea', '大沙绿茶', 'dasha', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'dasha' }]),
  demo('tea-yellow', 'dasha-tea', '大沙黄茶', 'dasha', 'mass', 'fully_local', [{ mark: 'dasha' }, { mark: 'otop', level: 2 }]),
  demo('tea-gift', 'dasha-tea', '大沙茶三色礼盒（红茶·绿茶·黄茶）', 'dasha', 'premium', 'fully_local', [{ mark: 'kaiping' }, { mark: 'dasha' }]),
  demo('egg-century', 'tangkou-eggs', '开平皮蛋', 'tangkou', 'mass', 'fully_local', [{ mark: 'tangkou' }, { mark: 'kaiping' }]),
  demo('egg-salted', 'tangkou-eggs', '非遗咸蛋', 'changsha', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'kaiping' }, { mark: 'otop', level: 3 }]),
  demo('egg-fresh-chicken', 'tangkou-eggs', '塘口走地鸡蛋', 'tangkou', 'mass', 'fully_local', [{ mark: 'tangkou' }]),
  demo('egg-cooked', 'tangkou-eggs', '卤水熟食蛋', 'tangkou', 'mass', 'fully_local', [{ mark: 'tangkou' }]),
  demo('chicken-yueshan', 'tangkou-eggs', '月山鸡（冰鲜）', 'yueshan', 'premium', 'fully_local', [{ mark: 'kaiping' }, { mark: 'otop', level: 4 }]),
  demo('pigeon', 'tangkou-eggs', '开平乳鸽', 'tangkou', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'tangkou' }]),
  demo('duck-roast', 'tangkou-eggs', '开平烧鸭预制菜', 'tangkou', 'mass', 'partly_local_main', [{ mark: 'tangkou' }]),
  demo('rice-simiao', 'shatang-rice', '开平生态丝苗米', 'shatang', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'kaiping' }]),
  demo('rice-low-gi', 'shatang-rice', '开平稳糖米', 'shatang', 'premium', 'fully_local', [{ mark: 'kaiping' }, { mark: 'otop', level: 4 }]),
  demo('rice-xiaozhan', 'shatang-rice', '开平小粘米', 'cangcheng', 'mass', 'fully_local', [{ mark: 'kaiping' }]),
  demo('rice-noodle', 'shatang-rice', '丝苗米粉', 'shatang', 'mass', 'partly_local_main', [{ mark: 'kaiping' }]),
  demo('rice-gift', 'shatang-rice', '丝苗米礼盒', 'shatang', 'premium', 'fully_local', [{ mark: 'kaiping' }]),
  demo('fish-dasha', 'chishui-fishery', '大沙水库鱼', 'dasha', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'dasha' }]),
  demo('fish-shishan', 'chishui-fishery', '狮山水库鱼', 'chishui', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'chishui' }, { mark: 'kaiping' }]),
  demo('water-shishan', 'chishui-fishery', '狮山山泉水', 'chishui', 'mass', 'fully_local', [{ mark: 'kaiping' }, { mark: 'chishui' }]),
  demo('orange-wogan', 'cangcheng-coop', '开平沃柑', 'cangcheng', 'mass', 'fully_local', [{ mark: 'kaiping' }]),
  demo('dragonfruit', 'cangcheng-coop', '开平红心火龙果', 'magang', 'mass', 'fully_local', [{ mark: 'magang' }]),
  demo('wax-gourd', 'cangcheng-coop', '潭碧冬瓜', 'cangcheng', 'mid', 'fully_local', [{ mark: 'gi' }, { mark: 'kaiping' }]),
  demo('lettuce-dasha', 'cangcheng-coop', '大沙麦菜', 'dasha', 'mass', 'fully_local', [{ mark: 'dasha' }]),
  demo('watercress', 'jinji-neutrino', '金鸡泉水西洋菜', 'jinji', 'mass', 'fully_local', [{ mark: 'jinji' }]),
  demo('veg-gangling', 'cangcheng-coop', '冈陵时令蔬菜箱', 'cangcheng', 'mass', 'fully_local', [{ mark: 'kaiping', status: 'yellow_warning' }]),
  demo('sugar-apple', 'cangcheng-coop', '马冈释迦果', 'magang', 'premium', 'fully_local', [{ mark: 'magang', status: 'expired' }]),
  demo('biscuit', 'tanjiang-youlian', '开平优品手信饼干', 'sanbu', 'mid', 'brand_licensed', [{ mark: 'green' }, { mark: 'kaiping' }]),
  demo('soy-sauce', 'tanjiang-youlian', '开平优品头抽酱油', 'sanbu', 'mass', 'brand_licensed', [{ mark: 'kaiping' }]),
  demo('fermented-tofu', 'sanbu-heritage', '广合腐乳', 'sanbu', 'mass', 'fully_local', [{ mark: 'kaiping' }, { mark: 'otop', level: 4 }]),
  demo('binji-cake', 'sanbu-heritage', '彬记老婆饼', 'sanbu', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'kaiping' }]),
  demo('xinchang-dimsum', 'sanbu-heritage', '新昌茶楼速冻点心', 'sanbu', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'kaiping' }]),
  demo('douchi', 'sanbu-heritage', '张桥豆豉', 'longsheng', 'mass', 'fully_local', [{ mark: 'kaiping' }]),
  demo('guilinggao', 'sanbu-heritage', '洪玄堂龟苓膏', 'longsheng', 'mass', 'fully_local', [{ mark: 'kaiping', status: 'suspended' }]),
  demo('yue-sauce', 'tanjiang-youlian', '粤师傅酱料', 'cangcheng', 'mass', 'fully_local', [{ mark: 'kaiping' }]),
  demo('water-dasha', 'dasha-tea', '大沙山泉水', 'dasha', 'mass', 'fully_local', [{ mark: 'kaiping' }, { mark: 'dasha' }]),
  demo('garlic', 'tanjiang-youlian', '水口金山火蒜', 'shuikou', 'mass', 'fully_local', [{ mark: 'kaiping', status: 'red_warning' }]),
  demo('lingzhi', 'tanjiang-youlian', '健芝缘灵芝切片', 'shuikou', 'premium', 'fully_local', [{ mark: 'kaiping' }]),
  demo('copper-diaolou', 'jinji-neutrino', '手工铜制碉楼摆件', 'jinji', 'premium', 'fully_local', [{ mark: 'kaiping' }, { mark: 'otop', level: 3 }]),
  demo('jade-pot', 'jinji-neutrino', '手工玉石花盆', 'jinji', 'premium', 'fully_local', [{ mark: 'kaiping' }]),
  demo('magang-liangfen', 'magang-goose', '马冈凉粉', 'magang', 'mass', 'fully_local', [{ mark: 'magang' }]),
  demo('magang-laifen', 'magang-goose', '马冈濑粉', 'magang', 'mass', 'fully_local', [{ mark: 'magang' }, { mark: 'kaiping' }]),
  demo('magang-bamboo', 'magang-goose', '马冈竹编果篮', 'magang', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'magang' }]),
  demo('lion-drum', 'sanbu-heritage', '金声狮鼓纪念鼓', 'sanbu', 'premium', 'fully_local', [{ mark: 'kaiping' }]),
  demo('tour-ruishilou', 'diaoxiang-tour', '瑞石楼碉楼导览', 'xiangang', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'xiangang' }, { mark: 'kaiping' }]),
  demo('tour-zilicun', 'diaoxiang-tour', '自力村碉楼一日游', 'tangkou', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'tangkou' }, { mark: 'kaiping' }]),
  demo('tour-jinjiangli', 'diaoxiang-tour', '锦江里碉楼侨心游', 'xiangang', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'xiangang' }]),
  demo('tour-majianglong', 'diaoxiang-tour', '马降龙村落群研学游', 'baihe', 'mass', 'fully_local', [{ mark: 'kaiping' }]),
  demo('homestay-tangkou', 'diaoxiang-tour', '塘口碉乡民宿', 'tangkou', 'premium', 'fully_local', [{ mark: 'tangkou' }]),
  demo('hotspring-chishui', 'chishui-fishery', '赤水温泉民宿套餐', 'chishui', 'premium', 'fully_local', [{ mark: 'chishui' }]),
  demo('claypot-qiaoxin', 'xiangang-claypot', '侨心煲仔饭', 'xiangang', 'mass', 'fully_local', [{ mark: 'xiangang' }, { mark: 'kaiping' }]),
  demo('youcan-school', 'tanjiang-youlian', '开平优餐·学生营养午餐', 'magang', 'mass', 'fully_local', [{ mark: 'kaiping' }, { mark: 'magang' }]),
  demo('youcan-office', 'tanjiang-youlian', '开平优餐·机关工作餐', 'sanbu', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'kaiping' }]),
  demo('yuecai-chikan', 'xiangang-claypot', '赤坎鱼滑豆腐角', 'chikan', 'mass', 'fully_local', [{ mark: 'kaiping' }]),
  demo('creative-xiangang', 'jinji-neutrino', '蚬冈侨心文创明信片', 'xiangang', 'mass', 'fully_local', [{ mark: 'xiangang' }]),
  demo('creative-tangkou', 'jinji-neutrino', '塘口碉楼文创帆布袋', 'tangkou', 'mass', 'fully_local', [{ mark: 'tangkou' }]),
  demo('creative-neutrino', 'jinji-neutrino', '中微子科普文创积木', 'jinji', 'mid', 'fully_local', [{ mark: 'green' }, { mark: 'jinji' }, { mark: 'kaiping' }]),
];
