import { describe, expect, it } from 'vitest';
import { CentroidAccumulator, distanceKm } from './geo.ts';

describe('distanceKm', () => {
  it.each([
    [
      'Seoul–Tokyo',
      { latitude: 37.5665, longitude: 126.978 },
      { latitude: 35.6895, longitude: 139.6917 },
      1160,
    ],
    [
      'London–Paris',
      { latitude: 51.5074, longitude: -0.1278 },
      { latitude: 48.8566, longitude: 2.3522 },
      344,
    ],
    [
      'New York–Los Angeles',
      { latitude: 40.7128, longitude: -74.006 },
      { latitude: 34.0522, longitude: -118.2437 },
      3936,
    ],
    ['across the antimeridian', { latitude: 0, longitude: 179.5 }, { latitude: 0, longitude: -179.5 }, 111],
  ])('%s', (_name, a, b, km) => {
    expect(distanceKm(a, b)).toBeGreaterThan(km * 0.99);
    expect(distanceKm(a, b)).toBeLessThan(km * 1.01);
  });

  it('is zero for one point and symmetric', () => {
    const a = { latitude: 10, longitude: 20 };
    const b = { latitude: -30, longitude: 140 };
    expect(distanceKm(a, a)).toBe(0);
    expect(distanceKm(a, b)).toBeCloseTo(distanceKm(b, a), 9);
  });
});

describe('CentroidAccumulator', () => {
  it('stays on the right side of the antimeridian', () => {
    const accumulator = new CentroidAccumulator();
    accumulator.add({ latitude: -17, longitude: 178 });
    accumulator.add({ latitude: -17, longitude: -178 });
    const centroid = accumulator.centroid();
    expect(Math.abs(centroid?.longitude ?? 0)).toBeGreaterThan(179);
  });

  it('weighs points', () => {
    const accumulator = new CentroidAccumulator();
    accumulator.add({ latitude: 0, longitude: 0 }, 3);
    accumulator.add({ latitude: 0, longitude: 10 }, 1);
    expect(accumulator.centroid()?.longitude).toBeCloseTo(2.5, 0);
    expect(new CentroidAccumulator().centroid()).toBeUndefined();
  });
});
