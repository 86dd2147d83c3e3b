import type { Spec } from '../../../drivers/spec/index.ts';
import { cell, numberCell, readDataCsv } from '../data-files.ts';
import { makeGpu } from '../gpu.ts';
import { FETCHED_AT, type SourceResult, SourceTally, specId, ZoneCollapser } from './common.ts';

const SOURCE = 'skypilot-catalog';
const FILE = 'skypilot-catalog/catalogs/v5/ibm/vms.csv';

interface IbmRow {
  vcpu: number;
  memoryGiB: number;
  acceleratorName: string;
  acceleratorCount: number | null;
}

/**
 * IBM VPC profiles from SkyPilot's v5 catalog (two profiles, per zone). Some rows have an empty
 * Region; the zone names it ("us-south-2" is in "us-south").
 */
export function loadIbmSpecs(knownRegions: ReadonlySet<string>): SourceResult {
  const table = readDataCsv(FILE);
  const tally = new SourceTally(SOURCE, 'ibm', knownRegions);
  const column = {
    type: table.column('InstanceType'),
    acceleratorName: table.column('AcceleratorName'),
    acceleratorCount: table.column('AcceleratorCount'),
    vcpu: table.column('vCPUs'),
    memory: table.column('MemoryGiB'),
    price: table.column('Price'),
    spot: table.column('SpotPrice'),
    region: table.column('Region'),
    zone: table.column('AvailabilityZone'),
  };
  const collapser = new ZoneCollapser<IbmRow>();
  for (const row of table.rows) {
    tally.rowsRead++;
    const name = cell(row, column.type);
    const vcpu = numberCell(row, column.vcpu);
    const memoryGiB = numberCell(row, column.memory);
    const zone = cell(row, column.zone);
    const region = cell(row, column.region) || zone.replace(/-\d+$/, '');
    if (!name || !region || !vcpu || !memoryGiB || vcpu <= 0 || memoryGiB <= 0) {
      tally.skip('no name, region, vCPU or memory');
      continue;
    }
    collapser.add(name, region, zone, numberCell(row, column.price), numberCell(row, column.spot), {
      vcpu,
      memoryGiB,
      acceleratorName: cell(row, column.acceleratorName),
      acceleratorCount: numberCell(row, column.acceleratorCount),
    });
  }
  const specs: Spec[] = [];
  for (const entry of collapser.entries()) {
    if (!tally.acceptsRegion(entry.region)) continue;
    const { acceleratorName, acceleratorCount } = entry.extra;
    const id = specId('ibm', entry.region, entry.name, tally);
    if (id) {
      specs.push({
        id,
        provider: 'ibm',
        region: entry.region,
        name: entry.name,
        vcpu: entry.extra.vcpu,
        memoryGiB: entry.extra.memoryGiB,
        arch: 'x86_64', // bx2 and gx2 are Intel profiles
        gpu:
          acceleratorName && acceleratorCount && acceleratorCount > 0
            ? makeGpu({ model: acceleratorName, count: acceleratorCount })
            : null,
        pricePerHour: entry.price,
        spotPricePerHour: entry.spot,
        currency: 'USD',
        zones: entry.zones,
        source: SOURCE,
        fetchedAt: FETCHED_AT.skypilot,
      });
    }
  }
  return { specs, tally };
}
