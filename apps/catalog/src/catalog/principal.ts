/** The authenticated caller as the catalogue needs it (from the verified JWT). */
export interface Principal {
  sub: string;
  roles: readonly string[];
  /** Enterprises the account acts for (token claim), besides those it registered itself. */
  merchantIds: readonly string[];
}

export const ROLE_MERCHANT = 'merchant';
export const ROLE_OPERATOR = 'operator';

export function isOperator(p: Principal): boolean {
  return p.roles.includes(ROLE_OPERATOR);
}

/** A merchant account manages an enterprise it registered or one its token says it acts for. */
export function actsFor(p: Principal, merchant: { _id: string; ownerId: string }): boolean {
  return merchant.ownerId === p.sub || p.merchantIds.includes(merchant._id);
}
