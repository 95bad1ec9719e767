import { projector } from './route-plot';

describe('route plot projection', () => {
  it('fits the points inside the margins, north up, keeping the aspect at this latitude', () => {
    const pts = [{ lat: 22.2, lng: 112.4 }, { lat: 22.6, lng: 112.8 }];
    const p = projector(pts, 600, 400, 20);
    const a = p(pts[0]);
    const b = p(pts[1]);
    expect(a.y).toBeGreaterThan(b.y); // south is lower on screen
    for (const q of [a, b]) {
      expect(q.x).toBeGreaterThanOrEqual(20 - 1e-9);
      expect(q.x).toBeLessThanOrEqual(580 + 1e-9);
      expect(q.y).toBeGreaterThanOrEqual(20 - 1e-9);
      expect(q.y).toBeLessThanOrEqual(380 + 1e-9);
    }
    // 0.4° of longitude is shorter than 0.4° of latitude at 22° N.
    expect(Math.abs(b.x - a.x)).toBeLessThan(Math.abs(b.y - a.y));
  });

  it('centres a single point', () => {
    expect(projector([{ lat: 22.4, lng: 112.6 }], 600, 400)({ lat: 22.4, lng: 112.6 })).toEqual({ x: 300, y: 200 });
  });
});
