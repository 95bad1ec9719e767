import type { BuyerRole, OrganisationType } from '../../domain/institutional/organisation';
import { withCreditCheckChar } from '../../domain/institutional/organisation';

/**
 * Demo institutional buyers of Kaiping (fictional, with valid credit codes of division 440783) and
 * their contracts on the catalog's demo products (ids as catalog's seed derives them: p_demo<key>,
 * s_demo<key><sku>). Used by `apps/orders/src/seed.ts` through the real use cases.
 */
export interface DemoOrg {
  orgId: string;
  name: string;
  type: OrganisationType;
  creditCode: string;
  people: { userId: string; name: string; roles: BuyerRole[] }[];
  sites: { siteId: string; name: string; address: { text: string; lat: number; lng: number }; contact: { name: string; phone: string } }[];
}

const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, from: '06:30', until: '08:00' }));

export const DEMO_ORGS: DemoOrg[] = [
  {
    orgId: 'org-kaiping-no1-middle-school',
    name: '开平市第一中学',
    type: 'school',
    creditCode: withCreditCheckChar('12440783455987612'),
    people: [
      { userId: 'u-buyer-1', name: '关志坚（后勤主任）', roles: ['buyer_admin', 'orderer', 'finance'] },
      { userId: 'demo-no1-orderer', name: '谢美玲（饭堂采购）', roles: ['orderer'] },
      { userId: 'demo-no1-receiver', name: '司徒国强（饭堂验收）', roles: ['site_receiver'] },
    ],
    sites: [
      { siteId: 'site-no1-canteen', name: '第一中学学生饭堂', address: { text: '广东省江门市开平市长沙街道教育路1号', lat: 22.3812, lng: 112.6955 }, contact: { name: '司徒国强', phone: '13702230011' } },
      { siteId: 'site-no1-staff', name: '第一中学教工饭堂', address: { text: '广东省江门市开平市长沙街道教育路1号（教工楼）', lat: 22.3818, lng: 112.6961 }, contact: { name: '谢美玲', phone: '13702230012' } },
    ],
  },
  {
    orgId: 'org-kaiping-changsha-primary',
    name: '开平市长沙中心小学',
    type: 'school',
    creditCode: withCreditCheckChar('12440783455987638'),
    people: [
      { userId: 'demo-cs-admin', name: '吴丽华（总务）', roles: ['buyer_admin', 'orderer', 'finance'] },
      { userId: 'demo-cs-receiver', name: '张伟（饭堂验收）', roles: ['site_receiver'] },
    ],
    sites: [{ siteId: 'site-cs-canteen', name: '长沙中心小学饭堂', address: { text: '广东省江门市开平市长沙街道幕沙路28号', lat: 22.3724, lng: 112.6889 }, contact: { name: '张伟', phone: '13702230021' } }],
  },
  {
    orgId: 'org-kaiping-central-hospital',
    name: '开平市中心医院',
    type: 'hospital',
    creditCode: withCreditCheckChar('12440783455987620'),
    people: [
      { userId: 'demo-hosp-admin', name: '梁建新（营养科）', roles: ['buyer_admin', 'orderer'] },
      { userId: 'demo-hosp-finance', name: '陈秀英（财务科）', roles: ['finance'] },
      { userId: 'demo-hosp-receiver', name: '黄志明（膳食验收）', roles: ['site_receiver'] },
    ],
    sites: [
      { siteId: 'site-hosp-kitchen', name: '中心医院营养膳食中心', address: { text: '广东省江门市开平市三埠街道港口路15号', lat: 22.3668, lng: 112.7043 }, contact: { name: '黄志明', phone: '13702230031' } },
      { siteId: 'site-hosp-ward-b', name: '中心医院住院部B栋配餐间', address: { text: '广东省江门市开平市三埠街道港口路15号B栋', lat: 22.3672, lng: 112.7049 }, contact: { name: '黄志明', phone: '13702230031' } },
    ],
  },
  {
    orgId: 'org-kaiping-agency-canteen',
    name: '开平市机关事务服务中心',
    type: 'agency',
    creditCode: withCreditCheckChar('11440783455987646'),
    people: [{ userId: 'demo-agency-admin', name: '周海燕（机关饭堂）', roles: ['buyer_admin', 'orderer', 'finance', 'site_receiver'] }],
    sites: [{ siteId: 'site-agency-canteen', name: '市政府机关饭堂', address: { text: '广东省江门市开平市长沙街道市府路1号', lat: 22.3771, lng: 112.6982 }, contact: { name: '周海燕', phone: '13702230041' } }],
  },
];

export const DEMO_SITE_WINDOWS = weekdays;

/** Catalog's demo ids (see apps/catalog/src/catalog/seed.service.ts). */
export const P = {
  rice: { productId: 'p_demoricesimiao', skuId: 's_demoricesimiao10kg' },
  goose: { productId: 'p_demogoosewhole', skuId: 's_demogoosewholew30' },
  veg: { productId: 'p_demoveggangling', skuId: 's_demoveggangling5kg' },
  eggs: { productId: 'p_demoeggfreshchicken', skuId: 's_demoeggfreshchicken30' },
  schoolLunch: { productId: 'p_demoyoucanschool', skuId: 's_demoyoucanschoolstd' },
  officeLunch: { productId: 'p_demoyoucanoffice', skuId: 's_demoyoucanofficestd' },
} as const;
