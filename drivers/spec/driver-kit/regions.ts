// Regions from a provider's region codes plus a table of where they are.
// Why here: providers name their regions but rarely say where they are; each driver keeps its
// own table, and the rule for turning code + table + zones into a spec Region is the same.
import { type ProviderId, regionId, zoneId } from '../ids.ts';
import type { Region } from '../schemas.ts';

/** Where a region is: the documented location (city coordinates). */
export interface RegionFacts {
  displayName: string;
  city: string;
  countryCode: string;
  continent: string;
  latitude: number;
  longitude: number;
}

/** One row of a driver's region table. */
export function regionFact(
  displayName: string,
  city: string,
  countryCode: string,
  continent: string,
  latitude: number,
  longitude: number,
): RegionFacts {
  return { displayName, city, countryCode, continent, latitude, longitude };
}

/**
 * A spec Region. A region newer than the driver's table keeps `fallbackName` (the provider's
 * name, or the code) and sits at 0,0 until added to the table.
 */
export function regionFromFacts(
  provider: ProviderId,
  code: string,
  facts: RegionFacts | undefined,
  fallbackName: string,
  zones: readonly { code: string; displayName?: string }[],
): Region {
  return {
    id: regionId(provider, code),
    provider,
    code,
    displayName: facts?.displayName ?? fallbackName,
    latitude: facts?.latitude ?? 0,
    longitude: facts?.longitude ?? 0,
    ...(facts ? { city: facts.city, countryCode: facts.countryCode, continent: facts.continent } : {}),
    zones: zones.map((zone) => ({ id: zoneId(provider, code, zone.code), ...zone })),
  };
}
