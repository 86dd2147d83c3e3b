import type { ProviderId, Spec } from '../../drivers/spec/index.ts';
import { PROVIDERS } from '../../drivers/spec/index.ts';
import { cachedOnDisk } from './disk-cache.ts';
import { loadRegions, regionCodesByProvider } from './load-regions.ts';
import { loadAwsSpecs } from './specs/aws.ts';
import { loadAzureSpecs } from './specs/azure.ts';
import { CURRENT_SOURCE, LEGACY_SOURCE, loadCloudBaristaSpecs } from './specs/cloud-barista.ts';
import type { SourceReport } from './specs/common.ts';
import { loadGcpSpecs } from './specs/gcp.ts';
import { loadIbmSpecs } from './specs/ibm.ts';
import { loadOpenStackSpecs } from './specs/openstack.ts';

export interface ProviderSpecsReport {
  /** Specs loadSpecs() returns for the provider. */
  specs: number;
  /** Of those, specs in restricted regions (loadRegions() marks them; the sim's world leaves them out). */
  inRestrictedRegions: number;
  /** Rows (GCP, IBM: type-region pairs) whose region is not a catalog region (loadRegions()). */
  droppedUnknownRegion: number;
  unknownRegions: string[];
  /** Rows whose id an earlier (higher-priority) source already produced. */
  droppedDuplicate: number;
  /** Legacy Cloud-Barista rows that a current row replaces under a new name (same shape and price). */
  droppedSuperseded: number;
}

export interface SpecsReport {
  total: number;
  byProvider: Record<ProviderId, ProviderSpecsReport>;
  /** Per source file and provider: rows read, specs built, rows skipped by reason. */
  sources: SourceReport[];
}

interface LoadedSpecs {
  specs: Spec[];
  report: SpecsReport;
}

let cached: LoadedSpecs | undefined;

/** Compares what a buyer compares, to spot a legacy flavor that was only renamed. */
function shapeKey(spec: Spec): string {
  return [
    spec.provider,
    spec.region,
    spec.vcpu,
    spec.memoryGiB,
    spec.gpu ? `${spec.gpu.model}x${spec.gpu.count}` : '-',
    spec.pricePerHour,
    spec.currency,
  ].join('|');
}

function load(): LoadedSpecs {
  const regions = loadRegions();
  const regionCodes = regionCodesByProvider();
  const current = loadCloudBaristaSpecs(CURRENT_SOURCE, regionCodes);
  const legacy = loadCloudBaristaSpecs(LEGACY_SOURCE, regionCodes);
  const known = (provider: ProviderId): ReadonlySet<string> => regionCodes.get(provider) ?? new Set();
  const aws = loadAwsSpecs(known('aws'));
  const azure = loadAzureSpecs(known('azure'));
  const gcp = loadGcpSpecs(known('gcp'));
  const ibm = loadIbmSpecs(known('ibm'));
  const openstack = loadOpenStackSpecs(regions);

  const byProvider = Object.fromEntries(
    PROVIDERS.map((provider) => [
      provider,
      {
        specs: 0,
        inRestrictedRegions: 0,
        droppedUnknownRegion: 0,
        unknownRegions: [],
        droppedDuplicate: 0,
        droppedSuperseded: 0,
      },
    ]),
  ) as unknown as Record<ProviderId, ProviderSpecsReport>;

  // Priority when two sources give the same id: the first one wins. Dedicated catalogs (AWS composite,
  // anycloud Azure/GCP, SkyPilot IBM) come before Cloud-Barista's rows; Cloud-Barista's current
  // cloudspec.csv comes before its v0.11.0 copy; region-specific rows before "all" rows.
  const ordered: Spec[][] = [
    aws.specs,
    azure.specs,
    gcp.specs,
    ibm.specs,
    current.specs,
    legacy.specs,
    openstack.specs,
  ];
  const currentShapes = new Set(current.specs.map(shapeKey));
  const legacySpecs = new Set(legacy.specs);
  const restricted = new Map<ProviderId, Set<string>>();
  for (const region of regions) {
    if (region.restricted === undefined) continue;
    const codes = restricted.get(region.provider) ?? new Set<string>();
    codes.add(region.code);
    restricted.set(region.provider, codes);
  }
  const byId = new Map<string, Spec>();
  for (const list of ordered) {
    for (const spec of list) {
      const report = byProvider[spec.provider];
      if (byId.has(spec.id)) {
        report.droppedDuplicate++;
        continue;
      }
      // KT renamed its flavors ("4x16" became "4x16.itl"); the old names would be duplicates in all but id.
      if (legacySpecs.has(spec) && currentShapes.has(shapeKey(spec))) {
        report.droppedSuperseded++;
        continue;
      }
      byId.set(spec.id, spec);
      report.specs++;
      if (restricted.get(spec.provider)?.has(spec.region)) report.inRestrictedRegions++;
    }
  }
  const specs = [...byId.values()];
  const sources = [
    aws.tally,
    azure.tally,
    gcp.tally,
    ibm.tally,
    ...current.tallies,
    ...legacy.tallies,
    openstack.tally,
  ].map((tally) => tally.report());
  // Sources drop rows for regions that are not enabled before building specs; gather those counts.
  for (const source of sources) {
    const report = byProvider[source.provider];
    for (const [region, count] of Object.entries(source.unknownRegions)) {
      report.droppedUnknownRegion += count;
      if (!report.unknownRegions.includes(region)) report.unknownRegions.push(region);
    }
  }
  for (const report of Object.values(byProvider)) report.unknownRegions.sort();
  return { specs, report: { total: specs.length, byProvider, sources } };
}

/**
 * Every spec of the ten providers, one per id, only in regions loadRegions() returns (restricted
 * regions included; loadWorld() has the sim's part). Memoised; the returned objects are shared, so
 * treat them as read-only.
 */
export function loadSpecs(): Spec[] {
  cached ??= cachedOnDisk('specs', load);
  return [...cached.specs];
}

/** What loadSpecs() kept and dropped, per provider and per source. */
export function loadSpecsReport(): SpecsReport {
  cached ??= cachedOnDisk('specs', load);
  return structuredClone(cached.report);
}
