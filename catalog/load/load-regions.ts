import type { ProviderId, Zone } from '../../drivers/spec/index.ts';
import { isProviderId, regionId, zoneId } from '../../drivers/spec/index.ts';
import { distanceKm } from '../places/geo.ts';
import type { CatalogRegion } from '../schemas.ts';
import { readDataJson, readDataYaml } from './data-files.ts';
import { cachedOnDisk } from './disk-cache.ts';
import {
  continentOf,
  countryFromSpiderDisplayName,
  isCityName,
  type Place,
  placeFromDisplayText,
} from './geography.ts';
import { RESTRICTED_REGIONS } from './restricted-regions.ts';

/**
 * cloudinfo.yaml has an `openstack-ex01` key: a second OpenStack deployment, given as an example of an
 * OpenStack-based cloud. s2a folds it into provider `openstack`; both deployments call their region
 * "RegionOne", so the example's region code gets this prefix to keep codes unique.
 */
const FOLDED_PROVIDERS: Record<string, { provider: ProviderId; codePrefix: string }> = {
  'openstack-ex01': { provider: 'openstack', codePrefix: 'ex01-' },
};

// Providers whose locations regions.json (mcp-server-cloud-regions) covers, keyed by region code.
const LOCATED_BY_REGIONS_JSON = new Set<ProviderId>(['aws', 'azure', 'gcp']);

interface CloudInfoRegion {
  location?: { display?: string; latitude?: number; longitude?: number };
  zone?: string[];
}

interface CloudInfo {
  cloud: Record<string, { region?: Record<string, CloudInfoRegion> }>;
}

interface SpiderRegionMeta {
  DisplayName?: Record<string, Record<string, string>>;
  CSPDisplayName?: Record<string, Record<string, string>>;
}

interface RegionsJson {
  regions: {
    provider: string;
    regionCode: string;
    displayName?: string;
    location: {
      countryCode?: string;
      city?: string;
      continent?: string;
      latitude?: number;
      longitude?: number;
    };
  }[];
}

function readSpiderMeta(provider: ProviderId): SpiderRegionMeta {
  return readDataYaml(`cloud-barista/cb-spider-region-meta/${provider}_region_meta.yaml`) as SpiderRegionMeta;
}

function regionsJsonIndex(): Map<string, RegionsJson['regions'][number]> {
  const data = readDataJson('mcp-server-cloud-regions/data/regions.json') as RegionsJson;
  return new Map(data.regions.map((region) => [`${region.provider}+${region.regionCode}`, region]));
}

/** Beyond this, two sources placing one region apart means one of them is wrong. */
const COORDINATE_DISAGREEMENT_KM = 200;

/**
 * Regions no second source covers whose cloudinfo point is plainly elsewhere than the city its
 * display names (Alibaba's "UK (London)" sits in Ireland, at 53, -8).
 */
const CITY_COORDINATES: Record<string, { latitude: number; longitude: number }> = {
  'alibaba+eu-west-1': { latitude: 51.5072, longitude: -0.1276 },
};

/**
 * cloudinfo.yaml has a few misplaced points (AWS Osaka at 131.7°E, Stockholm at 64.6°N, Azure
 * Spain Central east of Madrid's meridian). Where regions.json places the same region more than
 * 200 km away, at the city the region is named for, its point is used; distances drive "near X".
 */
function correctedCoordinates(
  provider: ProviderId,
  code: string,
  source: { latitude: number; longitude: number },
  regionsJson: Map<string, RegionsJson['regions'][number]>,
): { latitude: number; longitude: number } {
  const curated = CITY_COORDINATES[`${provider}+${code}`];
  if (curated) return curated;
  const other = LOCATED_BY_REGIONS_JSON.has(provider)
    ? regionsJson.get(`${provider}+${code}`)?.location
    : undefined;
  if (typeof other?.latitude !== 'number' || typeof other.longitude !== 'number') return source;
  const otherPoint = { latitude: other.latitude, longitude: other.longitude };
  return distanceKm(source, otherPoint) > COORDINATE_DISAGREEMENT_KM ? otherPoint : source;
}

/**
 * Location fields for one region. AWS, Azure and GCP: regions.json by region code (its "city" is
 * sometimes a US state, which is dropped). Others, and AWS/Azure/GCP regions regions.json lacks:
 * the cloudinfo display text, with CB-Spider's "Country, Place" metadata as a cross-check on the
 * country. When the two disagree the country stays undefined (the continent is kept if they share it).
 */
function locate(
  provider: ProviderId,
  code: string,
  display: string,
  spiderDisplay: string | undefined,
  regionsJson: Map<string, RegionsJson['regions'][number]>,
): Pick<CatalogRegion, 'city' | 'countryCode' | 'continent'> {
  const known = LOCATED_BY_REGIONS_JSON.has(provider) ? regionsJson.get(`${provider}+${code}`) : undefined;
  if (known) {
    const countryCode = known.location.countryCode;
    return {
      city: isCityName(known.location.city) ? known.location.city : undefined,
      countryCode: countryCode && /^[A-Z]{2}$/.test(countryCode) ? countryCode : undefined,
      continent: known.location.continent ?? continentOf(countryCode),
    };
  }
  const place: Place = placeFromDisplayText(display);
  const spiderCountry = countryFromSpiderDisplayName(spiderDisplay);
  let countryCode = place.countryCode ?? spiderCountry;
  let continent = continentOf(countryCode);
  if (place.countryCode && spiderCountry && place.countryCode !== spiderCountry) {
    const displayContinent = continentOf(place.countryCode);
    continent = displayContinent === continentOf(spiderCountry) ? displayContinent : undefined;
    countryCode = undefined;
  }
  return { city: place.city, countryCode, continent };
}

function zonesOf(
  provider: ProviderId,
  regionCode: string,
  sourceRegionCode: string,
  zoneCodes: string[],
  spider: SpiderRegionMeta,
): Zone[] {
  const names = spider.CSPDisplayName?.[sourceRegionCode] ?? {};
  const regionName = names[''];
  return zoneCodes.map((code) => {
    const zone: Zone = { id: zoneId(provider, regionCode, code), code };
    // Only a zone-specific name is worth keeping; most entries repeat the region's name.
    const name = names[code];
    if (name && name !== regionName && name !== code) zone.displayName = name;
    return zone;
  });
}

/**
 * The restricted regions (restricted-regions.ts). cloudinfo.yaml comments them out, mostly without
 * coordinates, so they are located from regions.json; they have no availability zones.
 */
function restrictedRegions(regionsJson: Map<string, RegionsJson['regions'][number]>): CatalogRegion[] {
  const regions: CatalogRegion[] = [];
  for (const [provider, table] of Object.entries(RESTRICTED_REGIONS) as [
    ProviderId,
    Record<string, string>,
  ][]) {
    for (const [code, restricted] of Object.entries(table)) {
      const known = regionsJson.get(`${provider}+${code}`);
      const { latitude, longitude } = known?.location ?? {};
      if (!known || typeof latitude !== 'number' || typeof longitude !== 'number') {
        throw new Error(`regions.json has no coordinates for restricted region ${provider}+${code}`);
      }
      regions.push({
        id: regionId(provider, code),
        provider,
        code,
        displayName: known.displayName?.trim() || code,
        latitude,
        longitude,
        ...withoutUndefined(locate(provider, code, code, undefined, regionsJson)),
        zones: [],
        restricted,
      });
    }
  }
  return regions;
}

let cachedRegions: CatalogRegion[] | undefined;

/**
 * The catalog's regions: the enabled regions of cloudinfo.yaml for the ten providers, with
 * coordinates and zones, then the restricted regions (marked `restricted`; not in the sim's world).
 */
export function loadRegions(): CatalogRegion[] {
  cachedRegions ??= cachedOnDisk('regions', parseRegions);
  return [...cachedRegions];
}

function parseRegions(): CatalogRegion[] {
  const info = readDataYaml('cloud-barista/cb-tumblebug-assets/cloudinfo.yaml') as CloudInfo;
  const regionsJson = regionsJsonIndex();
  const spiderByProvider = new Map<ProviderId, SpiderRegionMeta>();
  const regions: CatalogRegion[] = [];
  for (const [cloudKey, cloud] of Object.entries(info.cloud)) {
    const folded = FOLDED_PROVIDERS[cloudKey];
    const provider = folded?.provider ?? (isProviderId(cloudKey) ? cloudKey : undefined);
    if (!provider) throw new Error(`cloudinfo.yaml: unknown provider key "${cloudKey}"`);
    // CB-Spider metadata serves the providers regions.json does not cover (YAML parsing is the slow
    // part of loading regions, so the files for AWS, Azure and GCP are not read).
    let spider = spiderByProvider.get(provider);
    if (!spider) {
      spider = LOCATED_BY_REGIONS_JSON.has(provider) ? {} : readSpiderMeta(provider);
      spiderByProvider.set(provider, spider);
    }
    // Commented-out (disabled) regions are absent from the parsed YAML, so every entry here is enabled.
    for (const [sourceCode, entry] of Object.entries(cloud.region ?? {})) {
      const code = `${folded?.codePrefix ?? ''}${sourceCode}`;
      const sourceLatitude = entry.location?.latitude;
      const sourceLongitude = entry.location?.longitude;
      if (typeof sourceLatitude !== 'number' || typeof sourceLongitude !== 'number') {
        throw new Error(`cloudinfo.yaml: ${cloudKey}/${sourceCode} has no coordinates`);
      }
      const { latitude, longitude } = correctedCoordinates(
        provider,
        sourceCode,
        { latitude: sourceLatitude, longitude: sourceLongitude },
        regionsJson,
      );
      const displayName = entry.location?.display?.trim() || sourceCode;
      // The example deployment is not CB-Spider's default OpenStack, so its metadata does not apply.
      const spiderDisplay = folded ? undefined : spider.DisplayName?.[sourceCode]?.[''];
      regions.push({
        id: regionId(provider, code),
        provider,
        code,
        displayName,
        latitude,
        longitude,
        ...withoutUndefined(locate(provider, sourceCode, displayName, spiderDisplay, regionsJson)),
        zones: zonesOf(provider, code, sourceCode, entry.zone ?? [], folded ? {} : spider),
      });
    }
  }
  regions.push(...restrictedRegions(regionsJson));
  const seen = new Set<string>();
  for (const region of regions) {
    if (seen.has(region.id)) throw new Error(`duplicate region id ${region.id}`);
    seen.add(region.id);
  }
  return regions;
}

/** Region codes per provider (restricted regions included), for filtering other data to regions that exist. */
export function regionCodesByProvider(): Map<ProviderId, Set<string>> {
  const byProvider = new Map<ProviderId, Set<string>>();
  for (const region of loadRegions()) {
    const codes = byProvider.get(region.provider) ?? new Set<string>();
    codes.add(region.code);
    byProvider.set(region.provider, codes);
  }
  return byProvider;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
