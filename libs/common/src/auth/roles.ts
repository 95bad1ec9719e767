export const ROLES = ['shopper', 'merchant', 'buyer', 'certifier', 'inspector', 'dispatcher', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** What a verified token says about its bearer. */
export interface AuthUser {
  userId: string;
  roles: Role[];
  /** Merchants (enterprises) the user acts for. */
  merchantIds: string[];
  /** Institutional buyer organisations the user acts for. */
  buyerOrgIds: string[];
}
