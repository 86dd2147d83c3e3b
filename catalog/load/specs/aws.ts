import type { Arch, Spec } from '../../../drivers/spec/index.ts';
import { cell, numberCell, streamDataCsv } from '../data-files.ts';
import { makeGpu } from '../gpu.ts';
import { FETCHED_AT, type SourceResult, SourceTally, specId } from './common.ts';

const SOURCE = 'aws-ec2-catalog';
const FILE = 'aws-ec2-catalog/aws_ec2_catalog_by_region.csv';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * AWS from the composite catalog: one row per (instance type, region), Linux on-demand USD prices,
 * spot only for accelerator types. Mac and i386 rows are dropped (s2a runs Linux on x86_64/arm64).
 */
export function loadAwsSpecs(knownRegions: ReadonlySet<string>): SourceResult {
  const table = streamDataCsv(FILE);
  const tally = new SourceTally(SOURCE, 'aws', knownRegions);
  const column = {
    type: table.column('InstanceType'),
    vcpu: table.column('vCPUs'),
    memory: table.column('MemoryGiB'),
    arch: table.column('Arch'),
    acceleratorName: table.column('AcceleratorName'),
    acceleratorCount: table.column('AcceleratorCount'),
    acceleratorManufacturer: table.column('AcceleratorManufacturer'),
    acceleratorMemory: table.column('AcceleratorMemoryGiBTotal'),
    region: table.column('Region'),
    price: table.column('PriceOnDemandUSDPerHour'),
    priceAsOf: table.column('PriceAsOf'),
    spotMin: table.column('SpotPriceMin'),
  };
  const specs: Spec[] = [];
  table.forEachRow((row) => {
    tally.rowsRead++;
    const region = cell(row, column.region);
    if (!tally.acceptsRegion(region)) return;
    const arch = cell(row, column.arch);
    if (arch !== 'x86_64' && arch !== 'arm64') {
      tally.skip(`arch ${arch || '(empty)'}`);
      return;
    }
    const vcpu = numberCell(row, column.vcpu);
    const memoryGiB = numberCell(row, column.memory);
    if (!vcpu || !memoryGiB || vcpu <= 0 || memoryGiB <= 0) {
      tally.skip('no vCPU or memory');
      return;
    }
    const acceleratorName = cell(row, column.acceleratorName);
    const acceleratorCount = numberCell(row, column.acceleratorCount);
    const gpu =
      acceleratorName && acceleratorCount && acceleratorCount > 0
        ? makeGpu({
            model: acceleratorName,
            count: acceleratorCount,
            totalMemoryGiB: numberCell(row, column.acceleratorMemory),
            manufacturer: cell(row, column.acceleratorManufacturer) || null,
          })
        : null;
    const priceAsOf = cell(row, column.priceAsOf);
    const name = cell(row, column.type);
    const id = specId('aws', region, name, tally);
    if (id) {
      specs.push({
        id,
        provider: 'aws',
        region,
        name,
        vcpu,
        memoryGiB,
        arch: arch satisfies Arch,
        gpu,
        pricePerHour: numberCell(row, column.price),
        spotPricePerHour: numberCell(row, column.spotMin),
        currency: 'USD',
        source: SOURCE,
        // SkyPilot-priced rows say "skypilot-catalog@<commit>" rather than a date.
        fetchedAt: ISO_DATE.test(priceAsOf) ? priceAsOf : FETCHED_AT.skypilot,
      });
    }
  });
  return { specs, tally };
}
