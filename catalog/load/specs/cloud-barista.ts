import type { Gpu, ProviderId, Spec } from '../../../drivers/spec/index.ts';
import { mapRegionName, providerFromCloudBaristaName } from '../cloud-barista-names.ts';
import { cell, numberCell, readDataCsv } from '../data-files.ts';
import { makeGpu } from '../gpu.ts';
import { FETCHED_AT, SourceTally, specId } from './common.ts';
import { shapeFromName } from './shapes.ts';

export const CURRENT_SOURCE = 'cb-tumblebug-assets';
export const LEGACY_SOURCE = 'cb-tumblebug-legacy-v0.11.0';

const FILES: Record<string, string> = {
  [CURRENT_SOURCE]: 'cloud-barista/cb-tumblebug-assets/cloudspec.csv',
  [LEGACY_SOURCE]: 'cloud-barista/cb-tumblebug-legacy-v0.11.0/cloudspec.csv',
};

/** Providers whose specs come from richer catalogs; their Cloud-Barista rows are not used. */
const COVERED_ELSEWHERE = new Set<ProviderId>(['aws', 'azure', 'gcp']);

export interface CloudBaristaResult {
  specs: Spec[];
  tallies: SourceTally[];
}

/**
 * Alibaba, Tencent, NCP, NHN, KT (and IBM's legacy rows) from Cloud-Barista's cloudspec.csv files.
 * They give prices but no vCPU or memory: shapes come from the spec names (see shapes.ts).
 */
export function loadCloudBaristaSpecs(
  source: typeof CURRENT_SOURCE | typeof LEGACY_SOURCE,
  regionCodes: ReadonlyMap<ProviderId, ReadonlySet<string>>,
): CloudBaristaResult {
  const file = FILES[source];
  if (!file) throw new Error(`unknown source ${source}`);
  const table = readDataCsv(file);
  const column: CloudSpecColumns = {
    provider: table.column('providerName'),
    region: table.column('regionName'),
    name: table.column('cspSpecName'),
    cost: table.column('costPerHour'),
    currency: table.column('currency'),
    acceleratorType: table.column('acceleratorType'),
    acceleratorModel: table.column('acceleratorModel'),
    acceleratorCount: table.column('acceleratorCount'),
    acceleratorMemory: table.column('acceleratorMemoryGB'),
    infraType: table.column('infraType'),
  };
  const tallies = new Map<ProviderId, SourceTally>();
  const tallyOf = (provider: ProviderId): SourceTally => {
    let tally = tallies.get(provider);
    if (!tally) {
      tally = new SourceTally(source, provider, regionCodes.get(provider) ?? new Set());
      tallies.set(provider, tally);
    }
    return tally;
  };
  const specs: Spec[] = [];
  // Region-specific rows first, so that when the same name also comes from an "all" row, the
  // specific row's id is seen first and wins the de-duplication in loadSpecs().
  const isAll = (row: readonly string[]): number =>
    cell(row, column.region).toLowerCase() === 'all' ? 1 : 0;
  const rows = [...table.rows].sort((left, right) => isAll(left) - isAll(right));
  for (const row of rows) {
    const providerName = cell(row, column.provider);
    const provider = providerFromCloudBaristaName(providerName);
    if (!provider) throw new Error(`${file}: unknown provider ${providerName}`);
    if (COVERED_ELSEWHERE.has(provider)) continue;
    const tally = tallyOf(provider);
    tally.rowsRead++;
    if (!cell(row, column.infraType).split('|').includes('vm')) {
      tally.skip('not a VM spec (infraType)');
      continue;
    }
    const name = cell(row, column.name);
    const shape = shapeFromName(provider, name);
    if (!shape) {
      tally.skip('vCPU/memory not derivable from the name');
      continue;
    }
    const cost = numberCell(row, column.cost);
    const gpu = shape.gpu ?? acceleratorOf(row, column);
    const regionName = cell(row, column.region);
    const regions = mapRegionName(regionName, regionCodes.get(provider) ?? new Set());
    if (regionName.toLowerCase() === 'all') tally.note('specs expanded from region "all"', regions.length);
    for (const region of regions) {
      if (!tally.acceptsRegion(region)) continue;
      const id = specId(provider, region, name, tally);
      if (id) {
        specs.push({
          id,
          provider,
          region,
          name,
          vcpu: shape.vcpu,
          memoryGiB: shape.memoryGiB,
          arch: 'x86_64', // every family in these files is Intel or AMD
          gpu,
          // Cloud-Barista writes -1 for "no price".
          pricePerHour: cost !== null && cost >= 0 ? cost : null,
          spotPricePerHour: null,
          currency: cell(row, column.currency).toUpperCase() || 'USD',
          source,
          fetchedAt:
            source === CURRENT_SOURCE ? FETCHED_AT.cloudBaristaCurrent : FETCHED_AT.cloudBaristaLegacy,
        });
      }
    }
  }
  return { specs, tallies: [...tallies.values()] };
}

interface CloudSpecColumns {
  provider: number;
  region: number;
  name: number;
  cost: number;
  currency: number;
  acceleratorType: number;
  acceleratorModel: number;
  acceleratorCount: number;
  acceleratorMemory: number;
  infraType: number;
}

function acceleratorOf(row: readonly string[], column: CloudSpecColumns): Gpu | null {
  if (cell(row, column.acceleratorType).toLowerCase() !== 'gpu') return null;
  const model = cell(row, column.acceleratorModel);
  const count = numberCell(row, column.acceleratorCount);
  if (!model || !count || count <= 0) return null;
  // acceleratorMemoryGB is the total for the VM.
  return makeGpu({ model, count, totalMemoryGiB: numberCell(row, column.acceleratorMemory) });
}
