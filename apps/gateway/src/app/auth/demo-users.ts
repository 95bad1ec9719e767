import { DEMO_USERS } from '@techan/common';
import type { SessionIdentity } from '../../domain/identity';

/** How each demo user is introduced on the local sign-in page (the identities are libs/common's). */
const INTRODUCTIONS: Record<string, { displayName: string; description: string }> = {
  shopper: { displayName: '陈晓敏（消费者）', description: '逛品牌馆、购买认证特产、扫码验真' },
  merchant: { displayName: '关伟强（马冈鹅养殖专业合作社）', description: '企业入驻、商品与库存、申请认证' },
  buyer: { displayName: '李主任（开平市第一中学食堂）', description: '机团采购合同、定期配送、月结' },
  certifier: { displayName: '黄评审（评定中心）', description: '受理申请、审核、发证、预警' },
  inspector: { displayName: '周检查员（评定中心）', description: '现场评审与年度检查' },
  dispatcher: { displayName: '梁调度（冷链配送中心）', description: '线路规划、温度监控、签收' },
  operator: { displayName: '司徒经理（开平优品品牌营运）', description: '企业入驻审核、品牌馆、价格指数' },
};

export interface DemoUserCard {
  key: string;
  displayName: string;
  description: string;
  roles: string[];
}

export function demoUserCards(): DemoUserCard[] {
  return Object.entries(DEMO_USERS).map(([key, user]) => ({
    key,
    roles: user.roles,
    displayName: INTRODUCTIONS[key]?.displayName ?? key,
    description: INTRODUCTIONS[key]?.description ?? '',
  }));
}

export function demoIdentity(key: string): SessionIdentity | undefined {
  if (!Object.prototype.hasOwnProperty.call(DEMO_USERS, key)) return undefined;
  const user = DEMO_USERS[key];
  return { ...user, displayName: INTRODUCTIONS[key]?.displayName ?? key };
}
