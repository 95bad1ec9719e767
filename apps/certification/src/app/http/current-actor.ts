import { ForbiddenException, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { Actor, Role } from '../../domain';

const ROLES: readonly Role[] = ['certifier', 'inspector', 'merchant'];

/**
 * Maps the authenticated principal (set on the request by the JWT guard) to the domain's Actor.
 * A principal holding several roles acts with the most powerful one this service knows.
 */
export function actorFromPrincipal(principal: unknown): Actor {
  const p = principal as { sub?: unknown; userId?: unknown; roles?: unknown; merchantId?: unknown } | undefined;
  if (!p) throw new UnauthorizedException('需要登录');
  const userId = typeof p.sub === 'string' ? p.sub : typeof p.userId === 'string' ? p.userId : undefined;
  if (!userId) throw new UnauthorizedException('登录信息无效');
  const roles = Array.isArray(p.roles) ? p.roles : [];
  const role = ROLES.find((r) => roles.includes(r));
  if (!role) throw new ForbiddenException('该账号没有认证服务的权限（需要企业、评定或检查员角色）');
  if (role === 'merchant' && typeof p.merchantId !== 'string') throw new ForbiddenException('企业账号缺少所属企业');
  return { role, userId, ...(role === 'merchant' ? { merchantId: p.merchantId as string } : {}) };
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<{ user?: unknown }>();
  return actorFromPrincipal(request.user);
});
