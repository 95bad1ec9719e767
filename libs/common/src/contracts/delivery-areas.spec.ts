import { DELIVERY_AREAS, deliveryArea } from './delivery-areas';

describe('delivery areas of Kaiping', () => {
  it('has every town and subdistrict once, each placed inside the county', () => {
    expect(DELIVERY_AREAS).toHaveLength(16);
    expect(new Set(DELIVERY_AREAS.map((a) => a.code)).size).toBe(16);
    expect(new Set(DELIVERY_AREAS.map((a) => a.nameZh)).size).toBe(16);
    for (const a of DELIVERY_AREAS) {
      // Kaiping (开平市) lies within about 22.05–22.65 °N, 112.30–112.95 °E.
      expect(a.lat).toBeGreaterThan(22.05);
      expect(a.lat).toBeLessThan(22.65);
      expect(a.lng).toBeGreaterThan(112.3);
      expect(a.lng).toBeLessThan(112.95);
    }
  });

  it('finds an area by code, and nothing for an unknown one', () => {
    expect(deliveryArea('chikan')?.nameZh).toBe('赤坎镇');
    expect(deliveryArea('beijing')).toBeUndefined();
  });
});
