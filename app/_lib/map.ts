// The world map's pure parts: the projection, status colours, and markers grouped where they would
// overlap. Kept apart from the component so they are tested without a DOM.
import { type GeoProjection, geoNaturalEarth1 } from 'd3-geo';

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 500;

/** A thing to put on the map: a node, a region with specs, … */
export interface MapPoint {
  id: string;
  latitude: number;
  longitude: number;
  /** What the tooltip and the screen reader say, e.g. "web-1 · Running · Korea (Seoul)". */
  label: string;
  /** A VM or MCI status; decides the colour unless `color` is given. */
  status?: string;
  /** A CSS colour, for points that have no status (catalog results). */
  color?: string;
  href?: string;
}

/** The colour families of statuses, as the dashboard's legend names them. */
export type StatusTone = 'running' | 'creating' | 'suspended' | 'failed' | 'other';

/** Running green, on its way blue, Suspended amber, Failed/Terminated red. Partial-X is X's tone. */
export function statusTone(status: string | undefined): StatusTone {
  const word = (status ?? '')
    .replace(/^Partial-/i, '')
    .split(/[:\s(]/)[0]
    ?.toLowerCase();
  switch (word) {
    case 'running':
      return 'running';
    case 'creating':
    case 'pending':
    case 'resuming':
    case 'suspending':
    case 'rebooting':
    case 'preparing':
      return 'creating';
    case 'suspended':
      return 'suspended';
    case 'failed':
    case 'terminated':
    case 'terminating':
    case 'deleting':
      return 'failed';
    default:
      return 'other';
  }
}

/** Which tone a marker of several points shows: the one that needs attention first. */
const TONE_PRIORITY: StatusTone[] = ['failed', 'creating', 'suspended', 'running', 'other'];

/** The projection of the whole globe into the map's box. */
export function worldProjection(width = MAP_WIDTH, height = MAP_HEIGHT): GeoProjection {
  return geoNaturalEarth1().fitExtent(
    [
      [4, 4],
      [width - 4, height - 4],
    ],
    { type: 'Sphere' },
  );
}

/** The smallest area a fitted map shows, degrees: one region alone still shows its surroundings. */
const MIN_SPAN_LONGITUDE = 50;
const MIN_SPAN_LATITUDE = 30;

/**
 * A projection zoomed to the points (with room around them), or the whole globe when there are none
 * or they spread over most of it. Longitudes are not unwrapped across the antimeridian: points on
 * both sides of the Pacific simply give a wide view.
 */
export function fittedProjection(
  points: readonly Pick<MapPoint, 'latitude' | 'longitude'>[],
  width = MAP_WIDTH,
  height = MAP_HEIGHT,
): GeoProjection {
  const usable = points.filter(
    (point) => Number.isFinite(point.latitude) && Number.isFinite(point.longitude),
  );
  if (usable.length === 0) return worldProjection(width, height);
  const longitudes = usable.map((point) => point.longitude);
  const latitudes = usable.map((point) => point.latitude);
  let west = Math.min(...longitudes);
  let east = Math.max(...longitudes);
  let south = Math.min(...latitudes);
  let north = Math.max(...latitudes);
  if (east - west > 240 || north - south > 120) return worldProjection(width, height);
  const padLongitude = Math.max((MIN_SPAN_LONGITUDE - (east - west)) / 2, (east - west) * 0.15);
  const padLatitude = Math.max((MIN_SPAN_LATITUDE - (north - south)) / 2, (north - south) * 0.15);
  west = Math.max(west - padLongitude, -180);
  east = Math.min(east + padLongitude, 180);
  south = Math.max(south - padLatitude, -85);
  north = Math.min(north + padLatitude, 85);
  return geoNaturalEarth1().fitExtent(
    [
      [4, 4],
      [width - 4, height - 4],
    ],
    {
      type: 'MultiPoint',
      coordinates: [
        [west, south],
        [west, north],
        [east, south],
        [east, north],
        [(west + east) / 2, south],
        [(west + east) / 2, north],
      ],
    },
  );
}

/** Points close enough on screen to be drawn as one marker with a count. */
export interface MapMarker {
  id: string;
  x: number;
  y: number;
  points: MapPoint[];
  tone: StatusTone;
  /** The representative status (of the points with the marker's tone). */
  status: string;
  /** For points without a status: the colour most of them have. */
  color: string | undefined;
  /** Set when every point links to the same place. */
  href: string | undefined;
}

/**
 * Projects the points and merges those within `radius` (map units) of a marker into it, in input
 * order; a marker sits at the mean of its points. Points that cannot be projected are left out.
 */
export function groupPoints(
  points: readonly MapPoint[],
  project: (coordinates: [number, number]) => [number, number] | null,
  radius = 8,
): MapMarker[] {
  const groups: { x: number; y: number; sumX: number; sumY: number; points: MapPoint[] }[] = [];
  for (const point of points) {
    if (!Number.isFinite(point.latitude) || !Number.isFinite(point.longitude)) continue;
    const projected = project([point.longitude, point.latitude]);
    if (!projected) continue;
    const [x, y] = projected;
    const near = groups.find((group) => Math.hypot(group.x - x, group.y - y) <= radius);
    if (near) {
      near.points.push(point);
      near.sumX += x;
      near.sumY += y;
      near.x = near.sumX / near.points.length;
      near.y = near.sumY / near.points.length;
    } else {
      groups.push({ x, y, sumX: x, sumY: y, points: [point] });
    }
  }
  return groups.map((group) => {
    const tones = group.points.map((point) => statusTone(point.status));
    const tone = TONE_PRIORITY.find((candidate) => tones.includes(candidate)) ?? 'other';
    const first = group.points[0];
    const status = group.points.find((point) => statusTone(point.status) === tone)?.status ?? '';
    const hrefs = new Set(group.points.map((point) => point.href));
    return {
      id: group.points.map((point) => point.id).join('|'),
      x: Math.round(group.x * 10) / 10,
      y: Math.round(group.y * 10) / 10,
      points: group.points,
      tone,
      status,
      color: tone === 'other' ? commonestColor(group.points) : undefined,
      href: hrefs.size === 1 ? first?.href : undefined,
    };
  });
}

function commonestColor(points: readonly MapPoint[]): string | undefined {
  const counts = new Map<string, number>();
  for (const point of points) if (point.color) counts.set(point.color, (counts.get(point.color) ?? 0) + 1);
  let best: string | undefined;
  for (const [color, count] of counts)
    if (best === undefined || count > (counts.get(best) ?? 0)) best = color;
  return best;
}

/** The marker's radius in map units: bigger for more points, but never covering a continent. */
export function markerRadius(count: number): number {
  return Math.min(6 + Math.sqrt(Math.max(count, 1) - 1) * 3, 16);
}
