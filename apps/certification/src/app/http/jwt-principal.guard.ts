import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import jwt from 'jsonwebtoken';

export const JWT_SECRET = Symbol('JWT_SECRET');

/** Verifies the bearer token (HS256) and puts its claims on `request.user`. */
@Injectable()
export class JwtPrincipalGuard implements CanActivate {
  constructor(@Inject(JWT_SECRET) private readonly secret: string) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: unknown }>();
    const header = request.headers['authorization'] ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('需要登录（缺少 Bearer 令牌）');
    try {
      request.user = jwt.verify(match[1], this.secret, { algorithms: ['HS256'] });
      return true;
    } catch {
      throw new UnauthorizedException('登录令牌无效或已过期');
    }
  }
}
