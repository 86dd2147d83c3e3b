import { describe, expect, it } from 'vitest';
import {
  fittedProjection,
  groupPoints,
  MAP_HEIGHT,
  MAP_WIDTH,
  markerRadius,
  statusTone,
  worldProjection,
} from './map.ts';

const project = (coordinates: [number, number]) => worldProjection()(coordinates);

const SEOUL = { latitude: 37.56, longitude: 126.98 };
const SEOUL_GCP = { latitude: 37.5, longitude: 127.0 };
const FRANKFURT = { latitude: 50.11, longitude: 8.68 };

describe('statusTone', () => {
  it('colours VM and MCI statuses by family', () => {
    expect(statusTone('Running')).toBe('running');
    expect(statusTone('Running:3 (R:3/3)')).toBe('running');
    expect(statusTone('Partial-Running:2 (R:2/3 C:1/3)')).toBe('running');
    for (const status of ['Creating', 'Pending', 'Resuming', 'Suspending', 'Rebooting'])
      expect(statusTone(status)).toBe('creating');
    expect(statusTone('Suspended:2 (S:2/2)')).toBe('suspended');
    for (const status of ['Failed', 'Terminated', 'Terminating']) expect(statusTone(status)).toBe('failed');
    expect(statusTone(undefined)).toBe('other');
    expect(statusTone('')).toBe('other');
  });
});

describe('worldProjection', () => {
  it('puts the globe inside the map, east to the right and north up', () => {
    const seoul = project([SEOUL.longitude, SEOUL.latitude]);
    const frankfurt = project([FRANKFURT.longitude, FRANKFURT.latitude]);
    const sydney = project([151.2, -33.87]);
    if (!seoul || !frankfurt || !sydney) throw new Error('not projected');
    for (const [x, y] of [seoul, frankfurt, sydney]) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(MAP_WIDTH);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(MAP_HEIGHT);
    }
    expect(seoul[0]).toBeGreaterThan(frankfurt[0]);
    expect(frankfurt[1]).toBeLessThan(seoul[1]);
    expect(sydney[1]).toBeGreaterThan(MAP_HEIGHT / 2);
  });
});

describe('fittedProjection', () => {
  const inside = ([x, y]: [number, number]) => x > 0 && x < MAP_WIDTH && y > 0 && y < MAP_HEIGHT;

  it('zooms to the points, keeping all of them on the map with room around', () => {
    const points = [SEOUL, FRANKFURT];
    const projection = fittedProjection(points);
    for (const point of points) {
      const projected = projection([point.longitude, point.latitude]);
      expect(projected && inside(projected)).toBe(true);
    }
    // Zoomed in: Seoul and Frankfurt lie further apart than on the world map.
    const distance = (projected: typeof projection) => {
      const [a, b] = [SEOUL, FRANKFURT].map(
        (point) => projected([point.longitude, point.latitude]) ?? [0, 0],
      );
      return Math.hypot((a?.[0] ?? 0) - (b?.[0] ?? 0), (a?.[1] ?? 0) - (b?.[1] ?? 0));
    };
    expect(distance(projection)).toBeGreaterThan(distance(worldProjection()));
    // Sydney is off this map.
    const sydney = projection([151.2, -33.87]);
    expect(sydney && inside(sydney)).toBe(false);
  });

  it('shows the surroundings of one place, centred', () => {
    const projected = fittedProjection([SEOUL])([SEOUL.longitude, SEOUL.latitude]);
    expect(projected?.[0]).toBeCloseTo(MAP_WIDTH / 2, -1);
    expect(projected?.[1]).toBeCloseTo(MAP_HEIGHT / 2, -1);
  });

  it('falls back to the globe for no points or points all over it', () => {
    const world = worldProjection();
    for (const points of [[], [SEOUL, { latitude: 37.4, longitude: -122 }]]) {
      const projection = fittedProjection(points);
      expect(projection.scale()).toBeCloseTo(world.scale(), 6);
      expect(projection.translate()).toEqual(world.translate());
    }
  });
});

describe('groupPoints', () => {
  it('draws nodes in one city as one marker with the status that needs attention first', () => {
    const markers = groupPoints(
      [
        { id: 'a', ...SEOUL, label: 'web-1', status: 'Running', href: '/mci/x' },
        { id: 'b', ...SEOUL_GCP, label: 'db-1', status: 'Creating', href: '/mci/x' },
        { id: 'c', ...FRANKFURT, label: 'web-2', status: 'Suspended', href: '/mci/y' },
        { id: 'd', ...SEOUL, label: 'web-3', status: 'Running', href: '/mci/x' },
      ],
      project,
    );
    expect(markers).toHaveLength(2);
    const [seoul, frankfurt] = markers;
    expect(seoul?.points.map((point) => point.id)).toEqual(['a', 'b', 'd']);
    expect(seoul?.tone).toBe('creating');
    expect(seoul?.status).toBe('Creating');
    expect(seoul?.href).toBe('/mci/x');
    expect(frankfurt?.tone).toBe('suspended');
    expect(frankfurt?.points).toHaveLength(1);
  });

  it('keeps no common link when points link to different places, and the colour most points have', () => {
    const markers = groupPoints(
      [
        { id: 'a', ...SEOUL, label: 'a', color: '#123456', href: '/one' },
        { id: 'b', ...SEOUL, label: 'b', color: '#abcdef', href: '/two' },
        { id: 'c', ...SEOUL_GCP, label: 'c', color: '#abcdef', href: '/two' },
      ],
      project,
    );
    expect(markers).toHaveLength(1);
    expect(markers[0]?.href).toBeUndefined();
    expect(markers[0]?.color).toBe('#abcdef');
    expect(markers[0]?.tone).toBe('other');
  });

  it('colours by status, not by colour, when points have statuses', () => {
    const markers = groupPoints(
      [{ id: 'a', ...SEOUL, label: 'a', status: 'Running', color: '#123456' }],
      project,
    );
    expect(markers[0]?.color).toBeUndefined();
    expect(markers[0]?.tone).toBe('running');
  });

  it('leaves out points without usable coordinates', () => {
    const markers = groupPoints(
      [
        { id: 'a', latitude: Number.NaN, longitude: 0, label: 'a' },
        { id: 'b', ...FRANKFURT, label: 'b' },
      ],
      project,
    );
    expect(markers.map((marker) => marker.id)).toEqual(['b']);
  });
});

describe('markerRadius', () => {
  it('grows with the count, within bounds', () => {
    expect(markerRadius(1)).toBe(6);
    expect(markerRadius(5)).toBeGreaterThan(markerRadius(2));
    expect(markerRadius(10_000)).toBe(16);
  });
});
