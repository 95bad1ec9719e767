import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
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
}
