import { evaluateOrderable, type CatalogueItem } from '../../../domain/orderable';
import { findSubstitute } from '../../../domain/institutional/substitute';
import type { CallOffLineDoc, ContractDoc } from '../../persistence/institutional.schemas';

/** Catalogue look-ups one review needs, cached for a whole generation run. */
export interface CatalogueLookup {
  item(productId: string): Promise<CatalogueItem | null>;
  category(categoryId: string): Promise<CatalogueItem[]>;
}

/**
 * Re-evaluates a call-off's lines for its delivery moment (the certified-only rule at the delivery
 * date). An orderable line is ok; a line that is not gets the best equal-or-better substitute —
 * applied at once under an `auto` policy, offered for approval under `approve` — or is unavailable,
 * with the reason in Chinese. Lines the buyer already decided (substituted by approval, dropped) keep
 * their decision unless the substitute itself stopped being orderable.
 */
export async function reviewLines(
  lines: readonly CallOffLineDoc[],
  policy: ContractDoc['substitutionPolicy'],
  at: Date,
  lookup: CatalogueLookup,
): Promise<CallOffLineDoc[]> {
  const out: CallOffLineDoc[] = [];
  for (const line of lines) {
    if (line.quantity === 0 || line.state === 'dropped') {
      out.push(line);
      continue;
    }
    const item = await lookup.item(line.productId);
    const verdict = evaluateOrderable(item, line.skuId, at);
    if (verdict.orderable) {
      // The original is orderable (again): deliver it, forget offers.
      out.push({ ...without(line, 'substitute', 'reasonZh', 'substituteDecidedBy'), state: 'ok' });
      continue;
    }
    const reasonZh = verdict.reasonZh ?? '该产品暂不可购买';
    if (line.state === 'substituted' && line.substitute) {
      const still = evaluateOrderable(await lookup.item(line.substitute.productId), line.substitute.skuId, at);
      if (still.orderable) {
        out.push({ ...line, reasonZh });
        continue;
      }
    }
    const candidates = item?.categoryId && policy !== 'none' ? await lookup.category(item.categoryId) : [];
    const offer = item && policy !== 'none' ? findSubstitute(item, line, candidates, at) : null;
    if (!offer) {
      out.push({ ...without(line, 'substitute'), state: 'unavailable', reasonZh: policy === 'none' ? `${reasonZh}（合同不允许替换）` : `${reasonZh}，暂无同等或更高认证的替代品` });
    } else if (policy === 'auto') {
      out.push({ ...line, state: 'substituted', reasonZh, substitute: offer, substituteDecidedBy: 'contract:auto' });
    } else {
      const same = line.state === 'substitute-offered' && line.substitute?.skuId === offer.skuId;
      out.push({ ...line, state: same ? line.state : 'substitute-offered', reasonZh, substitute: offer });
    }
  }
  return out;
}

function without(line: CallOffLineDoc, ...keys: (keyof CallOffLineDoc)[]): CallOffLineDoc {
  const copy = { ...line };
  for (const k of keys) delete copy[k];
  return copy;
}

/** The product, SKU and price actually delivered for a line (the substitute's when substituted). */
export function deliveredAs(line: CallOffLineDoc): { productId: string; skuId: string; nameZh: string; unitPriceFen: number } {
  if (line.state === 'substituted' && line.substitute) {
    const s = line.substitute;
    return { productId: s.productId, skuId: s.skuId, nameZh: `${s.nameZh}（替代 ${line.nameZh}）`, unitPriceFen: s.unitPriceFen };
  }
  return { productId: line.productId, skuId: line.skuId, nameZh: line.nameZh, unitPriceFen: line.unitPriceFen };
}

/** Lines that will be delivered: ok ones and approved/automatic substitutes, with a positive quantity. */
export function deliverableLines(lines: readonly CallOffLineDoc[]): CallOffLineDoc[] {
  return lines.filter((l) => l.quantity > 0 && (l.state === 'ok' || l.state === 'substituted'));
}

export function totalFen(lines: readonly CallOffLineDoc[]): number {
  return deliverableLines(lines).reduce((sum, l) => sum + l.quantity * deliveredAs(l).unitPriceFen, 0);
}

/** A lookup over the catalogue store with per-run caches. */
export function cachedLookup(store: { find(id: string): Promise<CatalogueItem | null>; findByCategory(c: string): Promise<CatalogueItem[]> }, prefetched?: Map<string, CatalogueItem>): CatalogueLookup {
  const items = new Map<string, Promise<CatalogueItem | null>>();
  prefetched?.forEach((v, k) => items.set(k, Promise.resolve(v)));
  const categories = new Map<string, Promise<CatalogueItem[]>>();
  return {
    item: (id) => {
      if (!items.has(id)) items.set(id, store.find(id));
      return items.get(id) as Promise<CatalogueItem | null>;
    },
    category: (c) => {
      if (!categories.has(c)) categories.set(c, store.findByCategory(c));
      return categories.get(c) as Promise<CatalogueItem[]>;
    },
  };
}
