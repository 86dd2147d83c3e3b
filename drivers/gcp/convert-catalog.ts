import type { protos } from '@google-cloud/compute';
import { type Arch, type Gpu, type Region, regionId, type Spec, zoneId } from '../spec/index.ts';
import { lastSegment } from './convert-metadata.ts';

type ComputeRegion = protos.google.cloud.compute.v1.IRegion;
type ComputeZone = protos.google.cloud.compute.v1.IZone;
type MachineType = protos.google.cloud.compute.v1.IMachineType;
type AcceleratorType = protos.google.cloud.compute.v1.IAcceleratorType;

export const SPEC_SOURCE = 'gcp-compute-api';

interface RegionPlace {
  displayName: string;
  city: string;
  countryCode: string;
  continent: string;
  latitude: number;
  longitude: number;
}

/** The Compute API has no region locations; these come from Google's public region list. */
const REGION_PLACES: Record<string, RegionPlace> = {
  'asia-east1': {
    displayName: 'Taiwan',
    city: 'Changhua County',
    countryCode: 'TW',
    continent: 'Asia',
    latitude: 24.05,
    longitude: 120.52,
  },
  'asia-east2': {
    displayName: 'Hong Kong',
    city: 'Hong Kong',
    countryCode: 'HK',
    continent: 'Asia',
    latitude: 22.32,
    longitude: 114.17,
  },
  'asia-northeast1': {
    displayName: 'Tokyo',
    city: 'Tokyo',
    countryCode: 'JP',
    continent: 'Asia',
    latitude: 35.69,
    longitude: 139.69,
  },
  'asia-northeast2': {
    displayName: 'Osaka',
    city: 'Osaka',
    countryCode: 'JP',
    continent: 'Asia',
    latitude: 34.69,
    longitude: 135.5,
  },
  'asia-northeast3': {
    displayName: 'Seoul',
    city: 'Seoul',
    countryCode: 'KR',
    continent: 'Asia',
    latitude: 37.57,
    longitude: 126.98,
  },
  'asia-south1': {
    displayName: 'Mumbai',
    city: 'Mumbai',
    countryCode: 'IN',
    continent: 'Asia',
    latitude: 19.08,
    longitude: 72.88,
  },
  'asia-south2': {
    displayName: 'Delhi',
    city: 'Delhi',
    countryCode: 'IN',
    continent: 'Asia',
    latitude: 28.7,
    longitude: 77.1,
  },
  'asia-southeast1': {
    displayName: 'Singapore',
    city: 'Jurong West',
    countryCode: 'SG',
    continent: 'Asia',
    latitude: 1.34,
    longitude: 103.71,
  },
  'asia-southeast2': {
    displayName: 'Jakarta',
    city: 'Jakarta',
    countryCode: 'ID',
    continent: 'Asia',
    latitude: -6.21,
    longitude: 106.85,
  },
  'australia-southeast1': {
    displayName: 'Sydney',
    city: 'Sydney',
    countryCode: 'AU',
    continent: 'Oceania',
    latitude: -33.87,
    longitude: 151.21,
  },
  'australia-southeast2': {
    displayName: 'Melbourne',
    city: 'Melbourne',
    countryCode: 'AU',
    continent: 'Oceania',
    latitude: -37.81,
    longitude: 144.96,
  },
  'europe-central2': {
    displayName: 'Warsaw',
    city: 'Warsaw',
    countryCode: 'PL',
    continent: 'Europe',
    latitude: 52.23,
    longitude: 21.01,
  },
  'europe-north1': {
    displayName: 'Finland',
    city: 'Hamina',
    countryCode: 'FI',
    continent: 'Europe',
    latitude: 60.57,
    longitude: 27.19,
  },
  'europe-southwest1': {
    displayName: 'Madrid',
    city: 'Madrid',
    countryCode: 'ES',
    continent: 'Europe',
    latitude: 40.42,
    longitude: -3.7,
  },
  'europe-west1': {
    displayName: 'Belgium',
    city: 'St. Ghislain',
    countryCode: 'BE',
    continent: 'Europe',
    latitude: 50.45,
    longitude: 3.82,
  },
  'europe-west2': {
    displayName: 'London',
    city: 'London',
    countryCode: 'GB',
    continent: 'Europe',
    latitude: 51.51,
    longitude: -0.13,
  },
  'europe-west3': {
    displayName: 'Frankfurt',
    city: 'Frankfurt',
    countryCode: 'DE',
    continent: 'Europe',
    latitude: 50.11,
    longitude: 8.68,
  },
  'europe-west4': {
    displayName: 'Netherlands',
    city: 'Eemshaven',
    countryCode: 'NL',
    continent: 'Europe',
    latitude: 53.44,
    longitude: 6.83,
  },
  'europe-west6': {
    displayName: 'Zurich',
    city: 'Zurich',
    countryCode: 'CH',
    continent: 'Europe',
    latitude: 47.38,
    longitude: 8.54,
  },
  'europe-west8': {
    displayName: 'Milan',
    city: 'Milan',
    countryCode: 'IT',
    continent: 'Europe',
    latitude: 45.46,
    longitude: 9.19,
  },
  'europe-west9': {
    displayName: 'Paris',
    city: 'Paris',
    countryCode: 'FR',
    continent: 'Europe',
    latitude: 48.86,
    longitude: 2.35,
  },
  'me-central1': {
    displayName: 'Doha',
    city: 'Doha',
    countryCode: 'QA',
    continent: 'Asia',
    latitude: 25.29,
    longitude: 51.53,
  },
  'me-west1': {
    displayName: 'Tel Aviv',
    city: 'Tel Aviv',
    countryCode: 'IL',
    continent: 'Asia',
    latitude: 32.09,
    longitude: 34.78,
  },
  'northamerica-northeast1': {
    displayName: 'Montréal',
    city: 'Montréal',
    countryCode: 'CA',
    continent: 'North America',
    latitude: 45.5,
    longitude: -73.57,
  },
  'northamerica-northeast2': {
    displayName: 'Toronto',
    city: 'Toronto',
    countryCode: 'CA',
    continent: 'North America',
    latitude: 43.65,
    longitude: -79.38,
  },
  'southamerica-east1': {
    displayName: 'São Paulo',
    city: 'Osasco',
    countryCode: 'BR',
    continent: 'South America',
    latitude: -23.53,
    longitude: -46.79,
  },
  'southamerica-west1': {
    displayName: 'Santiago',
    city: 'Santiago',
    countryCode: 'CL',
    continent: 'South America',
    latitude: -33.45,
    longitude: -70.67,
  },
  'us-central1': {
    displayName: 'Iowa',
    city: 'Council Bluffs',
    countryCode: 'US',
    continent: 'North America',
    latitude: 41.26,
    longitude: -95.86,
  },
  'us-east1': {
    displayName: 'South Carolina',
    city: 'Moncks Corner',
    countryCode: 'US',
    continent: 'North America',
    latitude: 33.19,
    longitude: -80.01,
  },
  'us-east4': {
    displayName: 'Northern Virginia',
    city: 'Ashburn',
    countryCode: 'US',
    continent: 'North America',
    latitude: 39.04,
    longitude: -77.49,
  },
  'us-east5': {
    displayName: 'Columbus',
    city: 'Columbus',
    countryCode: 'US',
    continent: 'North America',
    latitude: 39.96,
    longitude: -83,
  },
  'us-south1': {
    displayName: 'Dallas',
    city: 'Dallas',
    countryCode: 'US',
    continent: 'North America',
    latitude: 32.78,
    longitude: -96.8,
  },
  'us-west1': {
    displayName: 'Oregon',
    city: 'The Dalles',
    countryCode: 'US',
    continent: 'North America',
    latitude: 45.6,
    longitude: -121.18,
  },
  'us-west2': {
    displayName: 'Los Angeles',
    city: 'Los Angeles',
    countryCode: 'US',
    continent: 'North America',
    latitude: 34.05,
    longitude: -118.24,
  },
  'us-west3': {
    displayName: 'Salt Lake City',
    city: 'Salt Lake City',
    countryCode: 'US',
    continent: 'North America',
    latitude: 40.76,
    longitude: -111.89,
  },
  'us-west4': {
    displayName: 'Las Vegas',
    city: 'Las Vegas',
    countryCode: 'US',
    continent: 'North America',
    latitude: 36.17,
    longitude: -115.14,
  },
};

/** Region and its zones (from zones.list, which names its region by URL). */
export function toRegion(region: ComputeRegion, zones: ComputeZone[]): Region {
  const code = region.name ?? '';
  const place = REGION_PLACES[code];
  return {
    id: regionId('gcp', code),
    provider: 'gcp',
    code,
    displayName: place?.displayName ?? region.description ?? code,
    // Unknown regions (newer than the table) get 0,0 rather than no region at all.
    latitude: place?.latitude ?? 0,
    longitude: place?.longitude ?? 0,
    ...(place ? { city: place.city, countryCode: place.countryCode, continent: place.continent } : {}),
    zones: zones
      .filter((zone) => lastSegment(zone.region) === code && zone.status !== 'DOWN')
      .map((zone) => zone.name ?? '')
      .sort()
      .map((zone) => ({ id: zoneId('gcp', code, zone), code: zone })),
  };
}

/** Zone code → region code ("asia-northeast3-a" → "asia-northeast3"). */
export function regionOfZone(zone: string): string {
  return zone.replace(/-[a-z]$/, '');
}

/** Arm machine series (Tau T2A, Axion C4A); everything else is x86-64. */
export function machineTypeArch(name: string): Arch {
  return /^(t2a|c4a|n4a)-/.test(name) ? 'arm64' : 'x86_64';
}

interface AcceleratorFacts {
  model: string;
  memoryGiB: number | null;
}

/** Accelerator type name → model and memory per card; the API gives only a description. */
const ACCELERATORS: Record<string, AcceleratorFacts> = {
  'nvidia-tesla-t4': { model: 'T4', memoryGiB: 16 },
  'nvidia-tesla-v100': { model: 'V100', memoryGiB: 16 },
  'nvidia-tesla-p100': { model: 'P100', memoryGiB: 16 },
  'nvidia-tesla-p4': { model: 'P4', memoryGiB: 8 },
  'nvidia-tesla-a100': { model: 'A100', memoryGiB: 40 },
  'nvidia-a100-80gb': { model: 'A100', memoryGiB: 80 },
  'nvidia-l4': { model: 'L4', memoryGiB: 24 },
  'nvidia-h100-80gb': { model: 'H100', memoryGiB: 80 },
  'nvidia-h100-mega-80gb': { model: 'H100', memoryGiB: 80 },
  'nvidia-h200-141gb': { model: 'H200', memoryGiB: 141 },
};

/** Accelerator facts from the table, or from the type's description ("NVIDIA Tesla T4"). */
export function acceleratorFacts(name: string, types: AcceleratorType[] = []): AcceleratorFacts {
  const known = ACCELERATORS[name];
  if (known) return known;
  const description = types.find((type) => type.name === name)?.description ?? name;
  return { model: description.replace(/^NVIDIA\s+(Tesla\s+)?/i, ''), memoryGiB: null };
}

/**
 * One spec per region: machine types are listed per zone, so the same name in several zones of a
 * region merges into one spec whose `zones` says where it is offered. Prices stay null: the
 * Compute API has none (the catalog refresh fills them from the Cloud Billing Catalog).
 */
export function toSpecs(
  machineTypes: MachineType[],
  acceleratorTypes: AcceleratorType[],
  fetchedAt: string,
): Spec[] {
  const byId = new Map<string, Spec>();
  for (const machineType of machineTypes) {
    const name = machineType.name ?? '';
    const zone = machineType.zone ? lastSegment(machineType.zone) : '';
    if (!name || !zone || machineType.deprecated?.state) continue;
    const region = regionOfZone(zone);
    const id = `gcp+${region}+${name}`;
    const existing = byId.get(id);
    if (existing) {
      existing.zones = [...new Set([...(existing.zones ?? []), zone])].sort();
      continue;
    }
    const vcpu = machineType.guestCpus ?? 0;
    const memoryGiB = Math.round(((machineType.memoryMb ?? 0) / 1024) * 100) / 100;
    if (vcpu <= 0 || memoryGiB <= 0) continue;
    byId.set(id, {
      id,
      provider: 'gcp',
      region,
      name,
      vcpu,
      memoryGiB,
      arch: machineTypeArch(name),
      gpu: gpuOf(machineType, acceleratorTypes),
      pricePerHour: null,
      spotPricePerHour: null,
      currency: 'USD',
      zones: [zone],
      source: SPEC_SOURCE,
      fetchedAt,
    });
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function gpuOf(machineType: MachineType, acceleratorTypes: AcceleratorType[]): Gpu | null {
  const accelerator = machineType.accelerators?.[0];
  const type = accelerator?.guestAcceleratorType;
  const count = accelerator?.guestAcceleratorCount ?? 0;
  if (!type || count <= 0) return null;
  const facts = acceleratorFacts(type, acceleratorTypes);
  return {
    model: facts.model,
    count,
    memoryGiB: facts.memoryGiB === null ? null : facts.memoryGiB * count,
    manufacturer: 'NVIDIA',
  };
}
