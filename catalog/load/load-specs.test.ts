import { describe, expect, it } from 'vitest';
import { ID_SEPARATOR, PROVIDERS, type ProviderId, SpecSchema } from '../../drivers/spec/index.ts';
import { loadRegions } from './load-regions.ts';
import { loadSpecs, loadSpecsReport } from './load-specs.ts';
import { n1GpuAllowed, parseGcpN1GpuName } from './specs/gcp-n1-gpu.ts';

const specs = loadSpecs();
const byId = new Map(specs.map((spec) => [spec.id, spec]));
const spec = (id: string) => {
  const found = byId.get(id);
  if (!found) throw new Error(`no spec ${id}`);
  return found;
};

describe('loadSpecs', () => {
  it('passes SpecSchema for every spec', () => {
    for (const item of specs) SpecSchema.parse(item);
  });

  // Loops collect offenders and assert once: one expect() per spec would dominate the run time.
  it('has one spec per id, built as provider+region+name', () => {
    expect(byId.size).toBe(specs.length);
    const malformed = specs.filter(
      (item) =>
        item.name.includes(ID_SEPARATOR) || item.id !== `${item.provider}+${item.region}+${item.name}`,
    );
    expect(malformed).toEqual([]);
  });

  it('puts every spec in a region loadRegions() returns, and every listed zone in that region', () => {
    const zonesByRegion = new Map(
      loadRegions().map((region) => [region.id, new Set(region.zones.map((zone) => zone.code))]),
    );
    const misplaced = specs.filter((item) => {
      const zones = zonesByRegion.get(`${item.provider}+${item.region}`);
      return !zones || (item.zones ?? []).some((zone) => !zones.has(zone));
    });
    expect(misplaced.map((item) => item.id)).toEqual([]);
  });

  it('has specs for all ten providers', () => {
    const counts = new Map<ProviderId, number>();
    for (const item of specs) counts.set(item.provider, (counts.get(item.provider) ?? 0) + 1);
    for (const provider of PROVIDERS) expect(counts.get(provider) ?? 0, provider).toBeGreaterThan(0);
  });

  // Azure's 56,671 rows include 7,510 in its restricted-access regions (germanynorth, jioindiawest…),
  // which the catalog lists and the sim leaves out; GCP adds its N1 + attached GPU combinations.
  it('holds the full catalogs: > 80,000 specs, AWS > 15,000, Azure > 56,000, GCP > 12,000', () => {
    expect(specs.length).toBeGreaterThan(80_000);
    const count = (provider: ProviderId) => specs.filter((item) => item.provider === provider).length;
    expect(count('aws')).toBeGreaterThan(15_000);
    expect(count('azure')).toBeGreaterThan(56_000);
    expect(count('gcp')).toBeGreaterThan(12_000);
  });

  it('knows AWS us-east-1 t3.medium: 2 vCPU, 4 GiB, $0.0416/h', () => {
    expect(spec('aws+us-east-1+t3.medium')).toMatchObject({
      vcpu: 2,
      memoryGiB: 4,
      arch: 'x86_64',
      gpu: null,
      pricePerHour: 0.0416,
      currency: 'USD',
      source: 'aws-ec2-catalog',
    });
  });

  it.each([
    ['gcp+us-central1+a2-highgpu-1g', 'A100', 1],
    ['gcp+us-central1+a2-ultragpu-1g', 'A100-80GB', 1],
    ['gcp+us-central1+a3-highgpu-8g', 'H100', 8],
    ['gcp+us-central1+g2-standard-4', 'L4', 1],
    ['gcp+us-central1+g2-standard-48', 'L4', 4],
    ['azure+eastus+Standard_NC6s_v3', 'V100', 1],
    ['azure+eastus+Standard_NC24ads_A100_v4', 'A100-80GB', 1],
    ['aws+us-east-1+p4de.24xlarge', 'A100-80GB', 8],
    ['aws+us-east-1+g5.xlarge', 'A10G', 1],
    ['alibaba+ap-northeast-2+ecs.gn6v-c8g1.8xlarge', 'V100', 4],
    ['tencent+ap-seoul+PNV4.7XLARGE116', 'A10', 1],
    ['nhn+KR1+g2.t4.c4m32', 'T4', 1],
    ['ibm+us-south+gx2-8x64x1v100', 'V100', 1],
  ])('gives %s %s x%d', (id, model, count) => {
    expect(spec(id).gpu).toMatchObject({ model, count });
  });

  it('prices GCP built-in-GPU types as VM plus GPUs, lists zones, and a GPU memory', () => {
    const a2 = spec('gcp+us-central1+a2-highgpu-1g');
    // 0.73948 (VM) + 2.93391 (one A100) in the source.
    expect(a2.pricePerHour).toBeCloseTo(3.67339, 5);
    expect(a2.gpu?.memoryGiB).toBe(40);
    expect(a2.zones).toContain('us-central1-a');
  });

  describe('GCP N1 + attached GPU combinations', () => {
    const combinations = specs.filter((item) => item.provider === 'gcp' && parseGcpN1GpuName(item.name));

    it('prices n1-standard-8 with one T4 as N1 + GPU in the zones that have both', () => {
      // us-central1 in the source: n1-standard-8 0.38 (spot 0.13954), one T4 0.35 (spot 0.1654).
      expect(spec('gcp+us-central1+n1-standard-8-t4x1')).toMatchObject({
        vcpu: 8,
        memoryGiB: 30,
        arch: 'x86_64',
        gpu: { model: 'T4', count: 1, memoryGiB: 16, manufacturer: 'NVIDIA' },
        pricePerHour: 0.73,
        spotPricePerHour: 0.30494,
        currency: 'USD',
        zones: ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f'],
      });
      // P100s are only in two of the four zones that have n1-standard-8.
      expect(spec('gcp+us-central1+n1-standard-8-p100x2')).toMatchObject({
        gpu: { model: 'P100', count: 2, memoryGiB: 32 },
        pricePerHour: 3.3, // 0.38 + 2.92
        zones: ['us-central1-c', 'us-central1-f'],
      });
    });

    it('emits only what GCP allows: the vCPU and memory ceiling per GPU model and count, per zone', () => {
      expect(combinations.length).toBeGreaterThan(2_000);
      const offenders = combinations.filter((item) => {
        const parsed = parseGcpN1GpuName(item.name);
        if (!parsed || item.gpu?.model !== parsed.model || item.gpu.count !== parsed.count) return true;
        return (item.zones ?? []).some((zone) => !n1GpuAllowed(parsed.model, parsed.count, item, zone));
      });
      expect(offenders.map((item) => item.id)).toEqual([]);
      for (const name of [
        'n1-standard-64-t4x1',
        'n1-highmem-16-v100x1',
        'n1-standard-8-t4x8',
        'n1-standard-8-p4x8',
      ])
        expect(combinations.some((item) => item.name === name)).toBe(false);
      expect(byId.has('gcp+us-central1+n1-highmem-8-v100x1')).toBe(true);
      expect(byId.has('gcp+us-central1+n1-highmem-96-v100x8')).toBe(true);
    });

    it('never gives four P100s more than 64 vCPUs in the zones Google holds to that', () => {
      const large = combinations.filter((item) => item.gpu?.model === 'P100' && item.vcpu > 64);
      expect(large.length).toBeGreaterThan(0);
      const zones = new Set(large.flatMap((item) => item.zones ?? []));
      expect(['us-east1-c', 'europe-west1-b', 'europe-west1-d'].filter((zone) => zones.has(zone))).toEqual(
        [],
      );
    });

    it('never attaches GPUs to shared-core or memory-optimised N1 types', () => {
      const hosts = new Set(combinations.map((item) => parseGcpN1GpuName(item.name)?.machineType));
      expect([...hosts].filter((host) => !/^n1-(standard|highmem|highcpu)-\d+$/.test(host ?? ''))).toEqual(
        [],
      );
      expect(hosts.has('n1-standard-1')).toBe(true);
    });
  });

  it.each([
    ['azure+eastus+Standard_D2ps_v5', 'arm64'],
    ['azure+eastus+Standard_E4pds_v6', 'arm64'],
    ['azure+eastus+Standard_D2s_v5', 'x86_64'],
    ['gcp+us-central1+t2a-standard-4', 'arm64'],
    ['aws+us-east-1+m7g.large', 'arm64'],
    ['aws+us-east-1+m7i.large', 'x86_64'],
  ])('marks %s as %s', (id, arch) => {
    expect(spec(id).arch).toBe(arch);
  });

  it('drops AWS mac rows and GCP attachment and TPU host rows', () => {
    expect(specs.some((item) => item.provider === 'aws' && item.name.startsWith('mac'))).toBe(false);
    expect(specs.some((item) => item.provider === 'gcp' && item.name.endsWith('-tpu'))).toBe(false);
  });

  it('gives NCP specs in its Korean region, with shapes from the spec names', () => {
    expect(spec('ncp+KR+s2-g3')).toMatchObject({
      vcpu: 2,
      memoryGiB: 8,
      pricePerHour: 0.0848,
      currency: 'USD',
    });
    expect(spec('ncp+KR+mi1-g3')).toMatchObject({ vcpu: 1, memoryGiB: 1 });
    expect(specs.filter((item) => item.provider === 'ncp' && item.region === 'KR').length).toBeGreaterThan(
      30,
    );
  });

  it.each([
    ['nhn+KR1+m2.c4m8', 4, 8, 'KRW'],
    ['kt+KR1+4x16.itl', 4, 16, 'KRW'],
    ['tencent+ap-seoul+S5.MEDIUM4', 2, 4, 'USD'],
    ['alibaba+ap-northeast-1+ecs.g6.13xlarge', 52, 192, 'USD'],
    ['ibm+us-south+bx2-8x32', 8, 32, 'USD'],
  ])('reads %s as %d vCPU / %d GiB priced in %s', (id, vcpu, memoryGiB, currency) => {
    expect(spec(id)).toMatchObject({ vcpu, memoryGiB, currency });
  });

  it('keeps current Cloud-Barista rows over their renamed legacy twins (KT "4x16" vs "4x16.itl")', () => {
    expect(byId.has('kt+KR1+4x16.itl')).toBe(true);
    expect(byId.has('kt+KR1+4x16')).toBe(false);
    expect(spec('nhn+KR1+m2.c4m8').source).toBe('cb-tumblebug-assets');
  });

  it('gives each OpenStack region the default Nova flavors at price 0', () => {
    for (const region of ['RegionOne', 'ex01-RegionOne']) {
      expect(spec(`openstack+${region}+m1.tiny`)).toMatchObject({ vcpu: 1, memoryGiB: 0.5, pricePerHour: 0 });
      expect(spec(`openstack+${region}+m1.xlarge`)).toMatchObject({ vcpu: 8, memoryGiB: 16 });
    }
  });

  it('dates every spec and names its source', () => {
    const undated = specs.filter((item) => !/^\d{4}-\d{2}-\d{2}$/.test(item.fetchedAt) || item.source === '');
    expect(undated.map((item) => item.id)).toEqual([]);
  });
});

describe('loadSpecsReport', () => {
  const report = loadSpecsReport();

  it('accounts for every spec it returned', () => {
    const kept = Object.values(report.byProvider).reduce((sum, provider) => sum + provider.specs, 0);
    expect(kept).toBe(specs.length);
    expect(report.total).toBe(specs.length);
  });

  it('reports rows dropped for regions that are not catalog regions', () => {
    expect(report.byProvider.aws.unknownRegions).toEqual(['me-south-1', 'us-gov-east-1', 'us-gov-west-1']);
    expect(report.byProvider.aws.droppedUnknownRegion).toBe(834);
    expect(report.byProvider.gcp.unknownRegions).toEqual(['us-central2']);
    expect(report.byProvider.alibaba.unknownRegions).toEqual(['ap-south-1', 'ap-southeast-2']);
    expect(report.byProvider.azure.unknownRegions).toEqual([]);
  });

  it('counts the specs in restricted regions: every Azure row of them, nothing elsewhere', () => {
    expect(report.byProvider.azure.inRestrictedRegions).toBe(7_510);
    const elsewhere = Object.entries(report.byProvider).filter(
      ([provider, counts]) => provider !== 'azure' && counts.inRestrictedRegions > 0,
    );
    expect(elsewhere).toEqual([]);
  });

  it('lists what each source read and skipped', () => {
    const aws = report.sources.find((source) => source.provider === 'aws');
    expect(aws?.rowsRead).toBe(16_029);
    expect(aws?.skipped['arch i386']).toBeGreaterThan(0);
    expect(aws?.unknownRegions['us-gov-west-1']).toBeGreaterThan(0);
    const gcp = report.sources.find((source) => source.provider === 'gcp');
    expect(gcp?.skipped['GPU/TPU attachment price row (not a machine type)']).toBe(2_395);
  });
});
