import {
  applyDecorators,
  createParamDecorator,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from './principal';

/** Route metadata read by the auth guard: public routes skip it, others require one of the roles. */
export const PUBLIC_ROUTE = 'catalog:public';
export const REQUIRED_ROLES = 'catalog:roles';

export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
export const Authenticated = (...roles: string[]) => applyDecorators(SetMetadata(REQUIRED_ROLES, roles));

/** The verified caller, set on the request by the guard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

/** Verifies a bearer token and returns the caller, or null when the token is not valid. */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
export type TokenVerifier = (token: string) => Principal | null | Promise<Principal | null>;

/**
 * Every route is closed unless marked @Public(); @Authenticated(...roles) needs a valid bearer token
 * carrying one of the roles. Ownership (a merchant manages only its own products) is checked in the
 * services, where the owner is known.
 */
@Injectable()
export class CatalogAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets);
    if (!roles) throw new ForbiddenException('route has no access rule');
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const header = req.headers['authorization'] ?? '';
    const token = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header)?.[1];
    const principal = token ? await this.verify(token) : null;
    if (!principal) throw new UnauthorizedException('需要登录');
    if (roles.length && !roles.some((r) => principal.roles.includes(r))) throw new ForbiddenException('没有权限');
    req.principal = principal;
    return true;
  }
}
