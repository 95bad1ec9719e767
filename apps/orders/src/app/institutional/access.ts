import { applyDecorators, ForbiddenException, Inject, Injectable, NotFoundException, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { AuthUser } from '@techan/common';
import type { BuyerRole } from '../../domain/institutional/organisation';
import { INST_ORGANISATION, type OrganisationDoc } from '../persistence/institutional.schemas';

/**
 * Who may see and do what for an organisation. The ONE place that resolves membership: today from the
 * token's `buyerOrgIds` plus the organisation's people list (roles); when membership moves server-side
 * only `memberOf` changes. Operators see every organisation.
 */
@Injectable()
export class InstitutionalAccess {
  constructor(@InjectModel(INST_ORGANISATION) private readonly orgs: Model<OrganisationDoc>) {}

  isOperator(user: AuthUser): boolean {
    return user.roles.includes('operator');
  }

  /** The organisations a user may read, or 'all' for operators. */
  visibleOrgIds(user: AuthUser): 'all' | string[] {
    if (this.isOperator(user)) return 'all';
    return user.roles.includes('buyer') ? user.buyerOrgIds : [];
  }

  private memberOf(user: AuthUser, orgId: string): boolean {
    const visible = this.visibleOrgIds(user);
    return visible === 'all' || visible.includes(orgId);
  }

  /** For paths naming the organisation: another organisation's → 403. */
  assertOrg(user: AuthUser, orgId: string): void {
    if (!this.memberOf(user, orgId)) throw new ForbiddenException('不能查看或操作其他单位的数据');
  }

  /** For a resource found by id: another organisation's is reported as not found (no existence leak). */
  assertResource(user: AuthUser, orgId: string, what = '记录'): void {
    if (!this.memberOf(user, orgId)) throw new NotFoundException(`${what}不存在`);
  }

  /** A member with one of `roles` in the organisation's people list (operators pass). */
  async assertRole(user: AuthUser, orgId: string, roles: BuyerRole[], resource = false): Promise<void> {
    if (resource) this.assertResource(user, orgId);
    else this.assertOrg(user, orgId);
    if (this.isOperator(user)) return;
    const org = await this.orgs.findById(orgId, { people: 1 }).lean<OrganisationDoc>().exec();
    const person = org?.people.find((p) => p.userId === user.userId);
    if (!person || !person.roles.some((r) => roles.includes(r))) {
      throw new ForbiddenException(`需要本单位以下角色之一：${roles.join(', ')}`);
    }
  }

  /** Mongo filter restricting a query to the visible organisations. */
  orgFilter(user: AuthUser): Record<string, unknown> {
    const v = this.visibleOrgIds(user);
    return v === 'all' ? {} : { orgId: { $in: v } };
  }

  /** A list query: the visible organisations, narrowed to `orgId` when asked (another organisation's → 403). */
  scope(user: AuthUser, orgId?: string): Record<string, unknown> {
    if (orgId) this.assertOrg(user, orgId);
    return { ...this.orgFilter(user), ...(orgId ? { orgId } : {}) };
  }

  /**
   * A record found by id: another organisation's is not found (404); with `roles`, the caller also needs
   * one of them in the record's organisation (403). Returns the record.
   */
  async own<T extends { orgId: string }>(user: AuthUser, record: T, what: string, roles?: BuyerRole[]): Promise<T> {
    if (roles) await this.assertRole(user, record.orgId, roles, true);
    else this.assertResource(user, record.orgId, what);
    return record;
  }
}

const ORG_ROLES = 'institutional:org-roles';

/** Checks `@OrgMember` routes: the `:orgId` of the path against the caller (after the global auth guard). */
@Injectable()
export class OrgMemberGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(InstitutionalAccess) private readonly access: InstitutionalAccess,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const roles = this.reflector.get<BuyerRole[] | undefined>(ORG_ROLES, ctx.getHandler());
    if (!roles) return true;
    const req = ctx.switchToHttp().getRequest<{ user?: AuthUser; params: Record<string, string | undefined> }>();
    const orgId = req.params['orgId'];
    if (!req.user || !orgId) throw new ForbiddenException('不能查看或操作其他单位的数据');
    if (roles.length) await this.access.assertRole(req.user, orgId, roles);
    else this.access.assertOrg(req.user, orgId);
    return true;
  }
}

/**
 * For routes whose path names the organisation (`:orgId`): members only (403 for another organisation's),
 * and with `roles`, a member holding one of them. Replaces the per-route access preamble.
 */
export const OrgMember = (...roles: BuyerRole[]) => applyDecorators(SetMetadata(ORG_ROLES, roles), UseGuards(OrgMemberGuard));
