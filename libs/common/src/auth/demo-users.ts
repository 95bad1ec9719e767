import type { AuthUser } from './roles';

/**
 * Demo users for the local stack. The merchant is the account that owns the catalogue's demo enterprise
 * 开平市马冈优品鹅业有限公司 (`m_demomaganggoose`, owner `demo-merchant-magang-goose`); services also
 * resolve its memberships server-side (MembershipModule), so the token's list is only a convenience.
 */
export const DEMO_USERS: Record<string, AuthUser> = {
  shopper: { userId: 'u-shopper-1', roles: ['shopper'], merchantIds: [], buyerOrgIds: [] },
  merchant: { userId: 'demo-merchant-magang-goose', roles: ['merchant'], merchantIds: ['m_demomaganggoose'], buyerOrgIds: [] },
  buyer: { userId: 'u-buyer-1', roles: ['buyer'], merchantIds: [], buyerOrgIds: ['org-kaiping-no1-middle-school'] },
  certifier: { userId: 'u-certifier-1', roles: ['certifier'], merchantIds: [], buyerOrgIds: [] },
  inspector: { userId: 'u-inspector-1', roles: ['inspector'], merchantIds: [], buyerOrgIds: [] },
  dispatcher: { userId: 'u-dispatcher-1', roles: ['dispatcher'], merchantIds: [], buyerOrgIds: [] },
  operator: { userId: 'u-operator-1', roles: ['operator'], merchantIds: [], buyerOrgIds: [] },
};
