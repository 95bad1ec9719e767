import { ForbiddenException, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '@techan/common';
import type { DepotDoc } from './persistence/schemas';

/**
 * Who may act for a depot: operators for every depot; dispatchers and drivers (users with the
 * `dispatcher` role) only for depots that list them as staff. A depot that does not exist is a 404.
 */
export function assertActsForDepot(user: AuthUser, depot: Pick<DepotDoc, '_id' | 'staffUserIds'> | null | undefined): asserts depot {
  if (!depot) throw new NotFoundException('配送中心不存在');
  if (user.roles.includes('operator')) return;
  if (user.roles.includes('dispatcher') && depot.staffUserIds.includes(user.userId)) return;
  throw new ForbiddenException(`无权操作配送中心 ${depot._id}`);
}

/** Depot ids a user may see (undefined: all). */
export function depotScope(user: AuthUser): { staffUserIds?: string } {
  return user.roles.includes('operator') ? {} : { staffUserIds: user.userId };
}
