/** Points on the globe and the distances between them. */

export interface LatLon {
  latitude: number;
  longitude: number;
}

/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0088;

const RAD = Math.PI / 180;

/** Great-circle distance in km (haversine formula). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const dLat = (b.latitude - a.latitude) * RAD;
  const dLon = (b.longitude - a.longitude) * RAD;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * RAD) * Math.cos(b.latitude * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Accumulates weighted points as unit vectors, so that a centroid across the antimeridian (Fiji, the
 * US with Alaska) stays on the right side of the globe.
 */
export class CentroidAccumulator {
  private x = 0;
  private y = 0;
  private z = 0;
  private weight = 0;

  add(point: LatLon, weight = 1): void {
    if (!(weight > 0)) return;
    const lat = point.latitude * RAD;
    const lon = point.longitude * RAD;
    this.x += weight * Math.cos(lat) * Math.cos(lon);
    this.y += weight * Math.cos(lat) * Math.sin(lon);
    this.z += weight * Math.sin(lat);
    this.weight += weight;
  }

  get empty(): boolean {
    return this.weight === 0;
  }

  /** The weighted centroid projected back onto the sphere; undefined when nothing was added. */
  centroid(): LatLon | undefined {
    if (this.weight === 0) return undefined;
    const hyp = Math.hypot(this.x, this.y);
    if (hyp === 0 && this.z === 0) return undefined;
    return { latitude: Math.atan2(this.z, hyp) / RAD, longitude: Math.atan2(this.y, this.x) / RAD };
  }
}
