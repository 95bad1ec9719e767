import { ForbiddenException, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '@techan/common';
import type { Actor, Role } from '../../domain';

/** Most powerful first: a user holding several roles acts with the strongest one this service knows. */
const ROLES: readonly Role[] = ['certifier', 'inspector', 'merchant'];

/** Maps the verified user (set by the global AuthGuard) to the domain's Actor. */
export function actorFromUser(user: AuthUser | undefined): Actor {
  if (!user) throw new UnauthorizedException('需要登录');
  const role = ROLES.find((r) => user.roles.includes(r));
  if (!role) throw new ForbiddenException('该账号没有认证服务的权限（需要企业、评定中心或检查员角色）');
  if (role === 'merchant' && user.merchantIds.length === 0) throw new ForbiddenException('企业账号未关联任何企业');
  return { role, userId: user.userId, ...(role === 'merchant' ? { merchantIds: user.merchantIds } : {}) };
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  return actorFromUser(context.switchToHttp().getRequest<{ user?: AuthUser }>().user);
});

/** Mongo filter restricting a listing to what the actor may see. */
export function merchantScope(actor: Actor, requested?: string): Record<string, unknown> {
  if (actor.role !== 'merchant') return requested ? { merchantId: requested } : {};
  const own = actor.merchantIds ?? [];
  if (requested) return { merchantId: own.includes(requested) ? requested : { $in: [] } };
  return { merchantId: { $in: [...own] } };
}
