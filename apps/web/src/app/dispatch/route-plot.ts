/**
 * Draws routes over the stops' coordinates without map tiles: an equirectangular projection of the
 * bounding box (with a margin) into an SVG viewBox, longitudes scaled by cos(latitude) so distances
 * look right at Kaiping's latitude.
 */
export interface GeoPoint {
  lat: number;
  lng: number;
}

export function projector(points: readonly GeoPoint[], width: number, height: number, margin = 24): (p: GeoPoint) => { x: number; y: number } {
  if (points.length === 0) return () => ({ x: width / 2, y: height / 2 });
  const lats = points.map((p) => p.lat);
  const lngs = points.map((p) => p.lng);
  const [minLat, maxLat, minLng, maxLng] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLng - minLng) * k, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
  const [midLat, midLng] = [(minLat + maxLat) / 2, (minLng + maxLng) / 2];
  return (p) => ({ x: width / 2 + (p.lng - midLng) * k * scale, y: height / 2 - (p.lat - midLat) * scale });
}

/** Distinct colours for up to 12 routes, then repeating. */
export const ROUTE_COLOURS = ['#1677ff', '#fa541c', '#52c41a', '#722ed1', '#eb2f96', '#13c2c2', '#faad14', '#2f54eb', '#a0d911', '#f5222d', '#597ef7', '#08979c'];
