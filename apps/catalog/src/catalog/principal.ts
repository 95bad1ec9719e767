/** The authenticated caller as the catalogue needs it (filled from the verified JWT). */
export interface Principal {
  sub: string;
  roles: readonly string[];
}

export const ROLE_MERCHANT = 'merchant';
export const ROLE_OPERATOR = 'operator';

export function isOperator(p: Principal): boolean {
  return p.roles.includes(ROLE_OPERATOR);
}
