/** Roles as the edge reports them (the same names as the services' tokens). */
export type Role = 'shopper' | 'merchant' | 'buyer' | 'certifier' | 'inspector' | 'dispatcher' | 'operator';

export const ROLE_NAMES: Record<Role, string> = {
  shopper: '消费者',
  merchant: '商家',
  buyer: '机团客户',
  certifier: '评定中心',
  inspector: '检查员',
  dispatcher: '调度员',
  operator: '品牌营运',
};

export interface NavItem {
  to: string;
  label: string;
}

/**
 * The links in the header, per role. Everyone sees the hall; each console appears for the roles
 * that may use it (the cart is its own link with an item count, for guests and shoppers:
 * hall/cart-link.tsx). An area added by another team adds its entry here (see apps/web/README.md).
 */
const AREA_LINKS: { to: string; label: string; roles: Role[] }[] = [
  { to: '/hall', label: '品牌馆', roles: [] },
  { to: '/hall/price-index', label: '价格指数', roles: [] },
  { to: '/merchant', label: '商家中心', roles: ['merchant'] },
  { to: '/certifier', label: '评定工作台', roles: ['certifier', 'inspector'] },
  { to: '/operator', label: '营运管理', roles: ['operator'] },
  { to: '/dispatch', label: '物流调度', roles: ['dispatcher', 'operator'] },
  { to: '/buyer', label: '机团采购', roles: ['buyer'] },
  { to: '/orders', label: '我的订单', roles: ['shopper'] },
];

export function navigationFor(roles: readonly Role[]): NavItem[] {
  return AREA_LINKS.filter((l) => !l.roles.length || l.roles.some((r) => roles.includes(r))).map(({ to, label }) => ({ to, label }));
}

/** Where a person lands after signing in: the console of their first role with one, else the hall. */
export function homeFor(roles: readonly Role[]): string {
  if (roles.includes('merchant')) return '/merchant';
  if (roles.includes('certifier') || roles.includes('inspector')) return '/certifier';
  if (roles.includes('operator')) return '/operator';
  if (roles.includes('dispatcher')) return '/dispatch';
  if (roles.includes('buyer')) return '/buyer';
  return '/hall';
}
