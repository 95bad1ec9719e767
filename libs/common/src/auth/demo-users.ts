import type { AuthUser } from './roles';

/** Demo users for the local stack (ids match the catalog's demo merchants and buyers). */
export const DEMO_USERS: Record<string, AuthUser> = {
  shopper: { userId: 'u-shopper-1', roles: ['shopper'], merchantIds: [], buyerOrgIds: [] },
  merchant: { userId: 'u-merchant-1', roles: ['merchant'], merchantIds: ['m-magang-goose'], buyerOrgIds: [] },
  buyer: { userId: 'u-buyer-1', roles: ['buyer'], merchantIds: [], buyerOrgIds: ['org-kaiping-no1-middle-school'] },
  certifier: { userId: 'u-certifier-1', roles: ['certifier'], merchantIds: [], buyerOrgIds: [] },
  inspector: { userId: 'u-inspector-1', roles: ['inspector'], merchantIds: [], buyerOrgIds: [] },
  dispatcher: { userId: 'u-dispatcher-1', roles: ['dispatcher'], merchantIds: [], buyerOrgIds: [] },
  operator: { userId: 'u-operator-1', roles: ['operator'], merchantIds: [], buyerOrgIds: [] },
};
