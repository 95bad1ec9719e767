import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { InvalidTokenError, verifyToken } from './jwt';
import { MEMBERSHIP_RESOLVER, type MembershipResolver } from './memberships';
import type { AuthUser, Role } from './roles';

export const JWT_SECRET = Symbol('JWT_SECRET');
export const PUBLIC_KEY = 'techan:public';
const ROLES_KEY = 'techan:roles';

/** Marks a route as reachable without a token (health, public verification, pages). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Restricts a route to users holding at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

type AuthedRequest = Request & { user?: AuthUser };

/** The verified user of the current request. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().user;
});

/**
 * Global guard: every HTTP route needs a valid bearer token unless marked @Public (401 otherwise),
 * and the roles named by @Roles (403 otherwise). Event handlers are not HTTP and pass through.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    // Explicit token: tools that emit no decorator metadata (tsx/esbuild) can still construct it.
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(JWT_SECRET) private readonly secret: string,
    @Optional() @Inject(MEMBERSHIP_RESOLVER) private readonly memberships?: MembershipResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (token) {
      try {
        request.user = verifyToken(this.secret, token);
      } catch (error) {
        if (!this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
          throw new UnauthorizedException(error instanceof InvalidTokenError ? `invalid token: ${error.message}` : 'invalid token');
        }
      }
    }
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (!request.user) throw new UnauthorizedException('a bearer token is required');
    await this.addMemberships(request.user);
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (roles?.length && !roles.some((r) => request.user?.roles.includes(r))) {
      throw new ForbiddenException(`requires one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  /** Organisations the user acts for now, as the owning services last said (see MembershipModule). */
  private async addMemberships(user: AuthUser): Promise<void> {
    if (!this.memberships) return;
    const held = await this.memberships.resolve(user.userId);
    user.merchantIds = [...new Set([...user.merchantIds, ...held.merchantIds])];
    user.buyerOrgIds = [...new Set([...user.buyerOrgIds, ...held.buyerOrgIds])];
  }
}

/** Ownership: the user must act for this merchant, unless a role that acts on all is held. */
export function assertActsForMerchant(user: AuthUser, merchantId: string, unrestrictedRoles: Role[] = ['operator']): void {
  if (user.roles.some((r) => unrestrictedRoles.includes(r))) return;
  if (!user.merchantIds.includes(merchantId)) throw new ForbiddenException('not your merchant');
}

/** Ownership for institutional buyers. */
export function assertActsForBuyerOrg(user: AuthUser, orgId: string, unrestrictedRoles: Role[] = ['operator']): void {
  if (user.roles.some((r) => unrestrictedRoles.includes(r))) return;
  if (!user.buyerOrgIds.includes(orgId)) throw new ForbiddenException('not your organisation');
}
