/**
 * Where regions are, for the map: the catalog's regions (restricted ones included, so a spec the
 * catalog lists always has coordinates), indexed by id once per process.
 */
import { loadRegions } from '../catalog/load/index.ts';

export interface RegionPlace {
  displayName: string;
  latitude: number;
  longitude: number;
}

let index: Map<string, RegionPlace> | undefined;

/** The region "provider+region", or undefined when the catalog does not know it. */
export function regionPlace(regionId: string): RegionPlace | undefined {
  if (!index) {
    index = new Map();
    for (const region of loadRegions())
      index.set(region.id, {
        displayName: region.displayName,
        latitude: region.latitude,
        longitude: region.longitude,
      });
  }
  return index.get(regionId);
}
