/**
 * Feasible routes of good plans the search has visited, each with the cheapest plan it was part
 * of: the columns of the set-partitioning step (route-combiner.ts). Only routes of plans close to
 * the best are worth offering — the set partitioning over every route seen took seconds to minutes
 * on long routes, over those of plans within 1 % of the best a tenth of a second.
 */
export class RoutePool {
  private readonly entries = new Map<string, { stops: number[]; cost: number; planCost: number }>();

  get size(): number {
    return this.entries.size;
  }

  /** Adds a route (its stops without depots; the pool keeps the array) seen in a plan of cost `planCost`. */
  add(stops: number[], cost: number, planCost: number): void {
    const key = stops.join(',');
    const known = this.entries.get(key);
    if (!known) this.entries.set(key, { stops, cost, planCost });
    else if (planCost < known.planCost) known.planCost = planCost;
  }

  /** Drops the routes of plans above `maxPlanCost` (they can no longer be offered). */
  prune(maxPlanCost: number): void {
    for (const [key, e] of this.entries) if (e.planCost > maxPlanCost) this.entries.delete(key);
  }

  /** The routes of plans up to `maxPlanCost`, with their costs and the index of each route's key. */
  candidates(maxPlanCost: number): { routes: number[][]; costs: number[]; indexOf: Map<string, number> } {
    const routes: number[][] = [];
    const costs: number[] = [];
    const indexOf = new Map<string, number>();
    for (const [key, e] of this.entries) {
      if (e.planCost > maxPlanCost) continue;
      indexOf.set(key, routes.length);
      routes.push(e.stops);
      costs.push(e.cost);
    }
    return { routes, costs, indexOf };
  }
}
