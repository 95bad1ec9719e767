/** Who is acting. Merchants act for one enterprise; certifiers and inspectors act on everything. */
export type Role = 'merchant' | 'certifier' | 'inspector';

export interface Actor {
  role: Role;
  userId: string;
  /** For merchants: the enterprises they act for. */
  merchantIds?: readonly string[];
}

export function isStaff(actor: Actor): boolean {
  return actor.role === 'certifier' || actor.role === 'inspector';
}

/** Merchants only ever see and act on their own enterprise's records. */
export function canAccessMerchantRecord(actor: Actor, merchantId: string): boolean {
  return isStaff(actor) || (actor.role === 'merchant' && (actor.merchantIds ?? []).includes(merchantId));
}
