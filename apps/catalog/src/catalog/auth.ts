import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '@techan/common';
import type { Principal } from './principal';

/**
 * The verified caller as the catalogue's services see it. Authentication and roles are the shared
 * AuthGuard's (@Public / @Roles from @techan/common); this only adapts its user.
 */
export function principalOf(user: AuthUser): Principal {
  return { sub: user.userId, roles: user.roles, merchantIds: user.merchantIds };
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
  // The global guard rejects unauthenticated calls to non-public routes before this runs.
  if (!user) throw new Error('CurrentPrincipal used on a public route');
  return principalOf(user);
});
