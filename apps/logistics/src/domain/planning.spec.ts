import { solve } from '@techan/dispatch-solver';
import { buildProblem, chinaDate, chooseDepot, demandKg, planToRoutes } from './planning';

const depot = { id: 'd1', lat: 22.3765, lng: 112.6983, opensAt: '06:00', closesAt: '20:00' };

describe('planning a depot day', () => {
  it('turns windows into minutes of the China day, keeps ride limits and edits, and maps the plan back to times', () => {
    const problem = buildProblem(
      '2026-11-30',
      depot,
      [{ id: 'v1', compartments: [{ temperatureClass: 'hot', capacityKg: 200 }], fixedCostFen: 30_000, perKmCostFen: 300, shift: { start: '09:00', end: '14:00' } }],
      [{ id: 's1', lat: 22.39, lng: 112.7, windowFrom: '2026-11-30T03:30:00Z', windowUntil: '2026-11-30T04:30:00Z', serviceMinutes: 10, demandKg: { hot: 40 }, maxRideMinutes: 120 }],
      { locks: { s1: 'v1' }, fixedPrefixes: {} },
    );
    expect(problem.vehicles[0]).toMatchObject({ shiftStart: 540, shiftEnd: 840 });
    expect(problem.stops[0]).toMatchObject({ timeWindow: { start: 690, end: 750 }, maxRideTime: 120, lockedVehicleId: 'v1' });
    const routes = planToRoutes('2026-11-30', solve(problem, { maxIterations: 200, timeLimitMs: 5000, seed: 1 }));
    expect(routes).toHaveLength(1);
    const arrival = Date.parse(routes[0].stops[0].serviceStart);
    expect(arrival).toBeGreaterThanOrEqual(Date.parse('2026-11-30T03:30:00Z'));
    expect(arrival).toBeLessThanOrEqual(Date.parse('2026-11-30T04:30:00Z'));
  });

  it('rounds demand up to whole kg per class', () => {
    expect(demandKg([
      { temperatureClass: 'frozen', weightGrams: 2500 },
      { temperatureClass: 'frozen', weightGrams: 600 },
      { temperatureClass: 'ambient', weightGrams: 0 },
    ])).toEqual({ frozen: 4, ambient: 1 });
  });

  it('dates instants in China time', () => {
    expect(chinaDate('2026-11-29T17:00:00Z')).toBe('2026-11-30');
  });

  it('sends hot meals from the central kitchen and goods from the nearest warehouse', () => {
    const depots = [
      { id: 'dc', kind: 'county_dc' as const, lat: 22.37, lng: 112.69 },
      { id: 'wh-chishui', kind: 'regional_warehouse' as const, lat: 22.25, lng: 112.55 },
      { id: 'kitchen', kind: 'central_kitchen' as const, lat: 22.38, lng: 112.71 },
    ];
    expect(chooseDepot(depots, { lat: 22.26, lng: 112.56, hot: true })?.id).toBe('kitchen');
    expect(chooseDepot(depots, { lat: 22.26, lng: 112.56, hot: false })?.id).toBe('wh-chishui');
    expect(chooseDepot(depots, { lat: 22.38, lng: 112.7, hot: false })?.id).toBe('dc');
  });
});
