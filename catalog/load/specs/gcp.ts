import type { Arch, Gpu, Spec } from '../../../drivers/spec/index.ts';
import { cell, numberCell, streamDataCsv } from '../data-files.ts';
import { makeGpu, roundTo } from '../gpu.ts';
import { FETCHED_AT, minOf, type SourceResult, SourceTally, specId, ZoneCollapser } from './common.ts';
import { GPU_HOST_N1, gcpN1GpuName, isN1GpuModel, type N1GpuModel, n1GpuAllowed } from './gcp-n1-gpu.ts';

const SOURCE = 'anycloud-sh-catalog';
const FILE = 'anycloud-sh-catalog/gcp/vms.csv';

/** Arm machine series: Ampere Altra (t2a), Google Axion (c4a, n4a), Grace (a4x). */
const ARM_SERIES = /^(t2a|c4a|n4a|a4x)-/;

/**
 * SkyPilot lists TPU host VMs ("n1-340-48-tpu", "n2d-48-24-v5lite-tpu") as machine types; they are
 * not Compute Engine machine types one can create, so they are not specs.
 */
const TPU_HOST = /^n\d+d?-\d+-\d+(-\w+)?-tpu$/;

/**
 * Machine types with GPUs built in. SkyPilot writes their VM price without the GPUs and prices the
 * GPUs as separate rows (empty InstanceType); `attachment` names the model those rows use.
 */
interface BuiltInGpu {
  model: string;
  attachment: string;
  count: number;
}

const G2_L4_COUNT: Record<string, number> = { 4: 1, 8: 1, 12: 1, 16: 1, 32: 1, 24: 2, 48: 4, 96: 8 };

const BUILT_IN_FAMILIES: { pattern: RegExp; model: string; attachment: string }[] = [
  { pattern: /^a2-(highgpu|megagpu)-(\d+)g$/, model: 'A100', attachment: 'A100' },
  { pattern: /^a2-ultragpu-(\d+)g$/, model: 'A100-80GB', attachment: 'A100-80GB' },
  { pattern: /^a3-(highgpu|edgegpu)-(\d+)g(-nolssd)?$/, model: 'H100', attachment: 'H100' },
  { pattern: /^a3-megagpu-(\d+)g$/, model: 'H100', attachment: 'H100-MEGA' },
  { pattern: /^a3-ultragpu-(\d+)g(-nolssd)?$/, model: 'H200', attachment: 'H200' },
  { pattern: /^a4-highgpu-(\d+)g$/, model: 'B200', attachment: 'B200' },
];

/** GPU model and count from a machine type name, only for families whose layout is fixed. */
export function gcpBuiltInGpu(name: string): BuiltInGpu | undefined {
  const g2 = /^g2-standard-(\d+)$/.exec(name);
  if (g2?.[1]) {
    const count = G2_L4_COUNT[g2[1]];
    return count ? { model: 'L4', attachment: 'L4', count } : undefined;
  }
  for (const family of BUILT_IN_FAMILIES) {
    const match = family.pattern.exec(name);
    if (!match) continue;
    // The GPU count is the number before "g" ("a2-highgpu-4g" = 4).
    const count = Number(/-(\d+)g(-nolssd)?$/.exec(name)?.[1]);
    if (Number.isInteger(count) && count > 0)
      return { model: family.model, attachment: family.attachment, count };
  }
  return undefined;
}

export function gcpArch(name: string): Arch {
  return ARM_SERIES.test(name) ? 'arm64' : 'x86_64';
}

interface Attachment {
  price: number | null;
  spot: number | null;
  memoryGiBPerGpu: number | null;
}

interface MachineRow {
  vcpu: number;
  memoryGiB: number;
  builtIn: BuiltInGpu | undefined;
}

interface ZonePrice {
  price: number | null;
  spot: number | null;
}

/** An N1 type in one region: its shape and its price in each zone that offers it. */
interface N1Host {
  name: string;
  region: string;
  vcpu: number;
  memoryGiB: number;
  zones: Map<string, ZonePrice>;
}

/** Attachable GPUs of one region: by "model|count", the price in each zone that offers them. */
type RegionAttachments = Map<string, { model: N1GpuModel; count: number; zones: Map<string, Attachment> }>;

function addPrices(left: number | null, right: number | null): number | null {
  return left === null || right === null ? null : roundTo(left + right, 5);
}

/**
 * One spec per (N1 type, GPU model, GPU count, region) that GCP allows (see gcp-n1-gpu.ts), offered
 * in the zones that have both the N1 type and that many GPUs and whose limits allow the shape. The
 * price is N1 + GPUs in the same zone, the lowest over those zones; spot the same way.
 */
function n1GpuSpecs(
  hosts: Iterable<N1Host>,
  attachments: Map<string, RegionAttachments>,
  tally: SourceTally,
): Spec[] {
  const specs: Spec[] = [];
  for (const host of hosts) {
    for (const attachment of attachments.get(host.region)?.values() ?? []) {
      const zones: string[] = [];
      let price: number | null = null;
      let spot: number | null = null;
      let memoryGiBPerGpu: number | null = null;
      for (const [zone, gpuPrice] of attachment.zones) {
        const hostPrice = host.zones.get(zone);
        if (!hostPrice || !n1GpuAllowed(attachment.model, attachment.count, host, zone)) continue;
        zones.push(zone);
        price = minOf(price, addPrices(hostPrice.price, gpuPrice.price));
        spot = minOf(spot, addPrices(hostPrice.spot, gpuPrice.spot));
        memoryGiBPerGpu ??= gpuPrice.memoryGiBPerGpu;
      }
      if (zones.length === 0) continue;
      const name = gcpN1GpuName(host.name, attachment.model, attachment.count);
      const id = specId('gcp', host.region, name, tally);
      if (!id) continue;
      tally.note('N1 + attached GPU combinations');
      specs.push({
        id,
        provider: 'gcp',
        region: host.region,
        name,
        vcpu: host.vcpu,
        memoryGiB: host.memoryGiB,
        arch: 'x86_64',
        gpu: makeGpu({
          model: attachment.model,
          count: attachment.count,
          totalMemoryGiB: memoryGiBPerGpu ? roundTo(memoryGiBPerGpu * attachment.count, 3) : null,
          manufacturer: 'NVIDIA',
        }),
        pricePerHour: price,
        spotPricePerHour: spot,
        currency: 'USD',
        zones: zones.sort(),
        source: SOURCE,
        fetchedAt: FETCHED_AT.anycloud,
      });
    }
  }
  return specs;
}

/**
 * GCP from anycloud-sh's SkyPilot-format catalog. Rows are per zone; specs are per (machine type,
 * region) with `zones` listing where the type is offered and the lowest zone price. For types with
 * built-in GPUs the price is VM + GPUs, as SkyPilot itself adds them.
 */
export function loadGcpSpecs(knownRegions: ReadonlySet<string>): SourceResult {
  const table = streamDataCsv(FILE);
  const tally = new SourceTally(SOURCE, 'gcp', knownRegions);
  const column = {
    type: table.column('InstanceType'),
    vcpu: table.column('vCPUs'),
    memory: table.column('MemoryGiB'),
    acceleratorName: table.column('AcceleratorName'),
    acceleratorCount: table.column('AcceleratorCount'),
    gpuInfo: table.column('GpuInfo'),
    region: table.column('Region'),
    zone: table.column('AvailabilityZone'),
    price: table.column('Price'),
    spot: table.column('SpotPrice'),
  };

  // First pass: GPU attachment prices, by zone and by region (fallback when a zone lacks one).
  const attachmentsByZone = new Map<string, Attachment>();
  const attachmentsByRegion = new Map<string, Attachment>();
  // GPUs that attach to N1 types, by region, for the N1 + GPU combinations.
  const n1Attachments = new Map<string, RegionAttachments>();
  table.forEachRow((row) => {
    if (cell(row, column.type) !== '') return;
    const model = cell(row, column.acceleratorName);
    const count = numberCell(row, column.acceleratorCount);
    const key = `${model}|${count}`;
    const mebibytes = /SizeInMiB'?:\s*(\d+)/.exec(cell(row, column.gpuInfo))?.[1];
    const attachment: Attachment = {
      price: numberCell(row, column.price),
      spot: numberCell(row, column.spot),
      memoryGiBPerGpu: mebibytes ? Number(mebibytes) / 1024 : null,
    };
    const zone = cell(row, column.zone);
    const region = cell(row, column.region);
    attachmentsByZone.set(`${zone}|${key}`, attachment);
    if (isN1GpuModel(model) && count !== null && tally.isKnownRegion(region)) {
      let regional = n1Attachments.get(region);
      if (!regional) {
        regional = new Map();
        n1Attachments.set(region, regional);
      }
      let offer = regional.get(key);
      if (!offer) {
        offer = { model, count, zones: new Map() };
        regional.set(key, offer);
      }
      offer.zones.set(zone, attachment);
    }
    const regionKey = `${region}|${key}`;
    const regional = attachmentsByRegion.get(regionKey);
    attachmentsByRegion.set(
      regionKey,
      regional
        ? {
            ...regional,
            price: minOf(regional.price, attachment.price),
            spot: minOf(regional.spot, attachment.spot),
          }
        : attachment,
    );
  });

  const collapser = new ZoneCollapser<MachineRow>();
  // ~400 machine types over ~29,000 rows: classify each name once.
  const builtInByName = new Map<string, BuiltInGpu | undefined>();
  const unknownRegionRows = new Set<string>();
  const n1Hosts = new Map<string, N1Host>();
  table.forEachRow((row) => {
    tally.rowsRead++;
    const name = cell(row, column.type);
    if (name === '') {
      tally.skip('GPU/TPU attachment price row (not a machine type)');
      return;
    }
    if (name.endsWith('-tpu') && TPU_HOST.test(name)) {
      tally.skip('TPU host VM (not a Compute Engine machine type)');
      return;
    }
    const region = cell(row, column.region);
    // Zone rows collapse into one spec, so the drop is counted once per (type, region) below.
    if (!tally.isKnownRegion(region)) {
      unknownRegionRows.add(`${name} ${region}`);
      return;
    }
    const vcpu = numberCell(row, column.vcpu);
    const memoryGiB = numberCell(row, column.memory);
    if (!vcpu || !memoryGiB || vcpu <= 0 || memoryGiB <= 0) {
      tally.skip('no vCPU or memory');
      return;
    }
    const zone = cell(row, column.zone);
    if (name.startsWith('n1-') && GPU_HOST_N1.test(name)) {
      const key = `${name} ${region}`;
      let host = n1Hosts.get(key);
      if (!host) {
        host = { name, region, vcpu, memoryGiB, zones: new Map() };
        n1Hosts.set(key, host);
      }
      host.zones.set(zone, { price: numberCell(row, column.price), spot: numberCell(row, column.spot) });
    }
    let builtIn = builtInByName.get(name);
    if (builtIn === undefined && !builtInByName.has(name)) {
      builtIn = gcpBuiltInGpu(name);
      builtInByName.set(name, builtIn);
    }
    let price = numberCell(row, column.price);
    let spot = numberCell(row, column.spot);
    if (builtIn) {
      const key = `${builtIn.attachment}|${builtIn.count}`;
      const attachment =
        attachmentsByZone.get(`${zone}|${key}`) ?? attachmentsByRegion.get(`${region}|${key}`);
      // Without the GPU part a price would be far too low; unknown is more honest.
      price = price !== null && attachment?.price != null ? roundTo(price + attachment.price, 5) : null;
      spot = spot !== null && attachment?.spot != null ? roundTo(spot + attachment.spot, 5) : null;
    }
    collapser.add(name, region, zone, price, spot, { vcpu, memoryGiB, builtIn });
  });

  for (const key of unknownRegionRows) tally.acceptsRegion(key.slice(key.indexOf(' ') + 1));
  const specs: Spec[] = [];
  for (const entry of collapser.entries()) {
    const { builtIn } = entry.extra;
    let gpu: Gpu | null = null;
    if (builtIn) {
      const attachment = attachmentsByRegion.get(`${entry.region}|${builtIn.attachment}|${builtIn.count}`);
      const perGpu = attachment?.memoryGiBPerGpu;
      gpu = makeGpu({
        model: builtIn.model,
        count: builtIn.count,
        totalMemoryGiB: perGpu ? roundTo(perGpu * builtIn.count, 3) : null,
        manufacturer: 'NVIDIA',
      });
    }
    const id = specId('gcp', entry.region, entry.name, tally);
    if (id) {
      specs.push({
        id,
        provider: 'gcp',
        region: entry.region,
        name: entry.name,
        vcpu: entry.extra.vcpu,
        memoryGiB: entry.extra.memoryGiB,
        arch: gcpArch(entry.name),
        gpu,
        pricePerHour: entry.price,
        spotPricePerHour: entry.spot,
        currency: 'USD',
        zones: entry.zones,
        source: SOURCE,
        fetchedAt: FETCHED_AT.anycloud,
      });
    }
  }
  specs.push(...n1GpuSpecs(n1Hosts.values(), n1Attachments, tally));
  return { specs, tally };
}
