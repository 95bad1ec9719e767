import { layoutIndexChart } from './chart';

describe('layoutIndexChart', () => {
  it('keeps the base 100 inside the range and maps the first and last day to the box edges', () => {
    const g = layoutIndexChart(
      [
        { day: '2026-11-01', index: 104 },
        { day: '2026-11-02', index: 106.5 },
        { day: '2026-11-03', index: 103 },
      ],
      720,
      260,
      40,
    );
    expect(g.min).toBe(99);
    expect(g.max).toBe(108);
    expect(g.points[0].x).toBe(40);
    expect(g.points[2].x).toBe(680);
    // higher index → higher on screen (smaller y); the base line lies below every point here
    expect(g.points[1].y).toBeLessThan(g.points[0].y);
    expect(g.baseY).toBeGreaterThan(g.points[2].y);
    expect(g.path).toMatch(/^M40,[\d.]+ L360,[\d.]+ L680,[\d.]+$/);
  });

  it('draws a single day without dividing by zero', () => {
    const g = layoutIndexChart([{ day: '2026-11-01', index: 100 }]);
    expect(g.points[0].x).toBe(40);
    expect(Number.isFinite(g.points[0].y)).toBe(true);
  });
});
