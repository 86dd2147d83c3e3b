import type { Arch, Spec } from '../../../drivers/spec/index.ts';
import { cell, numberCell, streamDataCsv } from '../data-files.ts';
import { makeGpu } from '../gpu.ts';
import { FETCHED_AT, type SourceResult, SourceTally, specId } from './common.ts';

const SOURCE = 'anycloud-sh-catalog';
const FILE = 'anycloud-sh-catalog/azure/vms.csv';

/**
 * Azure size names put feature letters after the vCPU count; a lower-case "p" marks an Arm (Ampere/
 * Cobalt) size: Standard_D2ps_v5, Standard_E4pds_v6, Standard_B2pts_v2.
 */
const ARM_SIZE = /^Standard_[A-Z]+\d+[a-z]*p[a-z]*_v\d+$/;

/**
 * NVv4 sizes are slices of one AMD MI25; the source writes 1 for each. Microsoft documents them as
 * 1/8, 1/4, 1/2 and 1 GPU.
 */
const NVV4_GPU_FRACTION: Record<string, number> = {
  Standard_NV4as_v4: 0.125,
  Standard_NV8as_v4: 0.25,
  Standard_NV16as_v4: 0.5,
  Standard_NV32as_v4: 1,
};

export function azureArch(name: string): Arch {
  return ARM_SIZE.test(name) ? 'arm64' : 'x86_64';
}

function archOf(name: string, cache: Map<string, Arch>): Arch {
  let arch = cache.get(name);
  if (!arch) {
    arch = azureArch(name);
    cache.set(name, arch);
  }
  return arch;
}

/** Azure from anycloud-sh's SkyPilot-format catalog: one row per (size, region), no zone column. */
export function loadAzureSpecs(knownRegions: ReadonlySet<string>): SourceResult {
  const table = streamDataCsv(FILE);
  const tally = new SourceTally(SOURCE, 'azure', knownRegions);
  const column = {
    type: table.column('InstanceType'),
    acceleratorName: table.column('AcceleratorName'),
    acceleratorCount: table.column('AcceleratorCount'),
    vcpu: table.column('vCPUs'),
    memory: table.column('MemoryGiB'),
    price: table.column('Price'),
    spot: table.column('SpotPrice'),
    region: table.column('Region'),
  };
  const specs: Spec[] = [];
  // ~1,400 sizes over ~57,000 rows: work out each size's arch once.
  const archByName = new Map<string, Arch>();
  table.forEachRow((row) => {
    tally.rowsRead++;
    const region = cell(row, column.region);
    if (!tally.acceptsRegion(region)) return;
    const name = cell(row, column.type);
    const vcpu = numberCell(row, column.vcpu);
    const memoryGiB = numberCell(row, column.memory);
    if (!name || !vcpu || !memoryGiB || vcpu <= 0 || memoryGiB <= 0) {
      tally.skip('no name, vCPU or memory');
      return;
    }
    const acceleratorName = cell(row, column.acceleratorName);
    const acceleratorCount = NVV4_GPU_FRACTION[name] ?? numberCell(row, column.acceleratorCount);
    const gpu =
      acceleratorName && acceleratorCount && acceleratorCount > 0
        ? makeGpu({ model: acceleratorName, count: acceleratorCount })
        : null;
    const id = specId('azure', region, name, tally);
    if (id) {
      specs.push({
        id,
        provider: 'azure',
        region,
        name,
        vcpu,
        memoryGiB,
        arch: archOf(name, archByName),
        gpu,
        pricePerHour: numberCell(row, column.price),
        spotPricePerHour: numberCell(row, column.spot),
        currency: 'USD',
        source: SOURCE,
        fetchedAt: FETCHED_AT.anycloud,
      });
    }
  });
  return { specs, tally };
}
