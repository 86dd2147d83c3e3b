// Locations, resource SKUs and Retail Prices ↔ s2a regions and specs.
import type { ResourceSku } from '@azure/arm-compute';
import { z } from 'zod';
import { type Gpu, type Region, regionId, resourceId, type Spec, zoneId } from '../spec/index.ts';

/** One location of `GET /subscriptions/{id}/locations?api-version=2022-12-01`. */
export const LocationSchema = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  regionalDisplayName: z.string().optional(),
  metadata: z
    .object({
      regionType: z.string().optional(),
      geographyGroup: z.string().optional(),
      physicalLocation: z.string().optional(),
      latitude: z.string().optional(),
      longitude: z.string().optional(),
    })
    .optional(),
  availabilityZoneMappings: z
    .array(z.object({ logicalZone: z.string(), physicalZone: z.string().optional() }))
    .optional(),
});
export type Location = z.infer<typeof LocationSchema>;
export const LocationListSchema = z.object({
  value: z.array(LocationSchema),
  nextLink: z.string().optional(),
});

const CONTINENTS: Record<string, string> = {
  US: 'North America',
  Canada: 'North America',
  Mexico: 'North America',
  'South America': 'South America',
  Europe: 'Europe',
  'Asia Pacific': 'Asia',
  'Middle East': 'Asia',
  Africa: 'Africa',
};

/** A physical region with coordinates; logical ones ("global", "asia") and edge sites are skipped. */
export function toRegion(location: Location): Region | undefined {
  const metadata = location.metadata;
  const latitude = Number(metadata?.latitude);
  const longitude = Number(metadata?.longitude);
  if (metadata?.regionType !== 'Physical' || !metadata.latitude || !metadata.longitude) return undefined;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  const continent = metadata.geographyGroup ? CONTINENTS[metadata.geographyGroup] : undefined;
  const zones = (location.availabilityZoneMappings ?? [])
    .map((mapping) => mapping.logicalZone)
    .sort()
    .map((zone) => ({ id: zoneId('azure', location.name, zone), code: zone, displayName: `zone ${zone}` }));
  return {
    id: regionId('azure', location.name),
    provider: 'azure',
    code: location.name,
    displayName: location.displayName ?? location.name,
    latitude,
    longitude,
    ...(metadata.physicalLocation ? { city: metadata.physicalLocation } : {}),
    ...(continent ? { continent } : {}),
    zones,
  };
}

/** One item of the Retail Prices API (`https://prices.azure.com/api/retail/prices`). */
export const RetailPriceItemSchema = z.object({
  currencyCode: z.string(),
  retailPrice: z.number(),
  unitPrice: z.number().optional(),
  armRegionName: z.string(),
  armSkuName: z.string(),
  skuName: z.string(),
  productName: z.string(),
  serviceName: z.string(),
  type: z.string(),
  unitOfMeasure: z.string(),
});
export type RetailPriceItem = z.infer<typeof RetailPriceItemSchema>;
export const RetailPricePageSchema = z.object({
  BillingCurrency: z.string().optional(),
  Items: z.array(z.unknown()),
  NextPageLink: z.string().nullable().optional(),
  Count: z.number().optional(),
});

export interface SkuPrice {
  onDemand: number | null;
  spot: number | null;
}

/**
 * Linux pay-as-you-go and spot prices per size name. Windows meters, Low Priority (the retired
 * predecessor of spot) and anything not billed per hour are left out.
 */
export function pricesBySku(items: readonly RetailPriceItem[]): Map<string, SkuPrice> {
  const prices = new Map<string, SkuPrice>();
  for (const item of items) {
    if (
      item.type !== 'Consumption' ||
      item.unitOfMeasure !== '1 Hour' ||
      item.serviceName !== 'Virtual Machines'
    )
      continue;
    if (/windows/i.test(item.productName) || /low priority/i.test(item.skuName)) continue;
    const entry = prices.get(item.armSkuName) ?? { onDemand: null, spot: null };
    const field = /\bspot$/i.test(item.skuName) ? 'spot' : 'onDemand';
    const current = entry[field];
    entry[field] = current === null ? item.retailPrice : Math.min(current, item.retailPrice);
    prices.set(item.armSkuName, entry);
  }
  return prices;
}

/** GPU models by size-name pattern: resource SKUs give a GPU count but no model. */
const GPU_MODELS: { pattern: RegExp; model: string; memoryGiB: number; manufacturer: string }[] = [
  { pattern: /_T4_v3$/i, model: 'T4', memoryGiB: 16, manufacturer: 'NVIDIA' },
  { pattern: /^Standard_NC\d+ads_A100_v4$/i, model: 'A100', memoryGiB: 80, manufacturer: 'NVIDIA' },
  { pattern: /^Standard_ND\d+asr_v4$/i, model: 'A100', memoryGiB: 40, manufacturer: 'NVIDIA' },
  { pattern: /^Standard_ND\d+amsr_A100_v4$/i, model: 'A100', memoryGiB: 80, manufacturer: 'NVIDIA' },
  { pattern: /^Standard_NC\d+ads_H100_v5$/i, model: 'H100', memoryGiB: 94, manufacturer: 'NVIDIA' },
  { pattern: /_H100_v5$/i, model: 'H100', memoryGiB: 80, manufacturer: 'NVIDIA' },
  { pattern: /_H200_v5$/i, model: 'H200', memoryGiB: 141, manufacturer: 'NVIDIA' },
  { pattern: /_A10_v5$/i, model: 'A10', memoryGiB: 24, manufacturer: 'NVIDIA' },
  { pattern: /_MI300X_v5$/i, model: 'MI300X', memoryGiB: 192, manufacturer: 'AMD' },
  { pattern: /^Standard_NC\d+s_v3$/i, model: 'V100', memoryGiB: 16, manufacturer: 'NVIDIA' },
  { pattern: /^Standard_ND\d+rs_v2$/i, model: 'V100', memoryGiB: 32, manufacturer: 'NVIDIA' },
  { pattern: /^Standard_NV\d+s_v3$/i, model: 'M60', memoryGiB: 8, manufacturer: 'NVIDIA' },
];

function capability(sku: ResourceSku, name: string): string | undefined {
  return sku.capabilities?.find((entry) => entry.name === name)?.value;
}

function gpuOf(sku: ResourceSku, name: string): Gpu | null {
  const count = Number(capability(sku, 'GPUs') ?? 0);
  if (!(count > 0)) return null;
  const known = GPU_MODELS.find((entry) => entry.pattern.test(name));
  return {
    model: known?.model ?? 'unknown',
    count,
    memoryGiB: known ? known.memoryGiB * count : null,
    manufacturer: known?.manufacturer ?? null,
  };
}

/** True when the SKU may not be used anywhere in `region` (restriction of type Location). */
function restrictedInRegion(sku: ResourceSku, region: string): boolean {
  return (sku.restrictions ?? []).some(
    (restriction) =>
      restriction.type === 'Location' &&
      (restriction.values ?? restriction.restrictionInfo?.locations ?? []).some(
        (value) => value.toLowerCase() === region,
      ),
  );
}

/** Zones of `region` where the SKU is offered: its location info minus zone restrictions. */
function zonesOf(sku: ResourceSku, region: string): string[] {
  const info = sku.locationInfo?.find((entry) => entry.location?.toLowerCase() === region);
  const restricted = new Set(
    (sku.restrictions ?? [])
      .filter((restriction) => restriction.type === 'Zone')
      .flatMap((restriction) => restriction.restrictionInfo?.zones ?? []),
  );
  return (info?.zones ?? []).filter((zone) => !restricted.has(zone)).sort();
}

/**
 * Virtual-machine SKUs offered in `region` as specs. SKUs restricted for the subscription in the
 * region are left out; zone restrictions narrow `zones`.
 */
export function toSpecs(
  skus: readonly ResourceSku[],
  region: string,
  prices: Map<string, SkuPrice> | undefined,
  fetchedAt: string,
): Spec[] {
  const specs = new Map<string, Spec>();
  for (const sku of skus) {
    const name = sku.name;
    if (sku.resourceType !== 'virtualMachines' || !name) continue;
    if (!(sku.locations ?? []).some((location) => location.toLowerCase() === region)) continue;
    if (restrictedInRegion(sku, region)) continue;
    const vcpu = Number(capability(sku, 'vCPUs'));
    const memoryGiB = Number(capability(sku, 'MemoryGB'));
    if (!(vcpu > 0) || !(memoryGiB > 0)) continue;
    const price = prices?.get(name);
    const hasZones = (sku.locationInfo ?? []).some((entry) => (entry.zones ?? []).length > 0);
    specs.set(name, {
      id: resourceId('azure', region, name),
      provider: 'azure',
      region,
      name,
      vcpu,
      memoryGiB,
      arch: capability(sku, 'CpuArchitectureType') === 'Arm64' ? 'arm64' : 'x86_64',
      gpu: gpuOf(sku, name),
      pricePerHour: price?.onDemand ?? null,
      spotPricePerHour: price?.spot ?? null,
      currency: 'USD',
      ...(hasZones ? { zones: zonesOf(sku, region) } : {}),
      source: prices ? 'azure-resource-skus+retail-prices' : 'azure-resource-skus',
      fetchedAt,
    });
  }
  return [...specs.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Hyper-V generations a size boots ("V1,V2"), to refuse a Gen2 image on a Gen1-only size early. */
export function hyperVGenerationsOf(sku: ResourceSku): string[] {
  return (capability(sku, 'HyperVGenerations') ?? 'V1,V2').split(',').map((value) => value.trim());
}
