export interface ChartGeometry {
  width: number;
  height: number;
  /** SVG path of the series */
  path: string;
  /** y of the base line (index 100) */
  baseY: number;
  min: number;
  max: number;
  points: { x: number; y: number; day: string; index: number }[];
}

/**
 * Lays a price index series out in an SVG box: the y range always includes the base 100, with a
 * margin, so a flat series is a flat line on the base and not a zoomed-in zigzag. Plain maths, so
 * a chart library (≈100 KB) is not needed for one line.
 */
export function layoutIndexChart(points: { day: string; index: number }[], width = 720, height = 260, pad = 40): ChartGeometry {
  const values = points.map((p) => p.index);
  const min = Math.floor(Math.min(100, ...values) - 1);
  const max = Math.ceil(Math.max(100, ...values) + 1);
  const x = (i: number) => pad + (i * (width - 2 * pad)) / Math.max(1, points.length - 1);
  const y = (v: number) => height - pad - ((v - min) * (height - 2 * pad)) / (max - min);
  const laid = points.map((p, i) => ({ x: round(x(i)), y: round(y(p.index)), day: p.day, index: p.index }));
  return {
    width,
    height,
    path: laid.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' '),
    baseY: round(y(100)),
    min,
    max,
    points: laid,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
